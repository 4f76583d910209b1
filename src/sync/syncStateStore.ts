/**
 * What one browser remembers about sync, in an IndexedDB database of its own
 * ('latchkey-sync'), so the vault's schema stays the vault's:
 *
 * - `base`: per passkey, the version this browser and sync storage last agreed on (without the
 *   passkey's key material: names, clocks, evidence, tombstone) and whether it is in sync storage
 *   (`synced`) or kept only here because sync storage was full (`not-synced`). Comparing the
 *   vault with `base` is how a local rename, delete or new passkey is noticed, whichever code
 *   path made it.
 * - `meta`: this browser's device id, its hybrid logical clock, and the running totals the
 *   popup shows.
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { SyncEntity } from './syncEntity';

export type RecordSyncState = 'synced' | 'not-synced';

export interface BaseEntry {
  id: string;
  itemKey: string;
  /** The agreed version, `passkey` left out. */
  entity: SyncEntity;
  state: RecordSyncState;
}

export interface SyncMeta {
  deviceId: string;
  clock?: string;
  lastSyncedAt: number | null;
  conflictsResolved: number;
  errors: string[];
}

interface SyncDB extends DBSchema {
  base: { key: string; value: BaseEntry };
  meta: { key: 'meta'; value: SyncMeta };
}

export interface SyncStateStore {
  bases(): Promise<BaseEntry[]>;
  /** Writes and deletes bases in one transaction. */
  saveBases(put: BaseEntry[], remove: string[]): Promise<void>;
  meta(): Promise<SyncMeta>;
  saveMeta(patch: Partial<SyncMeta>): Promise<SyncMeta>;
}

export async function openSyncStateStore(name = 'latchkey-sync', newDeviceId: () => string): Promise<SyncStateStore> {
  const db: IDBPDatabase<SyncDB> = await openDB<SyncDB>(name, 1, {
    upgrade(database, oldVersion) {
      if (oldVersion < 1) {
        database.createObjectStore('base', { keyPath: 'id' });
        database.createObjectStore('meta');
      }
    },
  });
  async function meta(): Promise<SyncMeta> {
    const stored = await db.get('meta', 'meta');
    if (stored) return stored;
    const fresh: SyncMeta = { deviceId: newDeviceId(), lastSyncedAt: null, conflictsResolved: 0, errors: [] };
    // `add`: two first calls at once keep the first device id.
    await db.add('meta', fresh, 'meta').catch(() => undefined);
    return (await db.get('meta', 'meta'))!;
  }
  return {
    bases: () => db.getAll('base'),
    async saveBases(put, remove) {
      if (!put.length && !remove.length) return;
      const tx = db.transaction('base', 'readwrite');
      await Promise.all([...put.map((entry) => tx.store.put(entry)), ...remove.map((id) => tx.store.delete(id)), tx.done]);
    },
    meta,
    async saveMeta(patch) {
      const next = { ...(await meta()), ...patch };
      await db.put('meta', next, 'meta');
      return next;
    },
  };
}
