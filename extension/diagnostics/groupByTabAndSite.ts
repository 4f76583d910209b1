import type { DescribedRecord } from '../../src/diagnostics/describeRecord';

export interface TimelineGroup {
  key: string;
  tabId: number;
  site: string;
  entries: DescribedRecord[];
}

/** The timeline per tab and site (the tab's top origin), newest group first, entries newest first. */
export function groupByTabAndSite(entries: readonly DescribedRecord[]): TimelineGroup[] {
  const groups = new Map<string, TimelineGroup>();
  for (const entry of entries) {
    const key = `${entry.record.tabId} ${entry.record.topOrigin}`;
    let group = groups.get(key);
    if (!group) {
      group = { key, tabId: entry.record.tabId, site: entry.record.topOrigin, entries: [] };
      groups.set(key, group);
    }
    group.entries.push(entry);
  }
  for (const group of groups.values()) group.entries.sort((a, b) => b.record.startedAt - a.record.startedAt);
  return [...groups.values()].sort((a, b) => b.entries[0]!.record.startedAt - a.entries[0]!.record.startedAt);
}
