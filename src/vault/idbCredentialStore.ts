/**
 * The credential store in IndexedDB (through `idb`), as the service worker and
 * the popup share it. Records are stored as they are (structured clone keeps
 * Uint8Array); encrypting the key material is the vault's layer above this one.
 *
 * Schema, version 1: object store `credentials`, keyPath `id` (the base64url
 * credential id), index `rpId`.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { CredentialRecord, CredentialStore } from './credentialRecord';
import { newestFirst } from './newestFirst';

interface LatchkeyDB extends DBSchema {
  credentials: {
    key: string;
    value: CredentialRecord;
    indexes: { rpId: string };
  };
}

const VERSION = 1;

export type IdbCredentialStore = CredentialStore & {
  /** Closes the connection, so the database can be deleted or upgraded. */
  close(): void;
};

export async function openCredentialStore(name = 'latchkey'): Promise<IdbCredentialStore> {
  const db: IDBPDatabase<LatchkeyDB> = await openDB<LatchkeyDB>(name, VERSION, {
    upgrade(database, oldVersion) {
      // One step per version, so a later version adds its step below this one.
      if (oldVersion < 1) {
        database.createObjectStore('credentials', { keyPath: 'id' }).createIndex('rpId', 'rpId');
      }
    },
  });

  return {
    async listByRpId(rpId) {
      return (await db.getAllFromIndex('credentials', 'rpId', rpId)).sort(newestFirst);
    },
    get(id) {
      return db.get('credentials', id);
    },
    async list() {
      return (await db.getAll('credentials')).sort(newestFirst);
    },
    async add(record) {
      // `add`, not `put`: an existing id is a ConstraintError, never an overwrite.
      await db.add('credentials', record);
    },
    async update(id, change) {
      // Read and write in one readwrite transaction, so two updates of the same
      // record (two assertions racing for the counter) run one after the other.
      // `change` is synchronous, which keeps the transaction alive across it.
      const tx = db.transaction('credentials', 'readwrite');
      const current = await tx.store.get(id);
      if (!current) throw new Error(`no credential with id ${id}`);
      const next = change(current);
      if (next.id !== id) throw new Error('update must not change a credential id');
      // Together, so a failed put's abort (tx.done rejecting) is handled too.
      await Promise.all([tx.store.put(next), tx.done]);
      return next;
    },
    async delete(id) {
      await db.delete('credentials', id);
    },
    close() {
      db.close();
    },
  };
}
