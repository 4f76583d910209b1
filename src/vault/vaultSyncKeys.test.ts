import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { listCredentialMetadata, updateCredentialMetadata } from './credentialMetadata';
import { record } from './credentialStoreContract';
import { memorySessionSecret, Vault, VaultLockedError } from './vault';
import { openVaultDatabase } from './vaultDatabase';

let count = 0;
const databases: Awaited<ReturnType<typeof openVaultDatabase>>[] = [];
async function vault() {
  const db = await openVaultDatabase(`vault-sync-keys-${++count}`);
  databases.push(db);
  return new Vault({ db, session: memorySessionSecret(), now: () => 1_000, autoLockMinutes: () => 0, iterations: 1_000 });
}

describe('the vault’s side of sync', () => {
  it('gives sync keys only while unlocked, the same for the same secret', async () => {
    const one = await vault();
    await one.create('correct horse battery');
    const keys = await one.syncKeys();
    expect(keys.keyId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    await one.lock();
    await expect(one.syncKeys()).rejects.toBeInstanceOf(VaultLockedError);
    await one.unlock('correct horse battery');
    expect((await one.syncKeys()).keyId).toBe(keys.keyId);
  });

  it('adopts another browser’s sealed key only where there is no vault yet; it then unlocks with that passphrase', async () => {
    const source = await vault();
    await source.create('correct horse battery');
    const sealed = (await source.keyRecord())!;
    const other = await vault();
    await other.create('another passphrase');
    await expect(other.adoptKeyRecord(sealed)).rejects.toThrow(/already exists/);
    const fresh = await vault();
    await fresh.adoptKeyRecord(sealed);
    expect(await fresh.status()).toMatchObject({ exists: true, locked: true });
    await fresh.unlock('correct horse battery');
    expect((await fresh.syncKeys()).keyId).toBe((await source.syncKeys()).keyId);
  });

  it('changes metadata only while the fields still hold what sync read (a rename meanwhile is kept)', async () => {
    const one = await vault();
    await one.create('correct horse battery');
    await (await one.credentialStore()).add(record('a', { name: 'Renamed here meanwhile' }));
    const db = databases.at(-1)!;
    expect(await updateCredentialMetadata(db, 'a', { name: 'From sync' }, { name: 'What sync read' })).toBe(false);
    expect((await listCredentialMetadata(db))[0]!.name).toBe('Renamed here meanwhile');
    expect(
      await updateCredentialMetadata(db, 'a', { name: 'From sync', backupState: true }, { name: 'Renamed here meanwhile' }),
    ).toBe(true);
    expect((await listCredentialMetadata(db))[0]).toMatchObject({ name: 'From sync', backupState: true });
    expect(await updateCredentialMetadata(db, 'missing', { name: 'x' })).toBe(false);
  });
});
