/**
 * What one passkey looks like in `storage.sync` once decrypted: the passkey itself (with its
 * private key: the whole entity is sealed with the vault's sync key), its mutable parts as
 * last-writer-wins registers stamped with a hybrid logical clock, the orphan detector's evidence,
 * and — once deleted — a tombstone.
 */
import type { Evidence } from '../orphans/evidence';
import type { CredentialRecord } from '../vault/credentialRecord';
import type { Hlc } from './hlc';

/** The passkey's parts that never change after creation (plus the large blob as created); `id` is the entity's. */
export type SyncedPasskey = Omit<
  CredentialRecord,
  'id' | 'name' | 'userName' | 'userDisplayName' | 'signCount' | 'lastUsedAt' | 'backupState'
>;

export interface Register<T> {
  value: T;
  clock: Hlc;
  /** The clock of the version this edit replaced: an edit made without seeing another is a conflict. */
  prev?: Hlc;
}

export interface Account {
  userName: string;
  userDisplayName: string;
}

export interface SyncEntity {
  v: 1;
  /** The credential id (base64url); only ever inside the ciphertext. */
  id: string;
  /** Absent in a tombstone. */
  passkey?: SyncedPasskey;
  name?: Register<string>;
  /** Account names, which signalCurrentUserDetails may change. */
  account?: Register<Account>;
  /** The orphan detector's evidence log. */
  evidence?: Evidence[];
  /**
   * Set once deleted anywhere: delete wins over every edit. `at` (wall clock) starts the
   * tombstone's expiry; `seen` is the newest edit the deleting browser knew of.
   */
  deleted?: { clock: Hlc; at: number; seen?: Hlc };
}

/** Tombstones are kept this long, then removed from sync storage (a browser offline longer may bring the passkey back). */
export const TOMBSTONE_TTL_MS = 30 * 24 * 60 * 60_000;
