import { describe, expect, it } from 'vitest';
import { describeRecord } from '../../src/diagnostics/describeRecord';
import { testRecord } from '../../src/diagnostics/testRecord';
import { groupByTabAndSite } from './groupByTabAndSite';

describe('groupByTabAndSite', () => {
  it('groups by tab and top-level site, newest first', () => {
    const entries = [
      testRecord({ key: 'a', tabId: 1, topOrigin: 'https://a.example', startedAt: 1 }),
      testRecord({ key: 'b', tabId: 2, topOrigin: 'https://b.example', startedAt: 2 }),
      testRecord({ key: 'c', tabId: 1, topOrigin: 'https://a.example', startedAt: 3 }),
      testRecord({ key: 'd', tabId: 1, topOrigin: 'https://c.example', startedAt: 0 }),
    ].map(describeRecord);
    const groups = groupByTabAndSite(entries);
    expect(groups.map((group) => [group.tabId, group.site, group.entries.map((entry) => entry.record.key)])).toEqual([
      [1, 'https://a.example', ['c', 'a']],
      [2, 'https://b.example', ['b']],
      [1, 'https://c.example', ['d']],
    ]);
  });
});
