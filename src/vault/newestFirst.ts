import type { CredentialRecord } from './credentialRecord';

/**
 * The order every store lists records in ("newest first", as CredentialStore
 * promises), with the id as a tie-break so equal timestamps list the same way
 * in every store.
 */
export function newestFirst(a: Pick<CredentialRecord, 'id' | 'createdAt'>, b: Pick<CredentialRecord, 'id' | 'createdAt'>): number {
  return b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
