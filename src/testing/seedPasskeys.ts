/**
 * Fills the extension's vault with `count` synthetic passkeys in one
 * transaction, through the service worker (for popup tests and bench/vault).
 * Metadata like real passkeys; a random blob where the sealed key would be, as
 * the popup never decrypts keys. Such passkeys cannot sign.
 */
import type { WebWorker } from 'puppeteer-core';

export async function seedPasskeys(worker: WebWorker, count: number): Promise<void> {
  await worker.evaluate(async (n) => {
    const db: IDBDatabase = await new Promise((resolve, reject) => {
      const request = indexedDB.open('latchkey');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction('credentials', 'readwrite');
      const store = tx.objectStore('credentials');
      store.clear();
      for (let i = 0; i < n; i++) {
        const credentialId = crypto.getRandomValues(new Uint8Array(32));
        const id = btoa(String.fromCharCode(...credentialId)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
        store.put({
          id,
          credentialId,
          rpId: `site${String(i % 400).padStart(3, '0')}.example`,
          userHandle: crypto.getRandomValues(new Uint8Array(16)),
          userName: `user${i}@site${i % 400}.example`,
          userDisplayName: `User ${i}`,
          name: `${i % 3 === 0 ? 'Work' : 'Home'} passkey ${i}`,
          algorithm: -7,
          publicKeyCose: crypto.getRandomValues(new Uint8Array(77)),
          privateKey: { iv: crypto.getRandomValues(new Uint8Array(12)), ciphertext: crypto.getRandomValues(new Uint8Array(154)) },
          signCount: i % 50,
          discoverable: true,
          backupEligible: false,
          backupState: false,
          createdAt: Date.now() - i * 60_000,
          lastUsedAt: i % 2 ? Date.now() - i * 1000 : null,
        });
      }
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, count);
}
