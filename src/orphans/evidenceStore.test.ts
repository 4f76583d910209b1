import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { Evidence } from './evidence';
import { openEvidenceStore } from './evidenceStore';

const entry = (kind: Evidence['kind'], at: number): Evidence => ({ kind, at, origin: 'https://site.example' });

describe('evidence store: replace (sync’s merged log)', () => {
  it('replaces a log only while it still is what the caller read, so evidence added meanwhile is kept', async () => {
    const store = await openEvidenceStore('evidence-replace-test');
    await store.append([{ credentialId: 'a', rpId: 'site.example', evidence: entry('in-allow-list', 1) }]);
    const read = (await store.logs(['a'])).get('a')!;
    await store.append([{ credentialId: 'a', rpId: 'site.example', evidence: entry('signal-unknown', 2) }]); // meanwhile
    expect(await store.replace('a', 'site.example', [entry('in-allow-list', 1), entry('cleared-by-user', 3)], read)).toBe(false);
    expect((await store.logs(['a'])).get('a')!.map((evidence) => evidence.kind)).toEqual(['in-allow-list', 'signal-unknown']);
    const now = (await store.logs(['a'])).get('a')!;
    expect(await store.replace('a', 'site.example', [entry('cleared-by-user', 3)], now)).toBe(true);
    expect((await store.logs(['a'])).get('a')).toEqual([entry('cleared-by-user', 3)]);
    expect(await store.replace('new', 'site.example', [entry('in-allow-list', 4)], [])).toBe(true);
  });
});
