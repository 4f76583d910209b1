/**
 * The merge rules (docs/SYNC.md), one pure function so that every browser, given the same two
 * versions, reaches the same result whatever order it saw them in:
 *
 * 1. Delete wins: a tombstone on either side gives a tombstone (the earlier delete's clock, so
 *    both sides agree), whatever edits the other side made.
 * 2. Each register (name, account names) is last writer wins by hybrid logical clock; equal
 *    wall times are ordered by counter, then by device id, so there is never a tie.
 * 3. Orphan-detector evidence is merged by `mergeEvidence`: the most severe state of the two
 *    sides, with the evidence of both kept.
 *
 * Two passkeys created for the same account on two browsers have different credential ids and
 * so are different entities: both are kept.
 */
import { CLEARING } from '../orphans/classify';
import type { Evidence } from '../orphans/evidence';
import { compareHlc, type Hlc } from './hlc';
import type { Register, SyncEntity } from './syncEntity';

export type Conflict = 'name' | 'account' | 'delete-vs-edit';

export interface MergeResult {
  entity: SyncEntity;
  /** Edits made without seeing each other, where one had to lose (each counted by every browser that resolves it). */
  conflicts: Conflict[];
}

function laterRegister<T>(a: Register<T> | undefined, b: Register<T> | undefined): Register<T> | undefined {
  if (!a) return b;
  if (!b) return a;
  return compareHlc(a.clock, b.clock) >= 0 ? a : b;
}

/** Whether the losing edit was unknown to the winner's author (its `prev` is older than the loser). */
function concurrent<T>(a: Register<T> | undefined, b: Register<T> | undefined): boolean {
  if (!a || !b || JSON.stringify(a.value) === JSON.stringify(b.value)) return false;
  const [winner, loser] = compareHlc(a.clock, b.clock) >= 0 ? [a, b] : [b, a];
  return !winner.prev || compareHlc(loser.clock, winner.prev) > 0;
}

const newestClock = (entity: SyncEntity): Hlc | undefined =>
  [entity.name?.clock, entity.account?.clock]
    .filter((clock): clock is Hlc => !!clock)
    .sort(compareHlc)
    .at(-1);

/** Merges two versions of one passkey. */
export function mergeEntity(a: SyncEntity, b: SyncEntity): MergeResult {
  if (a.id !== b.id) throw new Error('mergeEntity: two different passkeys');
  const conflicts: Conflict[] = [];
  if (a.deleted || b.deleted) {
    const live = a.deleted ? (b.deleted ? undefined : b) : a;
    const deleted =
      a.deleted && b.deleted
        ? compareHlc(a.deleted.clock, b.deleted.clock) <= 0
          ? a.deleted
          : b.deleted
        : (a.deleted ?? b.deleted)!;
    // An edit the deleting browser never saw, lost to the delete.
    const edited = live && newestClock(live);
    if (edited && (!deleted.seen || compareHlc(edited, deleted.seen) > 0)) conflicts.push('delete-vs-edit');
    return { entity: { v: 1, id: a.id, deleted }, conflicts };
  }
  const name = laterRegister(a.name, b.name);
  const account = laterRegister(a.account, b.account);
  if (concurrent(a.name, b.name)) conflicts.push('name');
  if (concurrent(a.account, b.account)) conflicts.push('account');
  const entity: SyncEntity = {
    v: 1,
    id: a.id,
    ...((a.passkey ?? b.passkey) ? { passkey: (a.passkey ?? b.passkey)! } : {}),
    ...(name ? { name } : {}),
    ...(account ? { account } : {}),
  };
  const evidence = mergeEvidence(a.evidence ?? [], b.evidence ?? []);
  if (evidence.length) entity.evidence = evidence;
  return { entity, conflicts };
}

export { newestClock };

/** Evidence entries a synced passkey keeps (the detector keeps up to 20 for a passkey that does not sync). */
export const SYNCED_EVIDENCE_ENTRIES = 10;

const evidenceKey = (entry: Evidence) => `${entry.kind}|${entry.at}|${entry.origin}`;

function lastClearing(log: readonly Evidence[]): number {
  for (let index = log.length - 1; index >= 0; index--) if (CLEARING.has(log[index]!.kind)) return index;
  return -1;
}

const byTime = (x: Evidence, y: Evidence) => x.at - y.at || evidenceKey(x).localeCompare(evidenceKey(y));

/**
 * Two browsers' evidence logs for one passkey, merged to the most severe of the two states with
 * the evidence of both kept. An entry stays *standing* (counts toward orphaned or suspected)
 * unless a browser that had it also cleared it: a clearing entry ("the site listed it", "show it
 * again") clears only what its own browser had seen, never a report it had not received yet.
 * So a concurrent "orphaned" on one browser and "ok" on the other gives "orphaned"; "orphaned"
 * on one and, later, "show it again" on a browser that had synced that evidence gives "ok".
 *
 * The result is canonical (the same set of entries in the same order whichever side merges),
 * so two browsers settle on one log: cleared history first (clearing entries last within it),
 * then the standing entries, each part in time order, at most SYNCED_EVIDENCE_ENTRIES kept (the
 * newest: enough to explain the state, and every passkey's log travels in sync storage's 100 KB).
 */
export function mergeEvidence(a: readonly Evidence[], b: readonly Evidence[]): Evidence[] {
  const cleared = new Set<string>();
  const all = new Map<string, Evidence>();
  for (const log of [a, b]) {
    const cut = lastClearing(log);
    log.forEach((entry, index) => {
      all.set(evidenceKey(entry), entry);
      if (index <= cut) cleared.add(evidenceKey(entry));
    });
  }
  const history = [...all.values()].filter((entry) => cleared.has(evidenceKey(entry))).sort(byTime);
  const standing = [...all.values()].filter((entry) => !cleared.has(evidenceKey(entry))).sort(byTime);
  const ordered = [
    ...history.filter((entry) => !CLEARING.has(entry.kind)),
    ...history.filter((entry) => CLEARING.has(entry.kind)),
    ...standing,
  ];
  return ordered.slice(-SYNCED_EVIDENCE_ENTRIES).map((entry) => ({ ...entry }));
}
