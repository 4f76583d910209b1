import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { describeCredentialStore, record } from './credentialStoreContract';
import type { CredentialRecord } from './credentialRecord';
import { MAX_PIN_FAILURES, pinBackoffMs } from './pinRetries';
import { memorySessionSecret, Vault, VaultLockedError, WrongPassphraseError } from './vault';
import { PBKDF2_MIN_ITERATIONS } from './vaultCrypto';
import { isLegacy, openVaultDatabase, type VaultDatabase, type VaultKeyRecord } from './vaultDatabase';

/** Tests use few PBKDF2 iterations to stay fast; one test checks the production default. */
const TEST_ITERATIONS = 1_000;
const PASSPHRASE = 'correct horse battery';

let databases = 0;
const opened: VaultDatabase[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
  vi.restoreAllMocks();
});

async function freshDb(name = `vault-test-${++databases}`): Promise<VaultDatabase> {
  const db = await openVaultDatabase(name);
  opened.push(db);
  return db;
}

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

async function newVault(options: { db?: VaultDatabase; autoLockMinutes?: number; time?: ReturnType<typeof clock>; iterations?: number } = {}) {
  const db = options.db ?? (await freshDb());
  const time = options.time ?? clock();
  const session = memorySessionSecret();
  const vault = new Vault({
    db,
    session,
    now: time.now,
    autoLockMinutes: () => options.autoLockMinutes ?? 15,
    iterations: options.iterations ?? TEST_ITERATIONS,
  });
  return { vault, db, time, session };
}

describeCredentialStore('encrypted credential store', async () => {
  const { vault } = await newVault();
  await vault.create(PASSPHRASE);
  return vault.credentialStore();
});

const key32 = (fill: number) => new Uint8Array(32).fill(fill);

describe('Vault: key wrapping', () => {
  it('stores each private key only sealed, and gives it back in the clear while unlocked', async () => {
    const { vault, db } = await newVault();
    await vault.create(PASSPHRASE);
    const store = await vault.credentialStore();
    const plain = record('a', { privateKeyPkcs8: key32(0xab) });
    await store.add(plain);
    const stored = (await db.get('credentials', 'a'))!;
    expect(isLegacy(stored)).toBe(false);
    expect(JSON.stringify(stored)).not.toContain(JSON.stringify(Array.from(key32(0xab))));
    expect('privateKeyPkcs8' in stored).toBe(false);
    expect(await store.get('a')).toEqual(plain);
  });

  it('derives the passphrase key with PBKDF2-SHA256 and at least 600,000 iterations by default', async () => {
    const db = await freshDb();
    const vault = new Vault({ db, session: memorySessionSecret(), now: () => 1, autoLockMinutes: () => 15 });
    await vault.create(PASSPHRASE);
    const key = (await db.get('vault', 'key')) as VaultKeyRecord;
    expect(key.kdf).toBe('PBKDF2-SHA256');
    expect(key.iterations).toBeGreaterThanOrEqual(PBKDF2_MIN_ITERATIONS);
    expect(key.salt).toHaveLength(16);
  }, 60_000);

  it('locks, refuses a wrong passphrase, and unlocks with the right one', async () => {
    const { vault } = await newVault();
    await vault.create(PASSPHRASE);
    await (await vault.credentialStore()).add(record('a'));
    await vault.lock();
    expect(await vault.status()).toMatchObject({ exists: true, locked: true });
    await expect(vault.credentialStore()).rejects.toBeInstanceOf(VaultLockedError);
    await expect(vault.unlock('wrong passphrase')).rejects.toBeInstanceOf(WrongPassphraseError);
    await vault.unlock(PASSPHRASE);
    expect(await (await vault.credentialStore()).get('a')).toEqual(record('a'));
  });

  it('a new worker (same session, empty memory) is still unlocked; a new browser session is locked', async () => {
    const { vault, db, session, time } = await newVault();
    await vault.create(PASSPHRASE);
    const sameSession = new Vault({ db, session, now: time.now, autoLockMinutes: () => 15, iterations: TEST_ITERATIONS });
    expect((await sameSession.status()).locked).toBe(false);
    const newSession = new Vault({ db, session: memorySessionSecret(), now: time.now, autoLockMinutes: () => 15 });
    expect((await newSession.status()).locked).toBe(true);
  });

  it('changing the passphrase re-wraps the vault key and rewrites no credential', async () => {
    const { vault, db } = await newVault();
    await vault.create(PASSPHRASE);
    await (await vault.credentialStore()).add(record('a'));
    const before = await db.get('credentials', 'a');
    const keyBefore = (await db.get('vault', 'key')) as VaultKeyRecord;
    await expect(vault.changePassphrase('not it at all', 'a new passphrase')).rejects.toBeInstanceOf(WrongPassphraseError);
    await vault.changePassphrase(PASSPHRASE, 'a new passphrase');
    expect(await db.get('credentials', 'a')).toEqual(before);
    const keyAfter = (await db.get('vault', 'key')) as VaultKeyRecord;
    expect(keyAfter.salt).not.toEqual(keyBefore.salt);
    await vault.lock();
    await expect(vault.unlock(PASSPHRASE)).rejects.toBeInstanceOf(WrongPassphraseError);
    await vault.unlock('a new passphrase');
    expect(await (await vault.credentialStore()).get('a')).toEqual(record('a'));
  });

  it('detects a sealed key moved to another record', async () => {
    const { vault, db } = await newVault();
    await vault.create(PASSPHRASE);
    const store = await vault.credentialStore();
    await store.add(record('a'));
    await store.add(record('b'));
    const a = (await db.get('credentials', 'a')) as { privateKey: unknown };
    const b = (await db.get('credentials', 'b'))!;
    await db.put('credentials', { ...b, privateKey: a.privateKey } as never);
    await expect(store.get('b')).rejects.toThrow(/could not be decrypted/);
  });

  it('refuses short passphrases and a second create', async () => {
    const { vault } = await newVault();
    await expect(vault.create('short')).rejects.toThrow(/at least 8/);
    await vault.create(PASSPHRASE);
    await expect(vault.create(PASSPHRASE)).rejects.toThrow(/already exists/);
  });
});

describe('Vault: auto-lock', () => {
  it('locks after the idle time, and each use restarts the clock', async () => {
    const { vault, time } = await newVault({ autoLockMinutes: 15 });
    await vault.create(PASSPHRASE);
    time.advance(14 * 60_000);
    await vault.credentialStore(); // a use
    time.advance(14 * 60_000);
    expect(await vault.checkIdle()).toBe(true);
    time.advance(2 * 60_000);
    expect(await vault.checkIdle()).toBe(false);
    await expect(vault.credentialStore()).rejects.toBeInstanceOf(VaultLockedError);
  });

  it('never auto-locks with 0 minutes', async () => {
    const { vault, time } = await newVault({ autoLockMinutes: 0 });
    await vault.create(PASSPHRASE);
    time.advance(1e9);
    expect(await vault.checkIdle()).toBe(true);
  });
});

describe('Vault: PIN (user verification)', () => {
  async function withPin() {
    const setup = await newVault();
    await setup.vault.create(PASSPHRASE);
    await setup.vault.setPin('2468');
    return setup;
  }

  it('accepts the right PIN and refuses a wrong one', async () => {
    const { vault } = await withPin();
    expect(await vault.verifyPin('2468')).toEqual({ ok: true });
    expect(await vault.verifyPin('1357')).toEqual({ ok: false, reason: 'wrong', triesLeft: 7, retryAfterMs: 0 });
    expect((await vault.status()).pinSet).toBe(true);
  });

  it('stores only an HMAC of the PIN', async () => {
    const { db } = await withPin();
    const pin = (await db.get('vault', 'pin')) as { check: Uint8Array };
    expect(pin.check).toHaveLength(32);
    expect(JSON.stringify(await db.get('vault', 'pin'))).not.toContain('2468');
  });

  it('backs off after 3 wrong PINs, without trying the PIN while waiting', async () => {
    const { vault, time } = await withPin();
    for (let i = 0; i < 3; i++) expect((await vault.verifyPin('0000')).ok).toBe(false);
    // The third failure starts a 1 s wait; even the right PIN is not tried meanwhile.
    expect(await vault.verifyPin('2468')).toEqual({ ok: false, reason: 'wait', triesLeft: 5, retryAfterMs: 1_000 });
    time.advance(1_000);
    expect(await vault.verifyPin('2468')).toEqual({ ok: true });
    // A right PIN resets the count.
    expect(await vault.verifyPin('0000')).toMatchObject({ reason: 'wrong', triesLeft: 7 });
  });

  it('blocks the PIN and locks the vault after 8 wrong PINs, until the passphrase is entered', async () => {
    const { vault, time } = await withPin();
    const results = [];
    for (let i = 0; i < MAX_PIN_FAILURES; i++) {
      results.push(await vault.verifyPin('0000'));
      time.advance(pinBackoffMs(i + 1));
    }
    expect(results.map((r) => (r.ok ? 'ok' : r.reason))).toEqual([...Array(7).fill('wrong'), 'blocked']);
    expect(await vault.status()).toMatchObject({ locked: true, pinFailures: 8 });
    await expect(vault.verifyPin('2468')).rejects.toBeInstanceOf(VaultLockedError);
    await vault.unlock(PASSPHRASE);
    expect(await vault.status()).toMatchObject({ locked: false, pinFailures: 0 });
    expect(await vault.verifyPin('2468')).toEqual({ ok: true });
  });

  it('keeps the wrong-PIN count across a new worker and a new browser session', async () => {
    const { vault, db, time } = await withPin();
    await vault.verifyPin('0000');
    await vault.verifyPin('0000');
    const session = memorySessionSecret();
    const again = new Vault({ db, session, now: time.now, autoLockMinutes: () => 15, iterations: TEST_ITERATIONS });
    expect((await again.status()).pinFailures).toBe(2);
  });

  it('counts concurrent wrong PINs one by one', async () => {
    const { vault, time } = await withPin();
    time.advance(0);
    const results = await Promise.all([vault.verifyPin('1'), vault.verifyPin('2'), vault.verifyPin('3')]);
    expect(results.map((r) => (!r.ok && r.reason === 'wrong' ? r.triesLeft : null))).toEqual([7, 6, 5]);
  });

  it('has a back-off schedule of 0, 0, 0, 1, 2, 4, 8, 16 seconds', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(pinBackoffMs)).toEqual([0, 0, 0, 1_000, 2_000, 4_000, 8_000, 16_000]);
  });

  it('refuses a short PIN and needs the vault unlocked to set one', async () => {
    const { vault } = await newVault();
    await vault.create(PASSPHRASE);
    await expect(vault.setPin('12')).rejects.toThrow(/at least 4/);
    await expect(vault.setPin('123456', 6)).resolves.toBeUndefined();
    await vault.lock();
    await expect(vault.setPin('2468')).rejects.toBeInstanceOf(VaultLockedError);
  });
});

describe('schema migration from version 1 (the foundation)', () => {
  async function versionOne(name: string, records: CredentialRecord[]) {
    const db = await openDB(name, 1, {
      upgrade(database) {
        database.createObjectStore('credentials', { keyPath: 'id' }).createIndex('rpId', 'rpId');
      },
    });
    for (const r of records) await db.add('credentials', r);
    db.close();
  }

  const legacy = [
    record('one', { privateKeyPkcs8: key32(1), createdAt: 1 }),
    record('two', { privateKeyPkcs8: key32(2), rpId: 'other.example', createdAt: 2 }),
  ];

  it('upgrades to version 2 keeping every record, then seals them all when the vault is created', async () => {
    await versionOne('migrate-ok', legacy);
    const db = await freshDb('migrate-ok');
    expect(db.version).toBe(2);
    expect([...db.objectStoreNames].sort()).toEqual(['credentials', 'vault']);
    const { vault } = await newVault({ db });
    expect(await vault.status()).toMatchObject({ exists: false, unencryptedCredentials: 2 });
    await vault.create(PASSPHRASE);
    for (const stored of await db.getAll('credentials')) expect(isLegacy(stored)).toBe(false);
    expect(await vault.status()).toMatchObject({ exists: true, locked: false, unencryptedCredentials: 0 });
    const store = await vault.credentialStore();
    expect(await store.list()).toEqual([...legacy].reverse());
  });

  it('a failure in the middle leaves version 1 records as they were and no vault key', async () => {
    await versionOne('migrate-fail', legacy);
    const db = await freshDb('migrate-fail');
    const { vault } = await newVault({ db });
    // The second credential write fails, after the vault key and the first record were written.
    const put = IDBObjectStore.prototype.put;
    let puts = 0;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args) {
      if (this.name === 'credentials' && ++puts === 2) throw new DOMException('disk full', 'QuotaExceededError');
      return put.apply(this, args);
    });
    await expect(vault.create(PASSPHRASE)).rejects.toThrow(/disk full/);
    vi.restoreAllMocks();
    expect(await db.get('vault', 'key')).toBeUndefined();
    expect(await db.getAll('credentials')).toEqual(legacy);
    // And it can be tried again.
    await vault.create(PASSPHRASE);
    expect(await (await vault.credentialStore()).list()).toEqual([...legacy].reverse());
  });

  it('the encrypted store refuses a plaintext record instead of using it', async () => {
    const { vault, db } = await newVault();
    await vault.create(PASSPHRASE);
    await db.put('credentials', record('sneaked'));
    await expect((await vault.credentialStore()).get('sneaked')).rejects.toThrow(/unencrypted/);
  });
});
