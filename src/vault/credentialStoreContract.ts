/**
 * What every CredentialStore must do, as one suite each implementation runs
 * (see idbCredentialStore.test.ts and memoryCredentialStore.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { CredentialRecord, CredentialStore } from './credentialRecord';

export function record(id: string, overrides: Partial<CredentialRecord> = {}): CredentialRecord {
  return {
    id,
    credentialId: new Uint8Array([id.length, 1, 2]),
    rpId: 'example.org',
    userHandle: new Uint8Array([7]),
    userName: 'ada',
    userDisplayName: 'Ada',
    name: 'Example (ada)',
    algorithm: -7,
    publicKeyCose: new Uint8Array([0xa5]),
    privateKeyPkcs8: new Uint8Array([0x30]),
    signCount: 0,
    discoverable: true,
    backupEligible: false,
    backupState: false,
    createdAt: 1000,
    lastUsedAt: null,
    ...overrides,
  };
}

export function describeCredentialStore(name: string, open: () => Promise<CredentialStore>): void {
  describe(`${name}: CredentialStore contract`, () => {
    it('stores a record and gives it back with its bytes as Uint8Array', async () => {
      const store = await open();
      const added = record('a');
      await store.add(added);
      const got = await store.get('a');
      expect(got).toEqual(added);
      expect(got!.credentialId).toBeInstanceOf(Uint8Array);
      expect(await store.get('missing')).toBeUndefined();
    });

    it('refuses to add a record whose id exists, keeping the first', async () => {
      const store = await open();
      await store.add(record('a', { name: 'first' }));
      await expect(store.add(record('a', { name: 'second' }))).rejects.toThrow();
      expect((await store.get('a'))!.name).toBe('first');
    });

    it('lists by RP id and in full, newest first', async () => {
      const store = await open();
      await store.add(record('old', { createdAt: 1 }));
      await store.add(record('other-rp', { rpId: 'other.example', createdAt: 2 }));
      await store.add(record('new', { createdAt: 3 }));
      expect((await store.listByRpId('example.org')).map((r) => r.id)).toEqual(['new', 'old']);
      expect((await store.listByRpId('nobody.example')).map((r) => r.id)).toEqual([]);
      expect((await store.list()).map((r) => r.id)).toEqual(['new', 'other-rp', 'old']);
    });

    it('updates a record and returns the stored result', async () => {
      const store = await open();
      await store.add(record('a'));
      const updated = await store.update('a', (r) => ({ ...r, signCount: (r.signCount ?? 0) + 1, lastUsedAt: 5 }));
      expect(updated).toMatchObject({ signCount: 1, lastUsedAt: 5 });
      expect(await store.get('a')).toEqual(updated);
    });

    it('runs concurrent updates of one record one after the other', async () => {
      const store = await open();
      await store.add(record('a'));
      await Promise.all(Array.from({ length: 10 }, () => store.update('a', (r) => ({ ...r, signCount: r.signCount! + 1 }))));
      expect((await store.get('a'))!.signCount).toBe(10);
    });

    it('refuses to update a missing record or to change its id', async () => {
      const store = await open();
      await store.add(record('a'));
      await expect(store.update('missing', (r) => r)).rejects.toThrow(/no credential/);
      await expect(store.update('a', (r) => ({ ...r, id: 'b' }))).rejects.toThrow(/id/);
      expect(await store.get('b')).toBeUndefined();
    });

    it('does not let callers change stored records in place', async () => {
      const store = await open();
      const added = record('a');
      await store.add(added);
      added.name = 'changed after add';
      const got = (await store.get('a'))!;
      got.signCount = 99;
      expect(await store.get('a')).toMatchObject({ name: 'Example (ada)', signCount: 0 });
    });

    it('deletes a record, and deleting a missing one is not an error', async () => {
      const store = await open();
      await store.add(record('a'));
      await store.delete('a');
      await store.delete('a');
      expect(await store.list()).toEqual([]);
    });
  });
}
