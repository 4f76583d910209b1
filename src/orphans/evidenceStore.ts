/**
 * Evidence logs in IndexedDB, in a database of their own ('latchkey-orphans'): they hold no
 * key material, and the vault's schema stays the vault's.
 */
import { type DBSchema, openDB } from 'idb';
import { type Evidence, type EvidenceLog, MAX_ENTRIES } from './evidence';

export interface EvidenceStore {
  /** Appends entries (one transaction for all of them), keeping the newest MAX_ENTRIES per passkey. */
  append(additions: { credentialId: string; rpId: string; evidence: Evidence }[]): Promise<void>;
  /** The logs of these passkeys; a passkey without evidence has an empty log. */
  logs(credentialIds: readonly string[]): Promise<Map<string, Evidence[]>>;
  /** Forgets a deleted passkey's log. */
  forget(credentialId: string): Promise<void>;
  /**
   * Sets a passkey's whole log (sync's merge of two browsers' logs, src/sync/mergeEntity.ts), only
   * if it still is `expected` (evidence added meanwhile is not lost). Returns whether it did.
   */
  replace(credentialId: string, rpId: string, entries: Evidence[], expected: readonly Evidence[]): Promise<boolean>;
}

interface OrphansDB extends DBSchema {
  evidence: { key: string; value: EvidenceLog };
}

export async function openEvidenceStore(name = 'latchkey-orphans'): Promise<EvidenceStore> {
  const db = await openDB<OrphansDB>(name, 1, {
    upgrade(database, oldVersion) {
      if (oldVersion < 1) database.createObjectStore('evidence', { keyPath: 'credentialId' });
    },
  });
  return {
    async append(additions) {
      if (additions.length === 0) return;
      const tx = db.transaction('evidence', 'readwrite');
      for (const { credentialId, rpId, evidence } of additions) {
        const log = (await tx.store.get(credentialId)) ?? { credentialId, rpId, entries: [] };
        log.entries = [...log.entries, evidence].slice(-MAX_ENTRIES);
        await tx.store.put(log);
      }
      await tx.done;
    },
    async logs(credentialIds) {
      const tx = db.transaction('evidence');
      const logs = await Promise.all(credentialIds.map((id) => tx.store.get(id)));
      await tx.done;
      return new Map(credentialIds.map((id, index) => [id, logs[index]?.entries ?? []]));
    },
    async forget(credentialId) {
      await db.delete('evidence', credentialId);
    },
    async replace(credentialId, rpId, entries, expected) {
      const tx = db.transaction('evidence', 'readwrite');
      const current = (await tx.store.get(credentialId))?.entries ?? [];
      if (JSON.stringify(current) !== JSON.stringify(expected)) {
        await tx.done;
        return false;
      }
      await Promise.all([tx.store.put({ credentialId, rpId, entries: entries.slice(-MAX_ENTRIES) }), tx.done]);
      return true;
    },
  };
}
