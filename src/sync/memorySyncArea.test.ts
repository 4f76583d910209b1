import { describe, expect, it } from 'vitest';
import { createMemorySyncArea } from './memorySyncArea';
import { itemBytes, SYNC_QUOTA, type StorageChange } from './syncArea';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the storage.sync stand-in', () => {
  it('counts an item as its key length plus its JSON value length', () => {
    expect(itemBytes('ab', 'xyz')).toBe(2 + 5);
    expect(itemBytes('k', { a: 1 })).toBe(1 + 7);
  });

  it('refuses an item over QUOTA_BYTES_PER_ITEM with Chromium’s message, and stores nothing of that write', async () => {
    const area = createMemorySyncArea();
    const value = 'x'.repeat(SYNC_QUOTA.QUOTA_BYTES_PER_ITEM - 2 - 3 + 1); // key "big" + quotes
    await expect(area.set({ small: 1, big: value })).rejects.toThrow('QUOTA_BYTES_PER_ITEM quota exceeded');
    expect(await area.get(null)).toEqual({});
    await area.set({ big: value.slice(1) }); // exactly 8,192 bytes fits
    expect(area.bytesInUse()).toBe(SYNC_QUOTA.QUOTA_BYTES_PER_ITEM);
  });

  it('refuses a write that would pass QUOTA_BYTES', async () => {
    const area = createMemorySyncArea();
    const chunk = 'x'.repeat(8_000);
    for (let index = 0; index < 12; index++) await area.set({ [`i${index}`]: chunk });
    await expect(area.set({ i12: chunk })).rejects.toThrow('QUOTA_BYTES quota exceeded');
    expect(Object.keys(await area.get(null))).toHaveLength(12);
    expect(area.bytesInUse()).toBeLessThanOrEqual(SYNC_QUOTA.QUOTA_BYTES);
  });

  it('refuses a write that would pass MAX_ITEMS', async () => {
    const area = createMemorySyncArea();
    const items = Object.fromEntries(Array.from({ length: 512 }, (_, index) => [`k${index}`, 1]));
    await area.set(items);
    await expect(area.set({ one: 1 })).rejects.toThrow('MAX_ITEMS quota exceeded');
  });

  it('refuses the 121st write in a minute and the 1,801st in an hour', async () => {
    let now = 0;
    const area = createMemorySyncArea({ now: () => now });
    for (let index = 0; index < 120; index++) await area.set({ a: index });
    await expect(area.set({ a: 'late' })).rejects.toThrow('This request exceeds the MAX_WRITE_OPERATIONS_PER_MINUTE quota.');
    await expect(area.remove(['a'])).rejects.toThrow('MAX_WRITE_OPERATIONS_PER_MINUTE');
    now += 60_001;
    await area.set({ a: 'next minute' });
    for (let minute = 0; minute < 15; minute++) {
      now += 60_001;
      for (let index = 0; index < 120 && area.writeOperations() < 1_800; index++) await area.set({ a: `${minute}/${index}` });
    }
    expect(area.writeOperations()).toBe(1_800);
    now += 60_001;
    await expect(area.set({ a: 'over' })).rejects.toThrow('This request exceeds the MAX_WRITE_OPERATIONS_PER_HOUR quota.');
  });

  it('fires onChanged after the write with oldValue and newValue, and not for unchanged values', async () => {
    const area = createMemorySyncArea();
    const seen: Record<string, StorageChange>[] = [];
    area.onChanged.addListener((changes) => seen.push(changes));
    await area.set({ a: 1, b: 'x' });
    expect(seen).toEqual([]); // asynchronously, like the browser
    await flush();
    await area.set({ a: 2, b: 'x' });
    await flush();
    await area.remove(['b', 'missing']);
    await flush();
    expect(seen).toEqual([
      { a: { newValue: 1 }, b: { newValue: 'x' } },
      { a: { oldValue: 1, newValue: 2 } },
      { b: { oldValue: 'x' } },
    ]);
  });

  it('hands out copies: changing a value read does not change the store', async () => {
    const area = createMemorySyncArea();
    await area.set({ a: { n: 1 } });
    const read = (await area.get(['a'])).a as { n: number };
    read.n = 2;
    expect((await area.get(null)).a).toEqual({ n: 1 });
  });

  it('applies a remote change without quota or write count, and reports it', async () => {
    const area = createMemorySyncArea();
    const seen: Record<string, StorageChange>[] = [];
    area.onChanged.addListener((changes) => seen.push(changes));
    area.applyRemote({ a: { newValue: 1 }, b: { newValue: 2 } });
    area.applyRemote({ a: {} });
    await flush();
    expect(await area.get(null)).toEqual({ b: 2 });
    expect(area.writeOperations()).toBe(0);
    expect(seen).toEqual([{ a: { newValue: 1 }, b: { newValue: 2 } }, { a: { oldValue: 1 } }]);
  });
});
