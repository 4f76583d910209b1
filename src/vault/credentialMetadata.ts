/**
 * What the popup does to credentials: list, rename and delete by metadata
 * alone, without decrypting a single key (so 10,000 passkeys list quickly).
 */
import { newestFirst } from './newestFirst';
import { metadataOf, type CredentialMetadata, type VaultDatabase } from './vaultDatabase';

export async function listCredentialMetadata(db: VaultDatabase): Promise<CredentialMetadata[]> {
  return (await db.getAll('credentials')).map(metadataOf).sort(newestFirst);
}

/** The credentials of one site, through the rpId index (a ceremony must not read every record). */
export async function credentialMetadataOfRp(db: VaultDatabase, rpId: string): Promise<CredentialMetadata[]> {
  return (await db.getAllFromIndex('credentials', 'rpId', rpId)).map(metadataOf).sort(newestFirst);
}

/** The first `limit` credentials in site (rpId index) order: a popup's first screen without reading 10,000 records. */
export async function firstCredentialsBySite(db: VaultDatabase, limit: number): Promise<CredentialMetadata[]> {
  return (await db.getAllFromIndex('credentials', 'rpId', null, limit)).map(metadataOf);
}

export async function countCredentials(db: VaultDatabase): Promise<number> {
  return db.count('credentials');
}

/** Renames in one readwrite transaction, so it cannot undo a counter update made meanwhile. */
export async function renameCredential(db: VaultDatabase, id: string, name: string): Promise<void> {
  const tx = db.transaction('credentials', 'readwrite');
  const current = await tx.store.get(id);
  if (!current) {
    await tx.done;
    throw new Error(`no credential with id ${id}`);
  }
  await Promise.all([tx.store.put({ ...current, name }), tx.done]);
}

/** What sync may change of a stored passkey without its key: names, and whether it is backed up (BS). */
export type MetadataPatch = Partial<Pick<CredentialMetadata, 'name' | 'userName' | 'userDisplayName' | 'backupState'>>;

/**
 * Changes metadata in one readwrite transaction (like renameCredential). With `expected`, only if
 * those fields still hold those values (a rename made meanwhile is not overwritten). Returns
 * whether it changed the passkey; a missing passkey is skipped.
 */
export async function updateCredentialMetadata(
  db: VaultDatabase,
  id: string,
  patch: MetadataPatch,
  expected: MetadataPatch = {},
): Promise<boolean> {
  const tx = db.transaction('credentials', 'readwrite');
  const current = await tx.store.get(id);
  const unchanged =
    current && Object.entries(expected).every(([field, value]) => current[field as keyof MetadataPatch] === value);
  if (!current || !unchanged) {
    await tx.done;
    return false;
  }
  await Promise.all([tx.store.put({ ...current, ...patch }), tx.done]);
  return true;
}

export async function deleteCredential(db: VaultDatabase, id: string): Promise<void> {
  await db.delete('credentials', id);
}
