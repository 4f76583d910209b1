/**
 * A CredentialStore that lives and dies with the object: for tester-mode virtual
 * authenticators, which must leave nothing behind, and for unit tests. It
 * behaves as the IndexedDB store does, copies included: records go in and come
 * out by structured clone, so no caller can change a stored record in place.
 */
import type { CredentialRecord, CredentialStore } from './credentialRecord';
import { newestFirst } from './newestFirst';

export function createMemoryCredentialStore(): CredentialStore {
  const records = new Map<string, CredentialRecord>();
  const listed = (filter: (record: CredentialRecord) => boolean) =>
    [...records.values()].filter(filter).map((record) => structuredClone(record)).sort(newestFirst);

  return {
    async listByRpId(rpId) {
      return listed((record) => record.rpId === rpId);
    },
    async get(id) {
      const record = records.get(id);
      return record && structuredClone(record);
    },
    async list() {
      return listed(() => true);
    },
    async add(record) {
      if (records.has(record.id)) throw new Error(`a credential with id ${record.id} already exists`);
      records.set(record.id, structuredClone(record));
    },
    async update(id, change) {
      const current = records.get(id);
      if (!current) throw new Error(`no credential with id ${id}`);
      const next = change(structuredClone(current));
      if (next.id !== id) throw new Error('update must not change a credential id');
      records.set(id, structuredClone(next));
      return structuredClone(next);
    },
    async delete(id) {
      records.delete(id);
    },
  };
}
