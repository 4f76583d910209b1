/**
 * The vault's IndexedDB database (through `idb`), shared by the service worker's
 * ceremonies and the popup's requests.
 *
 * Schema, version 2:
 * - `credentials`, keyPath `id` (the base64url credential id), index `rpId`:
 *   a credential's metadata in the clear (so the popup can list 10,000 of them
 *   without decrypting) and its private key sealed with the vault key
 *   (`privateKey`). A version-1 record still holds `privateKeyPkcs8` in the clear
 *   until the vault is created (see `Vault.create`), which seals them all in the
 *   same transaction that stores the vault key.
 * - `vault` (out-of-line keys): `key` (the passphrase-sealed vault secret),
 *   `pin` (the PIN check value), `pinRetries` (wrong PIN count).
 *
 * Version 1 (the foundation) had `credentials` only, with plaintext keys.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { CredentialRecord } from './credentialRecord';
import type { Sealed } from './vaultCrypto';

export const VAULT_DB_VERSION = 2;

/** A credential as stored from version 2 on: everything but the private key in the clear. */
export type StoredCredential = Omit<CredentialRecord, 'privateKeyPkcs8'> & { privateKey: Sealed };
/** A credential as version 1 stored it, until the vault seals it. */
export type LegacyCredential = CredentialRecord;
export type CredentialMetadata = Omit<CredentialRecord, 'privateKeyPkcs8'>;

export interface VaultKeyRecord {
  kdf: 'PBKDF2-SHA256';
  salt: Uint8Array;
  iterations: number;
  /** The 32-byte vault secret, sealed with the passphrase's key-encryption key. */
  sealedSecret: Sealed;
  createdAt: number;
  changedAt: number;
}

export interface PinRecord {
  salt: Uint8Array;
  /** HMAC-SHA256(vault PIN key, salt || PIN). */
  check: Uint8Array;
  setAt: number;
}

export interface PinRetriesRecord {
  /** Wrong PINs since the last right PIN or passphrase. */
  failures: number;
  lastFailureAt: number;
}

export interface VaultDB extends DBSchema {
  credentials: { key: string; value: StoredCredential | LegacyCredential; indexes: { rpId: string } };
  vault: { key: 'key' | 'pin' | 'pinRetries'; value: VaultKeyRecord | PinRecord | PinRetriesRecord };
}

export type VaultDatabase = IDBPDatabase<VaultDB>;

export function isLegacy(record: StoredCredential | LegacyCredential): record is LegacyCredential {
  return 'privateKeyPkcs8' in record;
}

export function metadataOf(record: StoredCredential | LegacyCredential): CredentialMetadata {
  const { privateKey: _sealed, privateKeyPkcs8: _plain, ...metadata } = record as StoredCredential & Partial<LegacyCredential>;
  return metadata;
}

export function openVaultDatabase(name = 'latchkey'): Promise<VaultDatabase> {
  return openDB<VaultDB>(name, VAULT_DB_VERSION, {
    // One step per version; IndexedDB runs them all in the one versionchange
    // transaction, so an upgrade either completes or leaves the old version.
    upgrade(database, oldVersion) {
      if (oldVersion < 1) {
        database.createObjectStore('credentials', { keyPath: 'id' }).createIndex('rpId', 'rpId');
      }
      if (oldVersion < 2) {
        // Version 1 records keep their plaintext key until a vault key exists to
        // seal them with: an upgrade cannot wait for the user's passphrase.
        database.createObjectStore('vault');
      }
    },
    blocking() {
      // Another context wants a newer version: step aside rather than block it.
    },
  });
}
