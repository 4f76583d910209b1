/**
 * A stand-in for `chrome.storage.sync` with its quota and change-event semantics, for unit tests
 * (and anything else that needs a sync area without a browser):
 *
 * - a write that would break a quota is refused whole, with Chromium's own messages
 *   ("QUOTA_BYTES_PER_ITEM quota exceeded", "QUOTA_BYTES quota exceeded", "MAX_ITEMS quota
 *   exceeded", "This request exceeds the MAX_WRITE_OPERATIONS_PER_MINUTE quota.");
 * - each `set`/`remove` call is one write operation, counted per minute and per hour;
 * - listeners get `{ oldValue, newValue }` per changed key, after the write, asynchronously, and
 *   only for keys whose value changed (Chromium leaves unchanged values out of onChanged);
 * - values go in and come out as JSON copies, as the real area stores them.
 */
import { itemBytes, SYNC_QUOTA, type ChangeListener, type StorageChange, type SyncStorageArea } from './syncArea';

export interface MemorySyncArea extends SyncStorageArea {
  /** Bytes in use, counted as the quota counts them (chrome.storage.sync.getBytesInUse()). */
  bytesInUse(): number;
  /** Write operations of the last hour (set and remove calls that were accepted). */
  writeOperations(): number;
  /**
   * What the browser's sync engine does when another browser's change arrives: the items change
   * and onChanged fires, with no quota check and no write operation counted (the area is
   * over quota afterwards if the other browser's data is bigger, as with the real sync).
   */
  applyRemote(changes: Record<string, StorageChange>): void;
}

export function createMemorySyncArea(options: { now?: () => number; quota?: Partial<typeof SYNC_QUOTA> } = {}): MemorySyncArea {
  const quota = { ...SYNC_QUOTA, ...options.quota };
  const now = options.now ?? (() => Date.now());
  const items = new Map<string, string>(); // key → JSON text
  const listeners = new Set<ChangeListener>();
  const writes: number[] = [];

  const copy = (json: string | undefined) => (json === undefined ? undefined : JSON.parse(json));
  const total = (map: Map<string, string>) => [...map].reduce((sum, [key, json]) => sum + itemBytes(key, JSON.parse(json)), 0);

  function countWrite(): void {
    const at = now();
    while (writes.length && writes[0]! <= at - 3_600_000) writes.shift();
    if (writes.filter((time) => time > at - 60_000).length >= quota.MAX_WRITE_OPERATIONS_PER_MINUTE) {
      throw new Error('This request exceeds the MAX_WRITE_OPERATIONS_PER_MINUTE quota.');
    }
    if (writes.length >= quota.MAX_WRITE_OPERATIONS_PER_HOUR) {
      throw new Error('This request exceeds the MAX_WRITE_OPERATIONS_PER_HOUR quota.');
    }
    writes.push(at);
  }

  function notify(changes: Record<string, StorageChange>): void {
    if (Object.keys(changes).length === 0) return;
    // Like the browser: a separate event after the write has completed, never inside the caller's call.
    setTimeout(() => {
      for (const listener of [...listeners]) listener(structuredClone(changes));
    }, 0);
  }

  return {
    async get(keys) {
      const wanted = keys ?? [...items.keys()];
      const out: Record<string, unknown> = {};
      for (const key of wanted) if (items.has(key)) out[key] = copy(items.get(key));
      return out;
    },
    async set(values) {
      const next = new Map(items);
      for (const [key, value] of Object.entries(values)) {
        if (value === undefined) continue;
        const json = JSON.stringify(value);
        if (itemBytes(key, value) > quota.QUOTA_BYTES_PER_ITEM) throw new Error('QUOTA_BYTES_PER_ITEM quota exceeded');
        next.set(key, json);
      }
      if (total(next) > quota.QUOTA_BYTES) throw new Error('QUOTA_BYTES quota exceeded');
      if (next.size > quota.MAX_ITEMS) throw new Error('MAX_ITEMS quota exceeded');
      countWrite();
      const changes: Record<string, StorageChange> = {};
      for (const [key, json] of next) {
        const before = items.get(key);
        if (before === json) continue;
        changes[key] = { ...(before !== undefined ? { oldValue: copy(before) } : {}), newValue: copy(json) };
        items.set(key, json);
      }
      notify(changes);
    },
    async remove(keys) {
      countWrite();
      const changes: Record<string, StorageChange> = {};
      for (const key of keys) {
        const before = items.get(key);
        if (before === undefined) continue;
        changes[key] = { oldValue: copy(before) };
        items.delete(key);
      }
      notify(changes);
    },
    onChanged: {
      addListener: (listener) => void listeners.add(listener),
      removeListener: (listener) => void listeners.delete(listener),
    },
    applyRemote(incoming) {
      const changes: Record<string, StorageChange> = {};
      for (const [key, change] of Object.entries(incoming)) {
        const before = items.get(key);
        const json = change.newValue === undefined ? undefined : JSON.stringify(change.newValue);
        if (before === json) continue;
        if (json === undefined) items.delete(key);
        else items.set(key, json);
        changes[key] = {
          ...(before !== undefined ? { oldValue: copy(before) } : {}),
          ...(json !== undefined ? { newValue: copy(json) } : {}),
        };
      }
      notify(changes);
    },
    bytesInUse: () => total(items),
    writeOperations: () => writes.length,
  };
}
