/**
 * The sync engine over two "browsers" — each its own vault database, evidence store and sync
 * state, and its own storage.sync stand-in — whose sync areas are bridged the way the browser's
 * sync engine delivers changes: every onChanged of one is applied to the other. `offline()`
 * pauses the bridge; `online()` delivers what waited.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { openEvidenceStore, type EvidenceStore } from '../orphans/evidenceStore';
import { classify } from '../orphans/classify';
import { record } from '../vault/credentialStoreContract';
import type { CredentialRecord } from '../vault/credentialRecord';
import { listCredentialMetadata, renameCredential, deleteCredential } from '../vault/credentialMetadata';
import { memorySessionSecret, Vault } from '../vault/vault';
import { openVaultDatabase, type VaultDatabase } from '../vault/vaultDatabase';
import { toBase64url } from '../webauthn/base64url';
import { createMemorySyncArea, type MemorySyncArea } from './memorySyncArea';
import { SYNC_QUOTA, type StorageChange } from './syncArea';
import { KEY_ITEM, SyncEngine } from './syncEngine';
import { TOMBSTONE_TTL_MS } from './syncEntity';
import { openSyncStateStore } from './syncStateStore';

const PASSPHRASE = 'correct horse battery';
let counter = 0;
const opened: VaultDatabase[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

const time = { now: 1_700_000_000_000 };
const now = () => time.now;

interface Side {
  name: string;
  area: MemorySyncArea;
  db: VaultDatabase;
  vault: Vault;
  evidence: EvidenceStore;
  engine: SyncEngine;
}

async function side(name: string, options: { createVault?: boolean } = {}): Promise<Side> {
  const id = ++counter;
  const db = await openVaultDatabase(`sync-vault-${id}`);
  opened.push(db);
  const vault = new Vault({ db, session: memorySessionSecret(), now, autoLockMinutes: () => 0, iterations: 1_000 });
  if (options.createVault !== false) await vault.create(PASSPHRASE);
  const area = createMemorySyncArea({ now });
  const evidence = await openEvidenceStore(`sync-evidence-${id}`);
  const state = await openSyncStateStore(`sync-state-${id}`, () => `dev${name}`);
  return { name, area, db, vault, evidence, engine: new SyncEngine({ area, state, vault, db, evidence, now }) };
}

/** Both ways, as the browser's sync engine would deliver them; paused while offline. */
function bridge(a: Side, b: Side) {
  let online = true;
  const waiting: [MemorySyncArea, Record<string, StorageChange>][] = [];
  const forward = (to: MemorySyncArea) => (changes: Record<string, StorageChange>) => {
    if (online) to.applyRemote(changes);
    else waiting.push([to, changes]);
  };
  a.area.onChanged.addListener(forward(b.area));
  b.area.onChanged.addListener(forward(a.area));
  return {
    offline: () => void (online = false),
    online() {
      online = true;
      for (const [to, changes] of waiting.splice(0)) to.applyRemote(changes);
    },
  };
}

const delivered = () => new Promise((resolve) => setTimeout(resolve, 5));

/** Rounds on both sides until neither writes any more. */
async function settle(...sides: Side[]): Promise<void> {
  for (let round = 0; round < 6; round++) {
    for (const one of sides) {
      time.now += 2_000;
      await one.engine.sync();
      await delivered();
    }
  }
}

let credentialCount = 0;
function syncedPasskey(overrides: Partial<CredentialRecord> = {}): CredentialRecord {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const id = toBase64url(bytes);
  credentialCount++;
  return record(id, {
    credentialId: bytes,
    rpId: 'shop.example',
    userName: `ada${credentialCount}@shop.example`,
    userDisplayName: 'Ada Lovelace',
    name: `Shop (ada${credentialCount})`,
    privateKeyPkcs8: crypto.getRandomValues(new Uint8Array(138)),
    publicKeyCose: crypto.getRandomValues(new Uint8Array(77)),
    userHandle: crypto.getRandomValues(new Uint8Array(32)),
    signCount: null,
    backupEligible: true,
    backupState: true,
    createdAt: time.now + credentialCount,
    ...overrides,
  });
}

async function add(one: Side, passkey: CredentialRecord): Promise<void> {
  await (await one.vault.credentialStore()).add(passkey);
}

/** A and B with one vault: B adopts the sealed key from sync storage and unlocks with the passphrase. */
async function pair() {
  const a = await side('A');
  const b = await side('B', { createVault: false });
  const link = bridge(a, b);
  await a.engine.sync();
  await delivered();
  expect(await b.engine.adoptVaultKey()).toBe(true);
  await b.vault.unlock(PASSPHRASE);
  return { a, b, link };
}

const names = async (one: Side) => (await listCredentialMetadata(one.db)).map((passkey) => passkey.name).sort();

describe('sync between two browsers', () => {
  it('a new browser unlocks with the passphrase alone and receives the passkey, private key included', async () => {
    const a = await side('A');
    const passkey = syncedPasskey();
    await add(a, passkey);
    const b = await side('B', { createVault: false });
    bridge(a, b);
    await settle(a);
    expect((await b.vault.status()).exists).toBe(false);
    expect(await b.engine.adoptVaultKey()).toBe(true);
    await expect(b.vault.unlock('wrong passphrase')).rejects.toThrow(/Wrong passphrase/);
    await b.vault.unlock(PASSPHRASE);
    await settle(a, b);
    const received = await (await b.vault.credentialStore()).get(passkey.id);
    expect(received).toMatchObject({
      rpId: 'shop.example',
      name: passkey.name,
      backupEligible: true,
      backupState: true,
      signCount: null,
    });
    expect(received!.privateKeyPkcs8).toEqual(passkey.privateKeyPkcs8);
    expect(received!.userHandle).toEqual(passkey.userHandle);
  });

  it('device-bound passkeys (BE=0) stay in their browser', async () => {
    const { a, b } = await pair();
    await add(a, syncedPasskey({ backupEligible: false, backupState: false, signCount: 4, name: 'Device-bound' }));
    await add(a, syncedPasskey({ name: 'Synced' }));
    await settle(a, b);
    expect(await names(b)).toEqual(['Synced']);
    expect((await a.engine.status()).deviceBound).toBe(1);
  });

  it('concurrent renames while offline converge to the later one, and the conflict is counted', async () => {
    const { a, b, link } = await pair();
    const passkey = syncedPasskey({ name: 'Original' });
    await add(a, passkey);
    await settle(a, b);
    link.offline();
    await renameCredential(a.db, passkey.id, 'Renamed on A');
    time.now += 1_000;
    await renameCredential(b.db, passkey.id, 'Renamed on B');
    time.now += 1_000;
    await b.engine.sync(); // B stamps its rename later than A's
    await a.engine.sync();
    expect(await names(a)).toEqual(['Renamed on A']);
    expect(await names(b)).toEqual(['Renamed on B']);
    link.online();
    await settle(a, b);
    expect(await names(a)).toEqual(['Renamed on B']);
    expect(await names(b)).toEqual(['Renamed on B']);
    const resolved = (await a.engine.status()).conflictsResolved + (await b.engine.status()).conflictsResolved;
    expect(resolved).toBeGreaterThanOrEqual(1);
  });

  it('delete against edit: deleted on B, renamed on A meanwhile; the delete wins on both', async () => {
    const { a, b, link } = await pair();
    const passkey = syncedPasskey();
    await add(a, passkey);
    await settle(a, b);
    link.offline();
    await deleteCredential(b.db, passkey.id);
    await b.engine.sync();
    time.now += 5_000;
    await renameCredential(a.db, passkey.id, 'Edited after');
    await a.engine.sync();
    link.online();
    await settle(a, b);
    expect(await names(a)).toEqual([]);
    expect(await names(b)).toEqual([]);
  });

  it('tombstones expire: after TOMBSTONE_TTL_MS the item leaves sync storage', async () => {
    const { a, b } = await pair();
    const passkey = syncedPasskey();
    await add(a, passkey);
    await settle(a, b);
    await deleteCredential(a.db, passkey.id);
    await settle(a, b);
    expect(Object.keys(await a.area.get(null))).toHaveLength(2); // the key and the tombstone
    time.now += TOMBSTONE_TTL_MS + 1;
    await settle(a, b);
    expect(Object.keys(await a.area.get(null))).toEqual([KEY_ITEM]);
    expect(Object.keys(await b.area.get(null))).toEqual([KEY_ITEM]);
  });

  it('orphan evidence merges to the most severe state on both browsers, with the evidence of both', async () => {
    const { a, b } = await pair();
    const passkey = syncedPasskey();
    await add(a, passkey);
    await settle(a, b);
    await a.evidence.append([
      {
        credentialId: passkey.id,
        rpId: passkey.rpId,
        evidence: { kind: 'signal-unknown', at: 10, origin: 'https://shop.example' },
      },
    ]);
    await b.evidence.append([
      {
        credentialId: passkey.id,
        rpId: passkey.rpId,
        evidence: { kind: 'missing-from-allow-list', at: 11, origin: 'https://shop.example' },
      },
    ]);
    await settle(a, b);
    for (const one of [a, b]) {
      const log = (await one.evidence.logs([passkey.id])).get(passkey.id)!;
      expect(log.map((entry) => entry.kind).sort()).toEqual(['missing-from-allow-list', 'signal-unknown']);
      expect(classify(log).health).toBe('orphaned');
    }
  });

  it('passkeys created on both browsers for the same account are both kept', async () => {
    const { a, b, link } = await pair();
    link.offline();
    await add(a, syncedPasskey({ userName: 'same@shop.example', name: 'Made on A' }));
    await add(b, syncedPasskey({ userName: 'same@shop.example', name: 'Made on B' }));
    await a.engine.sync();
    await b.engine.sync();
    link.online();
    await settle(a, b);
    expect(await names(a)).toEqual(['Made on A', 'Made on B']);
    expect(await names(b)).toEqual(['Made on A', 'Made on B']);
  });

  it('past the quota new passkeys stay here, marked not synced, BS 0; deleting others makes room and they follow', async () => {
    const { a, b } = await pair();
    const made: CredentialRecord[] = [];
    for (let index = 0; index < 200; index++) {
      const passkey = syncedPasskey();
      made.push(passkey);
      await add(a, passkey);
    }
    await settle(a, b);
    const status = await a.engine.status();
    expect(status.synced + status.notSynced).toBe(200);
    expect(status.notSynced).toBeGreaterThan(0);
    expect(status.nearQuota).toBe(true);
    expect(a.area.bytesInUse()).toBeLessThanOrEqual(SYNC_QUOTA.QUOTA_BYTES);
    expect((await listCredentialMetadata(a.db)).length).toBe(200); // nothing lost
    expect((await listCredentialMetadata(b.db)).length).toBe(status.synced);
    const kept = (await listCredentialMetadata(a.db)).filter((passkey) => status.notSyncedIds.includes(passkey.id));
    expect(kept.every((passkey) => passkey.backupState === false)).toBe(true);
    // The oldest passkeys went first; the newest stayed local.
    expect(status.notSyncedIds).toContain(made[199]!.id);
    expect([...(await a.engine.notSyncedIds())].sort()).toEqual([...status.notSyncedIds].sort());

    // Deleted passkeys leave tombstones, which hold their room until they expire.
    const deleted = status.notSynced + 5;
    for (const passkey of made.slice(0, deleted)) await deleteCredential(a.db, passkey.id);
    await settle(a, b);
    expect((await listCredentialMetadata(b.db)).length).toBe((await a.engine.status()).synced);
    expect((await a.engine.status()).notSynced).toBeGreaterThan(0);
    time.now += TOMBSTONE_TTL_MS + 1;
    await settle(a, b);
    const after = await a.engine.status();
    expect(after.notSynced).toBe(0);
    expect(after.synced).toBe(200 - deleted);
    expect((await listCredentialMetadata(b.db)).length).toBe(after.synced);
  }, 60_000);

  it('a passkey with a large blob is chunked over several items and arrives whole', async () => {
    const { a, b } = await pair();
    const blob = crypto.getRandomValues(new Uint8Array(20_000));
    const passkey = syncedPasskey({ largeBlob: blob, largeBlobSupported: true });
    await add(a, passkey);
    await settle(a, b);
    const keys = Object.keys(await b.area.get(null));
    expect(keys.filter((key) => key.includes('~')).length).toBeGreaterThanOrEqual(3);
    expect((await (await b.vault.credentialStore()).get(passkey.id))!.largeBlob).toEqual(blob);
  });

  it('a damaged or foreign item gives a clear error and loses nothing here', async () => {
    const { a, b } = await pair();
    const passkey = syncedPasskey();
    await add(a, passkey);
    await settle(a, b);
    const [itemKey] = Object.keys(await a.area.get(null)).filter((key) => key !== KEY_ITEM);
    a.area.applyRemote({ [itemKey!]: { newValue: 'e1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, stranger: { newValue: 42 } });
    await a.engine.sync();
    const status = await a.engine.status();
    expect(status.errors.join('\n')).toMatch(/cannot be decrypted with this vault’s key/);
    expect(status.errors.join('\n')).toMatch(/“stranger” is not one Latchkey writes/);
    expect(await names(a)).toEqual([passkey.name]);
    expect((await a.area.get([itemKey!]))[itemKey!]).toBe('e1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'); // left as it is
  });

  it('does not adopt the vault key over passkeys stored before there was a passphrase, and says why', async () => {
    const a = await side('A');
    const old = await side('Old', { createVault: false });
    bridge(a, old);
    await settle(a);
    await old.db.put('credentials', syncedPasskey({ name: 'From before the vault' })); // a version-1 record, key in the clear
    expect(await old.engine.adoptVaultKey()).toBe(false);
    expect((await old.vault.status()).exists).toBe(false);
    expect((await old.engine.status()).errors[0]).toMatch(/set a passphrase here first/);
    expect(await names(old)).toEqual(['From before the vault']);
  });

  it('a damaged vault key item stops the round with a clear error and changes nothing', async () => {
    const { a, b } = await pair();
    await add(a, syncedPasskey({ name: 'Kept' }));
    await settle(a, b);
    a.area.applyRemote({ [KEY_ITEM]: { newValue: { v: 9 } } });
    await renameCredential(a.db, (await listCredentialMetadata(a.db))[0]!.id, 'Renamed meanwhile');
    await expect(a.engine.sync()).rejects.toThrow(/damaged or from a newer Latchkey/);
    expect((await a.engine.status()).errors[0]).toMatch(/damaged or from a newer Latchkey/);
    expect(await names(a)).toEqual(['Renamed meanwhile']);
    expect((await a.area.get([KEY_ITEM]))[KEY_ITEM]).toEqual({ v: 9 });
  });

  it('another vault in sync storage stops sync with a clear error and writes nothing', async () => {
    const a = await side('A');
    const c = await side('C'); // its own vault, its own secret
    await add(c, syncedPasskey({ name: 'C only' }));
    bridge(a, c);
    await settle(a);
    const before = await a.area.get(null);
    await expect(c.engine.sync()).rejects.toThrow(/another vault/);
    expect((await c.engine.status()).errors[0]).toMatch(/another Latchkey vault/);
    expect(await c.area.get(null)).toEqual(before);
    expect(await names(c)).toEqual(['C only']);
  });

  it('sync storage holds no plaintext key, user handle, site or account name', async () => {
    const { a, b } = await pair();
    const passkey = syncedPasskey({
      rpId: 'bank-of-tests.example',
      userName: 'grace.hopper',
      userDisplayName: 'Grace H',
      name: 'My bank',
    });
    await add(a, passkey);
    await a.evidence.append([
      {
        credentialId: passkey.id,
        rpId: passkey.rpId,
        evidence: { kind: 'in-allow-list', at: 1, origin: 'https://bank-of-tests.example' },
      },
    ]);
    await settle(a, b);
    const dump = JSON.stringify(await a.area.get(null));
    const b64 = (bytes: Uint8Array) => toBase64url(bytes);
    const secrets = [
      'bank-of-tests',
      'grace.hopper',
      'Grace H',
      'My bank',
      passkey.id,
      b64(passkey.privateKeyPkcs8),
      b64(passkey.userHandle),
    ];
    for (const secret of secrets) expect(dump).not.toContain(secret);
    // Positive control: the same search finds these strings where they are.
    const local = JSON.stringify(await listCredentialMetadata(b.db), (_, value) =>
      value instanceof Uint8Array ? b64(value) : value,
    );
    for (const secret of secrets.slice(0, 5)) expect(local).toContain(secret);
    expect(dump).toContain('"k"'); // the search does read the sync area
  });

  it('BS follows sync: on while synced, off when sync stops', async () => {
    const { a, b } = await pair();
    const passkey = syncedPasskey({ backupState: false });
    await add(a, passkey);
    await settle(a, b);
    expect((await listCredentialMetadata(a.db))[0]!.backupState).toBe(true);
    await a.engine.stop();
    expect((await listCredentialMetadata(a.db))[0]!.backupState).toBe(false);
  });

  it('keeps within the write-rate quota: each round is at most one set and one remove', async () => {
    const { a, b } = await pair();
    for (let index = 0; index < 30; index++) await add(a, syncedPasskey());
    const before = a.area.writeOperations();
    await a.engine.sync();
    expect(a.area.writeOperations() - before).toBe(1);
    await settle(a, b);
    expect((await listCredentialMetadata(b.db)).length).toBe(30);
  });

  it('postpones a round that would pass its write budget, saying so, and writes it once the minute has passed', async () => {
    const a = await side('A');
    const passkey = syncedPasskey();
    await add(a, passkey);
    for (let index = 0; index < 60; index++) {
      await renameCredential(a.db, passkey.id, `Name ${index}`);
      await a.engine.sync(); // the clock stands still: 60 writes within one minute
    }
    await renameCredential(a.db, passkey.id, 'One too many');
    await expect(a.engine.sync()).rejects.toThrow(/write budget/);
    expect((await a.engine.status()).errors[0]).toMatch(/Waiting \d+ s for the browser’s sync write limit/);
    expect(a.area.writeOperations()).toBe(60);
    time.now += 61_000;
    await a.engine.sync();
    expect(a.area.writeOperations()).toBe(61);
    expect(await names(a)).toEqual(['One too many']);
  });

  it('a passphrase changed in one browser follows to the other', async () => {
    const { a, b } = await pair();
    time.now += 10_000;
    await a.vault.changePassphrase(PASSPHRASE, 'a brand new passphrase');
    await settle(a, b);
    await b.vault.lock();
    await expect(b.vault.unlock(PASSPHRASE)).rejects.toThrow(/Wrong passphrase/);
    await b.vault.unlock('a brand new passphrase');
  });
});
