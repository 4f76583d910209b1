/**
 * The vault: creating it with a passphrase, unlocking, locking, the PIN.
 *
 * Nothing on disk decrypts without the passphrase: the vault secret is stored
 * only sealed with the passphrase's PBKDF2 key; the unsealed secret is kept in
 * `session` (in the extension, `chrome.storage.session`, which the browser
 * keeps in memory and empties when it quits) so that a service worker stopped
 * for idleness does not lock the vault, while a browser restart does.
 *
 * Knows no extension API: storage, session and clock come in.
 */
import { abortTransaction } from './abortTransaction';
import { createEncryptedCredentialStore } from './encryptedCredentialStore';
import type { CredentialRecord, CredentialStore } from './credentialRecord';
import { MAX_PIN_FAILURES, pinBackoffMs, type PinCheck } from './pinRetries';
import {
  credentialAssociatedData,
  deriveKeyEncryptionKey,
  deriveSyncKeys,
  deriveVaultKeys,
  newSalt,
  newVaultSecret,
  PBKDF2_MIN_ITERATIONS,
  pinCheckValue,
  pinMatches,
  seal,
  unseal,
  UnsealError,
  VAULT_SECRET_ASSOCIATED_DATA,
  type VaultKeys,
  type VaultSyncKeys,
} from './vaultCrypto';
import {
  isLegacy,
  type PinRecord,
  type PinRetriesRecord,
  type StoredCredential,
  type VaultDatabase,
  type VaultKeyRecord,
} from './vaultDatabase';

/** Where the unlocked vault secret lives between service worker lives (memory only). */
export interface SessionSecret {
  load(): Promise<{ secret: Uint8Array; lastUsedAt: number } | undefined>;
  save(secret: Uint8Array, lastUsedAt: number): Promise<void>;
  touch(lastUsedAt: number): Promise<void>;
  clear(): Promise<void>;
}

export function memorySessionSecret(): SessionSecret {
  let held: { secret: Uint8Array; lastUsedAt: number } | undefined;
  return {
    async load() {
      return held && { secret: held.secret.slice(), lastUsedAt: held.lastUsedAt };
    },
    async save(secret, lastUsedAt) {
      held = { secret: secret.slice(), lastUsedAt };
    },
    async touch(lastUsedAt) {
      if (held) held.lastUsedAt = lastUsedAt;
    },
    async clear() {
      held = undefined;
    },
  };
}

export interface VaultOptions {
  db: VaultDatabase;
  session: SessionSecret;
  now(): number;
  /** Minutes without use after which the vault locks; 0 or less: never. */
  autoLockMinutes(): number | Promise<number>;
  /** PBKDF2 iterations for a new or re-wrapped vault key; never fewer than 600,000 outside tests. */
  iterations?: number;
}

export interface VaultStatus {
  exists: boolean;
  locked: boolean;
  pinSet: boolean;
  /** Wrong PINs since the last right one (8 blocks the PIN). */
  pinFailures: number;
  /** Version-1 records still holding a plaintext key (sealed when the vault is created). */
  unencryptedCredentials: number;
}

export class WrongPassphraseError extends Error {
  constructor() {
    super('Wrong passphrase.');
    this.name = 'WrongPassphraseError';
  }
}

export class VaultLockedError extends Error {
  constructor() {
    super('Latchkey is locked. Unlock it with your passphrase.');
    this.name = 'VaultLockedError';
  }
}

export const MIN_PASSPHRASE_LENGTH = 8;
const TOUCH_INTERVAL_MS = 5_000;
export const MIN_PIN_LENGTH = 4;

export class Vault {
  private readonly db: VaultDatabase;
  private readonly options: VaultOptions;
  /** Derived keys for the secret in the session, so each use does not run HKDF again. */
  private keys: { secret: Uint8Array; keys: VaultKeys } | undefined;
  private syncKeyCache: { secret: Uint8Array; keys: VaultSyncKeys } | undefined;
  /** PIN checks run one at a time, so two tries cannot both read the same failure count. */
  private pinQueue: Promise<unknown> = Promise.resolve();

  constructor(options: VaultOptions) {
    this.options = options;
    this.db = options.db;
  }

  private get iterations(): number {
    return this.options.iterations ?? PBKDF2_MIN_ITERATIONS;
  }

  async status(): Promise<VaultStatus> {
    const tx = this.db.transaction(['vault', 'credentials']);
    const [key, pin, retries] = await Promise.all([
      tx.objectStore('vault').get('key'),
      tx.objectStore('vault').get('pin'),
      tx.objectStore('vault').get('pinRetries') as Promise<PinRetriesRecord | undefined>,
    ]);
    let unencrypted = 0;
    if (!key) {
      for await (const cursor of tx.objectStore('credentials')) if (isLegacy(cursor.value)) unencrypted++;
    }
    return {
      exists: !!key,
      locked: !key || !(await this.unlockedKeys()),
      pinSet: !!pin,
      pinFailures: retries?.failures ?? 0,
      unencryptedCredentials: unencrypted,
    };
  }

  /**
   * First use: a new random vault secret, sealed with the passphrase. Version-1
   * records (plaintext keys) are sealed in the same transaction that stores the
   * vault key, so the store is never half migrated: either every record is
   * sealed and the key exists, or nothing changed.
   */
  async create(passphrase: string): Promise<void> {
    checkPassphrase(passphrase);
    if (await this.db.get('vault', 'key')) throw new Error('The vault already exists.');
    const secret = newVaultSecret();
    const salt = newSalt();
    const kek = await deriveKeyEncryptionKey(passphrase, salt, this.iterations);
    const now = this.options.now();
    const keyRecord: VaultKeyRecord = {
      kdf: 'PBKDF2-SHA256',
      salt,
      iterations: this.iterations,
      sealedSecret: await seal(kek, secret, VAULT_SECRET_ASSOCIATED_DATA),
      createdAt: now,
      changedAt: now,
    };
    const keys = await deriveVaultKeys(secret);

    // Seal every plaintext key before the transaction (WebCrypto awaits would end it).
    const legacy = (await this.db.getAll('credentials')).filter(isLegacy);
    const sealed = new Map<string, StoredCredential>();
    for (const record of legacy) {
      const { privateKeyPkcs8, ...metadata } = record;
      sealed.set(record.id, { ...metadata, privateKey: await seal(keys.records, privateKeyPkcs8, credentialAssociatedData(record.id)) });
    }

    const tx = this.db.transaction(['vault', 'credentials'], 'readwrite');
    try {
      const vaultStore = tx.objectStore('vault');
      const credentials = tx.objectStore('credentials');
      if (await vaultStore.get('key')) throw new Error('The vault already exists.');
      const writes: Promise<unknown>[] = [];
      // A failed request is reported by Promise.all below (or by the abort); never unhandled meanwhile.
      const track = (request: Promise<unknown>) => {
        request.catch(() => undefined);
        writes.push(request);
      };
      track(vaultStore.add(keyRecord, 'key'));
      for (const [id, record] of sealed) {
        const current = await credentials.get(id);
        // Deleted meanwhile: stays deleted. Anything else still legacy gets sealed.
        if (current && isLegacy(current)) track(credentials.put(record));
      }
      await Promise.all([...writes, tx.done]);
    } catch (error) {
      // Any failure undoes every write of this transaction: no key without sealed records, no half migration.
      await abortTransaction(tx);
      throw error;
    }
    await this.remember(secret, keys);
  }

  /** Unlocks with the passphrase. Also resets the wrong-PIN count (CTAP's "until the passphrase is entered"). */
  async unlock(passphrase: string): Promise<void> {
    const secret = await this.openSecret(passphrase);
    await this.db.delete('vault', 'pinRetries');
    await this.remember(secret, await deriveVaultKeys(secret));
  }

  async lock(): Promise<void> {
    this.keys = undefined;
    await this.options.session.clear();
  }

  /** Re-seals the same vault secret with a new passphrase; no credential is rewritten. */
  async changePassphrase(current: string, next: string): Promise<void> {
    checkPassphrase(next);
    const secret = await this.openSecret(current);
    const record = (await this.db.get('vault', 'key')) as VaultKeyRecord;
    const salt = newSalt();
    const kek = await deriveKeyEncryptionKey(next, salt, this.iterations);
    const updated: VaultKeyRecord = {
      ...record,
      salt,
      iterations: this.iterations,
      sealedSecret: await seal(kek, secret, VAULT_SECRET_ASSOCIATED_DATA),
      changedAt: this.options.now(),
    };
    await this.db.put('vault', updated, 'key');
  }

  /** Checks the passphrase without changing anything (before an export, say). */
  async verifyPassphrase(passphrase: string): Promise<void> {
    await this.openSecret(passphrase);
  }

  /**
   * Adds every record or none: all keys are sealed first, then one readwrite
   * transaction adds them all. A failed add (an id already stored) aborts the
   * transaction, and so does a service worker stopped before it commits: IndexedDB
   * never commits part of a transaction.
   */
  async importRecords(records: CredentialRecord[]): Promise<void> {
    const keys = await this.requireUnlocked();
    const stored = new Set(await this.db.getAllKeys('credentials'));
    const clash = records.find((record) => stored.has(record.id));
    if (clash) throw new Error(`“${clash.name}” (${clash.rpId}, ${clash.userName}) is already in Latchkey; nothing was imported`);
    const sealed: StoredCredential[] = [];
    for (const { privateKeyPkcs8, ...metadata } of records) {
      sealed.push({ ...metadata, privateKey: await seal(keys.records, privateKeyPkcs8, credentialAssociatedData(metadata.id)) });
    }
    const tx = this.db.transaction('credentials', 'readwrite');
    const adds = sealed.map((record) => {
      const request = tx.store.add(record);
      request.catch(() => undefined);
      return request;
    });
    try {
      await Promise.all([...adds, tx.done]);
    } catch (error) {
      await abortTransaction(tx);
      throw error;
    }
  }

  /** The credential store for one ceremony, sealed with the unlocked vault's key. */
  async credentialStore(): Promise<CredentialStore> {
    const keys = await this.requireUnlocked();
    return createEncryptedCredentialStore(this.db, keys.records);
  }

  async setPin(pin: string, minLength = MIN_PIN_LENGTH): Promise<void> {
    if (pin.length < minLength) throw new Error(`A PIN needs at least ${minLength} characters.`);
    const keys = await this.requireUnlocked();
    const salt = newSalt();
    const record: PinRecord = { salt, check: await pinCheckValue(keys.pin, salt, pin), setAt: this.options.now() };
    const tx = this.db.transaction('vault', 'readwrite');
    await Promise.all([tx.store.put(record, 'pin'), tx.store.delete('pinRetries'), tx.done]);
  }

  async removePin(): Promise<void> {
    await this.requireUnlocked();
    const tx = this.db.transaction('vault', 'readwrite');
    await Promise.all([tx.store.delete('pin'), tx.store.delete('pinRetries'), tx.done]);
  }

  /**
   * User verification by PIN. The count of wrong PINs is stored, so neither a
   * worker restart nor a browser restart resets it; the 8th wrong PIN locks the vault.
   */
  verifyPin(pin: string): Promise<PinCheck> {
    const run = this.pinQueue.then(() => this.verifyPinNow(pin));
    this.pinQueue = run.catch(() => undefined);
    return run;
  }

  private async verifyPinNow(pin: string): Promise<PinCheck> {
    const keys = await this.requireUnlocked();
    const record = (await this.db.get('vault', 'pin')) as PinRecord | undefined;
    if (!record) return { ok: false, reason: 'no-pin' };
    const retries = ((await this.db.get('vault', 'pinRetries')) as PinRetriesRecord | undefined) ?? { failures: 0, lastFailureAt: 0 };
    if (retries.failures >= MAX_PIN_FAILURES) {
      await this.lock();
      return { ok: false, reason: 'blocked' };
    }
    const now = this.options.now();
    const waitUntil = retries.lastFailureAt + pinBackoffMs(retries.failures);
    if (now < waitUntil) {
      return { ok: false, reason: 'wait', triesLeft: MAX_PIN_FAILURES - retries.failures, retryAfterMs: waitUntil - now };
    }
    if (await pinMatches(keys.pin, record.salt, pin, record.check)) {
      if (retries.failures > 0) await this.db.delete('vault', 'pinRetries');
      return { ok: true };
    }
    const failures = retries.failures + 1;
    await this.db.put('vault', { failures, lastFailureAt: now } satisfies PinRetriesRecord, 'pinRetries');
    if (failures >= MAX_PIN_FAILURES) {
      await this.lock();
      return { ok: false, reason: 'blocked' };
    }
    return { ok: false, reason: 'wrong', triesLeft: MAX_PIN_FAILURES - failures, retryAfterMs: pinBackoffMs(failures) };
  }

  /** The keys sync seals and names its items with; the vault must be unlocked. */
  async syncKeys(): Promise<VaultSyncKeys> {
    await this.requireUnlocked();
    const held = (await this.options.session.load())!;
    if (!this.syncKeyCache || !sameBytes(this.syncKeyCache.secret, held.secret)) {
      this.syncKeyCache = { secret: held.secret, keys: await deriveSyncKeys(held.secret) };
    }
    return this.syncKeyCache.keys;
  }

  /** The passphrase-sealed vault secret as stored (what sync carries to a new browser), or undefined without a vault. */
  async keyRecord(): Promise<VaultKeyRecord | undefined> {
    return (await this.db.get('vault', 'key')) as VaultKeyRecord | undefined;
  }

  /**
   * Takes the sealed vault secret another browser of the same sync account put in sync storage:
   * this browser then unlocks with that vault's passphrase. Only where there is no vault yet, or
   * to follow a passphrase change of the same vault (`keyId` equal, `changedAt` newer), checked
   * by the caller while unlocked. Nothing here can decrypt without the passphrase.
   */
  async adoptKeyRecord(record: VaultKeyRecord, replace = false): Promise<void> {
    const tx = this.db.transaction('vault', 'readwrite');
    const current = await tx.store.get('key');
    if (current && !replace) {
      await abortTransaction(tx);
      throw new Error('The vault already exists.');
    }
    await Promise.all([tx.store.put(record, 'key'), tx.done]);
  }

  /** Locks when the vault has been idle longer than the auto-lock time. Returns whether it is (still) unlocked. */
  async checkIdle(): Promise<boolean> {
    return !!(await this.unlockedKeys());
  }

  /** Records a use of the unlocked vault, which restarts the idle clock. */
  async touch(): Promise<void> {
    await this.unlockedKeys(true);
  }

  private async requireUnlocked(): Promise<VaultKeys> {
    const keys = await this.unlockedKeys(true);
    if (!keys) throw new VaultLockedError();
    return keys;
  }

  private async unlockedKeys(use = false): Promise<VaultKeys | undefined> {
    const held = await this.options.session.load();
    if (!held) {
      this.keys = undefined;
      return undefined;
    }
    const minutes = await this.options.autoLockMinutes();
    const now = this.options.now();
    if (minutes > 0 && now - held.lastUsedAt > minutes * 60_000) {
      await this.lock();
      return undefined;
    }
    // The idle clock needs no millisecond precision: write it at most every few seconds.
    if (use && now - held.lastUsedAt >= TOUCH_INTERVAL_MS) await this.options.session.touch(now);
    if (!this.keys || !sameBytes(this.keys.secret, held.secret)) {
      this.keys = { secret: held.secret, keys: await deriveVaultKeys(held.secret) };
    }
    return this.keys.keys;
  }

  private async openSecret(passphrase: string): Promise<Uint8Array> {
    const record = (await this.db.get('vault', 'key')) as VaultKeyRecord | undefined;
    if (!record) throw new Error('There is no vault yet: set a passphrase first.');
    const kek = await deriveKeyEncryptionKey(passphrase, record.salt, record.iterations);
    try {
      return await unseal(kek, record.sealedSecret, VAULT_SECRET_ASSOCIATED_DATA, 'The vault key');
    } catch (error) {
      if (error instanceof UnsealError) throw new WrongPassphraseError();
      throw error;
    }
  }

  private async remember(secret: Uint8Array, keys: VaultKeys): Promise<void> {
    this.keys = { secret, keys };
    await this.options.session.save(secret, this.options.now());
  }
}

function checkPassphrase(passphrase: string): void {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new Error(`A passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters.`);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
