import { describe, expect, it } from 'vitest';
import { classify } from '../orphans/classify';
import type { Evidence } from '../orphans/evidence';
import { formatHlc } from './hlc';
import { mergeEntity, mergeEvidence } from './mergeEntity';
import type { SyncEntity } from './syncEntity';

const clock = (wall: number, device: string, counter = 0) => formatHlc({ wall, counter, device });
const named = (name: string, at: string, extra: Partial<SyncEntity> = {}): SyncEntity => ({
  v: 1,
  id: 'cred',
  name: { value: name, clock: at },
  ...extra,
});
const evidence = (kind: Evidence['kind'], at: number, origin = 'https://site.example'): Evidence => ({ kind, at, origin });

describe('merge rules', () => {
  it('concurrent renames: the later hybrid logical clock wins, on both sides', () => {
    const original = clock(1, 'devA');
    const onA: SyncEntity = { v: 1, id: 'cred', name: { value: 'Renamed on A', clock: clock(10, 'devA'), prev: original } };
    const onB: SyncEntity = { v: 1, id: 'cred', name: { value: 'Renamed on B', clock: clock(12, 'devB'), prev: original } };
    for (const [x, y] of [
      [onA, onB],
      [onB, onA],
    ] as const) {
      const { entity, conflicts } = mergeEntity(x, y);
      expect(entity.name?.value).toBe('Renamed on B');
      expect(conflicts).toEqual(['name']);
    }
  });

  it('concurrent renames in the same millisecond: the device id breaks the tie, the same way on both sides', () => {
    const onA = named('A wins?', clock(10, 'devA'));
    const onB = named('B wins', clock(10, 'devB'));
    expect(mergeEntity(onA, onB).entity.name?.value).toBe('B wins');
    expect(mergeEntity(onB, onA).entity.name?.value).toBe('B wins');
  });

  it('a rename made after seeing the other is an update, not a conflict', () => {
    const base = named('Original', clock(1, 'devA'));
    const renamed: SyncEntity = { v: 1, id: 'cred', name: { value: 'New', clock: clock(5, 'devB'), prev: clock(1, 'devA') } };
    const { entity, conflicts } = mergeEntity(base, renamed);
    expect(entity.name?.value).toBe('New');
    expect(conflicts).toEqual([]);
  });

  it('delete against edit: the delete wins, whichever came later, and it is counted as a conflict', () => {
    const deleted: SyncEntity = { v: 1, id: 'cred', deleted: { clock: clock(5, 'devB'), at: 5, seen: clock(1, 'devA') } };
    const editedLater = named('Edited after the delete', clock(9, 'devA'));
    for (const [x, y] of [
      [deleted, editedLater],
      [editedLater, deleted],
    ] as const) {
      const { entity, conflicts } = mergeEntity(x, y);
      expect(entity).toEqual(deleted);
      expect(conflicts).toEqual(['delete-vs-edit']);
    }
    // A delete of the version the deleter had seen is no conflict.
    expect(mergeEntity(deleted, named('Original', clock(1, 'devA'))).conflicts).toEqual([]);
  });

  it('two deletes settle on the same tombstone', () => {
    const one: SyncEntity = { v: 1, id: 'cred', deleted: { clock: clock(5, 'devB'), at: 5 } };
    const two: SyncEntity = { v: 1, id: 'cred', deleted: { clock: clock(3, 'devA'), at: 3 } };
    expect(mergeEntity(one, two).entity).toEqual(mergeEntity(two, one).entity);
  });

  it('orphan states merge to the most severe, with the evidence of both kept', () => {
    const orphanedOnA = [evidence('in-allow-list', 1), evidence('signal-unknown', 10)];
    const suspectedOnB = [evidence('missing-from-allow-list', 11, 'https://login.site.example')];
    const merged = mergeEvidence(orphanedOnA, suspectedOnB);
    expect(classify(merged).health).toBe('orphaned');
    expect(merged).toHaveLength(3);
    expect(merged).toEqual(expect.arrayContaining([...orphanedOnA, ...suspectedOnB]));
    expect(mergeEvidence(suspectedOnB, orphanedOnA)).toEqual(merged);
  });

  it('a "show it again" on a browser that had not seen the orphan evidence does not clear it (concurrent: most severe)', () => {
    const orphanedOnA = [evidence('signal-unknown', 10)];
    const clearedOnB = [evidence('cleared-by-user', 20)];
    const merged = mergeEvidence(orphanedOnA, clearedOnB);
    expect(classify(merged).health).toBe('orphaned');
    expect(merged).toHaveLength(2);
  });

  it('a "show it again" on a browser that had synced the orphan evidence clears it everywhere', () => {
    const orphanedOnA = [evidence('signal-unknown', 10)];
    const clearedOnB = [evidence('signal-unknown', 10), evidence('cleared-by-user', 20)];
    expect(classify(mergeEvidence(orphanedOnA, clearedOnB)).health).toBe('ok');
    expect(classify(mergeEvidence(clearedOnB, orphanedOnA)).health).toBe('ok');
  });

  it('merging is idempotent, so two browsers stop rewriting each other', () => {
    const a = [evidence('missing-from-allow-list', 4), evidence('in-allow-list', 6), evidence('signal-unknown', 8)];
    const b = [evidence('asked-again-after-use', 5), evidence('cleared-by-user', 7)];
    const once = mergeEvidence(a, b);
    expect(mergeEvidence(once, once)).toEqual(once);
    expect(mergeEvidence(once, a)).toEqual(once);
    expect(mergeEvidence(b, once)).toEqual(once);
  });

  it('passkeys created on two browsers for the same account are two entities: nothing to merge, both kept', () => {
    const one: SyncEntity = { ...named('Site (ada)', clock(1, 'devA')), id: 'one' };
    const two: SyncEntity = { ...named('Site (ada)', clock(1, 'devB')), id: 'two' };
    expect(() => mergeEntity(one, two)).toThrow(/two different passkeys/);
  });
});
