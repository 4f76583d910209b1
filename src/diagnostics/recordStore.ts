/**
 * The ceremony log in IndexedDB, in a database of its own ('latchkey-diagnostics'): the vault's
 * schema stays the vault's, and clearing the log touches no passkey. A bounded ring: adding
 * record 1,001 drops the oldest.
 */
import { type DBSchema, openDB } from 'idb';
import type { CeremonyRecord } from './record';

export const MAX_RECORDS = 1_000;

export interface RecordStore {
  /** Adds a record and returns its sequence number; drops the oldest beyond the bound. */
  add(record: CeremonyRecord): Promise<number>;
  /** Changes the newest record with this key; false when there is none or `change` returns null. */
  update(key: string, change: (record: CeremonyRecord) => CeremonyRecord | null): Promise<boolean>;
  /** Records, newest first, optionally of one tab only. */
  list(filter?: { tabId?: number; limit?: number }): Promise<CeremonyRecord[]>;
  clear(): Promise<void>;
}

interface DiagnosticsDB extends DBSchema {
  records: { key: number; value: CeremonyRecord; indexes: { key: string; tabId: number } };
}

export async function openRecordStore(name = 'latchkey-diagnostics', max = MAX_RECORDS): Promise<RecordStore> {
  const db = await openDB<DiagnosticsDB>(name, 1, {
    upgrade(database, oldVersion) {
      if (oldVersion < 1) {
        const store = database.createObjectStore('records', { keyPath: 'seq', autoIncrement: true });
        store.createIndex('key', 'key');
        store.createIndex('tabId', 'tabId');
      }
    },
  });
  return {
    async add(record) {
      const tx = db.transaction('records', 'readwrite');
      const { seq: _unassigned, ...fresh } = record;
      const seq = await tx.store.add(fresh as CeremonyRecord);
      let excess = (await tx.store.count()) - max;
      if (excess > 0) {
        let cursor = await tx.store.openCursor();
        while (cursor && excess > 0) {
          await cursor.delete();
          excess--;
          cursor = await cursor.continue();
        }
      }
      await tx.done;
      return seq;
    },
    async update(key, change) {
      const tx = db.transaction('records', 'readwrite');
      const cursor = await tx.store.index('key').openCursor(IDBKeyRange.only(key), 'prev');
      let changed = false;
      if (cursor) {
        const next = change(cursor.value);
        if (next) {
          await cursor.update({ ...next, seq: cursor.value.seq, key: cursor.value.key });
          changed = true;
        }
      }
      await tx.done;
      return changed;
    },
    async list(filter = {}) {
      const tx = db.transaction('records');
      const source = filter.tabId === undefined ? tx.store : tx.store.index('tabId');
      const range = filter.tabId === undefined ? null : IDBKeyRange.only(filter.tabId);
      const records: CeremonyRecord[] = [];
      let cursor = await source.openCursor(range, 'prev');
      while (cursor && records.length < (filter.limit ?? max)) {
        records.push(cursor.value);
        cursor = await cursor.continue();
      }
      await tx.done;
      // The tabId index orders by tab, then by seq within it; newest first either way.
      return records.sort((a, b) => (b.seq ?? 0) - (a.seq ?? 0));
    },
    async clear() {
      await db.clear('records');
    },
  };
}
