/**
 * The storage area sync writes to, as an interface: in the extension it is `chrome.storage.sync`
 * (background/syncStorage.ts); in unit tests `createMemorySyncArea`, which keeps Chromium's quotas.
 * The sync engine knows no extension API.
 */

/** One change as `storage.onChanged` reports it: a missing `newValue` means the item was removed. */
export interface StorageChange {
  oldValue?: unknown;
  newValue?: unknown;
}

export type ChangeListener = (changes: Record<string, StorageChange>) => void;

export interface SyncStorageArea {
  /** Every item (`null`) or the named ones. */
  get(keys?: string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
  onChanged: { addListener(listener: ChangeListener): void; removeListener(listener: ChangeListener): void };
}

/**
 * Chromium's `chrome.storage.sync` limits (extensions/common/api/storage.json). Firefox's are the
 * same for bytes, item size and item count, and it has no write-rate limit.
 */
export const SYNC_QUOTA = {
  QUOTA_BYTES: 102_400,
  QUOTA_BYTES_PER_ITEM: 8_192,
  MAX_ITEMS: 512,
  MAX_WRITE_OPERATIONS_PER_HOUR: 1_800,
  MAX_WRITE_OPERATIONS_PER_MINUTE: 120,
} as const;

/**
 * An item's size as Chromium counts it: "the JSON stringification of its value plus its key
 * length", in UTF-8 bytes.
 */
export function itemBytes(key: string, value: unknown): number {
  return utf8Length(key) + utf8Length(JSON.stringify(value));
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}
