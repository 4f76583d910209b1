/**
 * The CredentialStore the authenticator uses: records go in and come out with
 * `privateKeyPkcs8` in the clear, and are stored with it sealed by the vault's
 * record key (AES-GCM, the credential id as associated data). The authenticator
 * never learns how; it only ever sees a CredentialStore.
 *
 * The store is built per ceremony with the key the vault gave when it was
 * unlocked, so a vault that locks mid-ceremony does not break the ceremony.
 */
import { abortTransaction } from './abortTransaction';
import type { CredentialRecord, CredentialStore } from './credentialRecord';
import { newestFirst } from './newestFirst';
import { credentialAssociatedData, seal, unseal } from './vaultCrypto';
import { isLegacy, metadataOf, type LegacyCredential, type StoredCredential, type VaultDatabase } from './vaultDatabase';
import { equalBytes } from '../webauthn/bytes';

export function createEncryptedCredentialStore(db: VaultDatabase, recordKey: CryptoKey): CredentialStore {
  async function open(stored: StoredCredential | LegacyCredential): Promise<CredentialRecord> {
    // Version-1 records are sealed when the vault is created; one seen here means a
    // database changed behind the vault's back. Refuse rather than use a clear key.
    if (isLegacy(stored)) throw new Error(`credential ${stored.id} is stored unencrypted; create or unlock the vault first`);
    const privateKeyPkcs8 = await unseal(recordKey, stored.privateKey, credentialAssociatedData(stored.id), `The private key of credential ${stored.id}`);
    return { ...metadataOf(stored), privateKeyPkcs8 };
  }

  async function close(record: CredentialRecord): Promise<StoredCredential> {
    const { privateKeyPkcs8, ...metadata } = record;
    return { ...metadata, privateKey: await seal(recordKey, privateKeyPkcs8, credentialAssociatedData(record.id)) };
  }

  const openAll = async (stored: (StoredCredential | LegacyCredential)[]) => (await Promise.all(stored.map(open))).sort(newestFirst);

  return {
    async listByRpId(rpId) {
      return openAll(await db.getAllFromIndex('credentials', 'rpId', rpId));
    },
    async get(id) {
      const stored = await db.get('credentials', id);
      return stored && open(stored);
    },
    async list() {
      return openAll(await db.getAll('credentials'));
    },
    async add(record) {
      // Sealed before the transaction: a WebCrypto await inside it would let it commit early.
      const sealed = await close(structuredClone(record));
      // `add`, not `put`: an existing id is a ConstraintError, never an overwrite.
      await db.add('credentials', sealed);
    },
    async update(id, change) {
      // Decrypt outside the transaction (WebCrypto is not an IndexedDB request, so
      // awaiting it would let the transaction commit), then read, change and write
      // in one readwrite transaction, so two updates of one record (two assertions
      // racing for the counter) run one after the other. A change that keeps the
      // private key (every change the authenticator makes) reuses its ciphertext.
      for (;;) {
        const before = await db.get('credentials', id);
        if (!before) throw new Error(`no credential with id ${id}`);
        const opened = await open(before);
        const tx = db.transaction('credentials', 'readwrite');
        const current = await tx.store.get(id);
        if (!current) throw new Error(`no credential with id ${id}`);
        if (isLegacy(current) || !equalBytes(current.privateKey.ciphertext, (before as StoredCredential).privateKey.ciphertext)) {
          await abortTransaction(tx);
          continue; // the key changed under us: decrypt again
        }
        const next = change({ ...metadataOf(current), privateKeyPkcs8: opened.privateKeyPkcs8 });
        if (next.id !== id) {
          await abortTransaction(tx);
          throw new Error('update must not change a credential id');
        }
        if (equalBytes(next.privateKeyPkcs8, opened.privateKeyPkcs8)) {
          const { privateKeyPkcs8: _key, ...metadata } = next;
          await Promise.all([tx.store.put({ ...structuredClone(metadata), privateKey: current.privateKey }), tx.done]);
          return structuredClone(next);
        }
        // A new private key: seal it outside a transaction, then compare and swap.
        await abortTransaction(tx);
        const sealed = await close(structuredClone(next));
        const swap = db.transaction('credentials', 'readwrite');
        const now = await swap.store.get(id);
        if (now && !isLegacy(now) && equalBytes(now.privateKey.ciphertext, current.privateKey.ciphertext)) {
          await Promise.all([swap.store.put(sealed), swap.done]);
          return structuredClone(next);
        }
        await abortTransaction(swap);
      }
    },
    async delete(id) {
      await db.delete('credentials', id);
    },
  };
}
