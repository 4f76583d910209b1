import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { describeCredentialStore, record } from './credentialStoreContract';
import { openCredentialStore, type IdbCredentialStore } from './idbCredentialStore';

let databases = 0;
const opened: IdbCredentialStore[] = [];

/** A fresh database per test, so tests share nothing. */
async function openFresh(name = `latchkey-test-${++databases}`): Promise<IdbCredentialStore> {
  const store = await openCredentialStore(name);
  opened.push(store);
  return store;
}

afterEach(() => {
  for (const store of opened.splice(0)) store.close();
});

describeCredentialStore('openCredentialStore', () => openFresh());

describe('openCredentialStore', () => {
  it('creates version 1 with object store "credentials", keyPath "id", index "rpId"', async () => {
    (await openFresh('schema-check')).close();
    const db = await openDB('schema-check');
    expect(db.version).toBe(1);
    expect([...db.objectStoreNames]).toEqual(['credentials']);
    const store = db.transaction('credentials').store;
    expect(store.keyPath).toBe('id');
    expect([...store.indexNames]).toEqual(['rpId']);
    expect(store.index('rpId').keyPath).toBe('rpId');
    db.close();
  });

  it('keeps records across connections', async () => {
    const first = await openFresh('persisted');
    await first.add(record('a'));
    first.close();
    const second = await openFresh('persisted');
    expect(await second.get('a')).toEqual(record('a'));
  });

  it('opens the "latchkey" database by default', async () => {
    const store = await openCredentialStore();
    await store.add(record('default-db'));
    store.close();
    const db = await openDB('latchkey');
    expect(await db.get('credentials', 'default-db')).toBeDefined();
    db.close();
  });
});
