/**
 * The key bytes a test must not find where they should not be (profile files, sync storage):
 * read through one of the extension's own pages while its vault is unlocked (Chromium and Firefox).
 */
import type { LatchkeyBrowser } from './launchBrowser';

export interface KeyMaterial {
  credentialId: number[];
  pkcs8: number[];
  vaultSecret: number[];
}

/**
 * Reads the stored credential's private key through the extension while it is
 * unlocked: the sealed key from IndexedDB, the vault secret from session storage,
 * decrypted as src/vault/vaultCrypto.ts does. Only so the test knows which bytes
 * must not be on disk.
 */
export async function keyMaterial(latchkey: LatchkeyBrowser, credentialId?: string): Promise<KeyMaterial> {
  const page = await latchkey.extensionPage();
  return page.evaluate(async (wanted) => {
    const db: IDBDatabase = await new Promise((resolve, reject) => {
      const request = indexedDB.open('latchkey');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const records: { id: string; credentialId: Uint8Array; privateKey: { iv: Uint8Array; ciphertext: Uint8Array } }[] =
      await new Promise((resolve, reject) => {
        const request = db.transaction('credentials').objectStore('credentials').getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    db.close();
    const record = wanted === undefined ? records[0]! : records.find((candidate) => candidate.id === wanted)!;
    type Bytes = Uint8Array<ArrayBuffer>;
    const session = (await chrome.storage.session.get('vaultSession')).vaultSession as { secret: string };
    const secret = Uint8Array.from(atob(session.secret.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    const base = await crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveKey']);
    const key = await crypto.subtle.deriveKey(
      {
        name: 'HKDF',
        hash: 'SHA-256',
        salt: new Uint8Array(32),
        info: new TextEncoder().encode('latchkey vault: credential private keys'),
      },
      base,
      { name: 'AES-GCM', length: 256 },
      false,
      ['decrypt'],
    );
    const pkcs8 = await crypto.subtle.decrypt(
      {
        name: 'AES-GCM',
        iv: record.privateKey.iv as Bytes,
        additionalData: new TextEncoder().encode(`latchkey credential private key ${record.id}`),
      },
      key,
      record.privateKey.ciphertext as Bytes,
    );
    return { credentialId: [...record.credentialId], pkcs8: [...new Uint8Array(pkcs8)], vaultSecret: [...secret] };
  }, credentialId);
}

/** The P-256 private scalar d inside PKCS#8 (ECPrivateKey: version 1, then OCTET STRING of 32 bytes). */
export function privateScalar(pkcs8: Uint8Array): Uint8Array {
  for (let i = 0; i + 37 <= pkcs8.length; i++) {
    if (pkcs8[i] === 0x02 && pkcs8[i + 1] === 0x01 && pkcs8[i + 2] === 0x01 && pkcs8[i + 3] === 0x04 && pkcs8[i + 4] === 0x20) {
      return pkcs8.slice(i + 5, i + 37);
    }
  }
  throw new Error('no ECPrivateKey scalar in this PKCS#8');
}
