import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createRecorder } from './recorder';
import { openRecordStore, type RecordStore } from './recordStore';
import { testRecord } from './testRecord';

let databases = 0;
const fresh = (max?: number) => openRecordStore(`diagnostics-test-${++databases}`, max);

function begun(key: string, overrides = {}) {
  const { outcome: _outcome, durationMs: _duration, seq: _seq, ...rest } = testRecord({ key, ...overrides });
  return rest;
}

describe('the record store', () => {
  it('is a bounded ring: the oldest records go first', async () => {
    const store = await fresh(3);
    for (let index = 1; index <= 5; index++) await store.add(testRecord({ key: `k${index}` }));
    expect((await store.list()).map((record) => record.key)).toEqual(['k5', 'k4', 'k3']);
  });

  it('lists one tab\u2019s records, newest first, and clears', async () => {
    const store = await fresh();
    await store.add(testRecord({ key: 'a', tabId: 1 }));
    await store.add(testRecord({ key: 'b', tabId: 2 }));
    await store.add(testRecord({ key: 'c', tabId: 1 }));
    expect((await store.list({ tabId: 1 })).map((record) => record.key)).toEqual(['c', 'a']);
    await store.clear();
    expect(await store.list()).toEqual([]);
  });
});

describe('the recorder', () => {
  it('records a ceremony from begin to finish, with its duration', async () => {
    const store = await fresh();
    let now = 1_000;
    const recorder = createRecorder(
      async () => store,
      () => now,
    );
    await recorder.begin({ ...begun('t/0/d/r1'), startedAt: 1_000 });
    expect((await store.list())[0]!.outcome).toEqual({ status: 'pending' });
    now = 1_250;
    await recorder.finish('t/0/d/r1', { status: 'error', name: 'NotAllowedError', message: 'm', code: 'user-cancelled' });
    const [record] = await store.list();
    expect(record).toMatchObject({ durationMs: 250, outcome: { status: 'error', code: 'user-cancelled' } });
  });

  it('a page report updates only a pending record the browser answers, of the same key, once', async () => {
    const store = await fresh();
    const recorder = createRecorder(
      async () => store,
      () => 5,
    );
    await recorder.begin(begun('t/0/d/latchkey'));
    await recorder.begin({ ...begun('t/0/d/browser'), answeredBy: 'browser', browserReason: 'pass-through' });
    // Latchkey's own ceremony cannot be rewritten by the page.
    expect(await recorder.report('t/0/d/latchkey', { status: 'success' })).toBe(false);
    // Another frame's key matches nothing.
    expect(await recorder.report('t/1/d/browser', { status: 'success' })).toBe(false);
    expect(await recorder.report('t/0/d/browser', { status: 'error', name: 'NotAllowedError', message: 'x' })).toBe(true);
    // Once ended, it stays as it ended.
    expect(await recorder.report('t/0/d/browser', { status: 'success' })).toBe(false);
    const records = await store.list();
    expect(records.find((record) => record.key === 't/0/d/latchkey')!.outcome).toEqual({ status: 'pending' });
    expect(records.find((record) => record.key === 't/0/d/browser')!.outcome).toMatchObject({ status: 'error' });
  });

  it('never throws: a store that fails is reported to onError and the ceremony goes on', async () => {
    const errors: unknown[] = [];
    const broken: RecordStore = {
      add: () => Promise.reject(new Error('disk full')),
      update: () => Promise.reject(new Error('disk full')),
      list: () => Promise.reject(new Error('disk full')),
      clear: () => Promise.reject(new Error('disk full')),
    };
    const recorder = createRecorder(
      async () => broken,
      () => 0,
      (error) => errors.push(error),
    );
    await expect(recorder.begin(begun('k'))).resolves.toBeUndefined();
    await expect(recorder.finish('k', { status: 'success' })).resolves.toBeUndefined();
    await expect(recorder.report('k', { status: 'success' })).resolves.toBe(false);
    const unopened = createRecorder(
      () => Promise.reject(new Error('no IndexedDB')),
      () => 0,
      (error) => errors.push(error),
    );
    await expect(unopened.begin(begun('k'))).resolves.toBeUndefined();
    expect(errors).toHaveLength(4);
  });
});
