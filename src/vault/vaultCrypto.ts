/**
 * The vault's cryptography, all WebCrypto (the same `crypto.subtle` in Node and
 * in the service worker):
 *
 * - a random 32-byte *vault secret*, from which HKDF derives the AES-GCM key that
 *   seals each private key and the HMAC key that checks the PIN;
 * - a *key-encryption key* derived from the passphrase with PBKDF2-SHA256, which
 *   seals the vault secret. Changing the passphrase re-seals the secret only.
 *
 * NIST SP 800-132 and OWASP's Password Storage Cheat Sheet: "PBKDF2-HMAC-SHA256:
 * 600,000 iterations". AES-GCM with a fresh 96-bit random IV per message
 * (NIST SP 800-38D §8.2.2) and additional authenticated data naming what is
 * sealed, so a sealed key cannot be moved to another record or slot.
 */
import { toBase64url } from '../webauthn/base64url';
import { utf8 } from '../webauthn/bytes';

export const PBKDF2_MIN_ITERATIONS = 600_000;
const SECRET_LENGTH = 32;
const SALT_LENGTH = 16;
const IV_LENGTH = 12;

/** AES-GCM output: the IV it was sealed with and the ciphertext with its 16-byte tag. */
export interface Sealed {
  iv: Uint8Array;
  ciphertext: Uint8Array;
}

/** The key is wrong or the data was altered: AES-GCM's tag did not verify. */
export class UnsealError extends Error {
  constructor(what: string) {
    super(`${what} could not be decrypted: wrong key or altered data`);
    this.name = 'UnsealError';
  }
}

// TS 5.7+ types WebCrypto inputs as ArrayBufferView<ArrayBuffer>; our Uint8Arrays always own plain ArrayBuffers.
const buf = (bytes: Uint8Array) => bytes as Uint8Array<ArrayBuffer>;

export function randomBytes(length: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length));
}

export const newVaultSecret = () => randomBytes(SECRET_LENGTH);
export const newSalt = () => randomBytes(SALT_LENGTH);

/** PBKDF2-SHA256(passphrase, salt, iterations) → a non-extractable AES-GCM-256 key-encryption key. */
export async function deriveKeyEncryptionKey(passphrase: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', buf(utf8(passphrase.normalize('NFC'))), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: buf(salt), iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

export async function seal(key: CryptoKey, plaintext: Uint8Array, associatedData: string): Promise<Sealed> {
  const iv = randomBytes(IV_LENGTH);
  const ciphertext = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: buf(iv), additionalData: buf(utf8(associatedData)) },
    key,
    buf(plaintext),
  );
  return { iv, ciphertext: new Uint8Array(ciphertext) };
}

export async function unseal(key: CryptoKey, sealed: Sealed, associatedData: string, what: string): Promise<Uint8Array> {
  try {
    const plaintext = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: buf(sealed.iv), additionalData: buf(utf8(associatedData)) },
      key,
      buf(sealed.ciphertext),
    );
    return new Uint8Array(plaintext);
  } catch {
    throw new UnsealError(what);
  }
}

/** The keys one vault secret yields; both non-extractable. */
export interface VaultKeys {
  /** AES-GCM-256: seals each credential's private key. */
  records: CryptoKey;
  /** HMAC-SHA256: the PIN check value. */
  pin: CryptoKey;
}

/** RFC 5869 HKDF-SHA256, one label per purpose, so no key is used for two things. */
export async function deriveVaultKeys(secret: Uint8Array): Promise<VaultKeys> {
  const base = await crypto.subtle.importKey('raw', buf(secret), 'HKDF', false, ['deriveKey']);
  const params = (label: string) => ({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(32), info: buf(utf8(label)) });
  const [records, pin] = await Promise.all([
    crypto.subtle.deriveKey(params('latchkey vault: credential private keys'), base, { name: 'AES-GCM', length: 256 }, false, [
      'encrypt',
      'decrypt',
    ]),
    crypto.subtle.deriveKey(params('latchkey vault: PIN check'), base, { name: 'HMAC', hash: 'SHA-256', length: 256 }, false, [
      'sign',
      'verify',
    ]),
  ]);
  return { records, pin };
}

function pinMessage(salt: Uint8Array, pin: string): Uint8Array<ArrayBuffer> {
  const text = utf8(pin.normalize('NFC'));
  const message = new Uint8Array(salt.length + text.length);
  message.set(salt);
  message.set(text, salt.length);
  return message;
}

/** HMAC(pinKey, salt || PIN): useless offline without the vault secret, which needs the passphrase. */
export async function pinCheckValue(pinKey: CryptoKey, salt: Uint8Array, pin: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign('HMAC', pinKey, pinMessage(salt, pin)));
}

/** Constant-time comparison through WebCrypto's own HMAC verify. */
export function pinMatches(pinKey: CryptoKey, salt: Uint8Array, pin: string, check: Uint8Array): Promise<boolean> {
  return crypto.subtle.verify('HMAC', pinKey, buf(check), pinMessage(salt, pin));
}

export const credentialAssociatedData = (id: string) => `latchkey credential private key ${id}`;
export const VAULT_SECRET_ASSOCIATED_DATA = 'latchkey vault secret';

/** The keys sync uses (src/sync/): separate HKDF labels, so sync never uses a vault key for anything else. */
export interface VaultSyncKeys {
  /** AES-GCM-256: seals each passkey put in the browser's sync storage. */
  records: CryptoKey;
  /** HMAC-SHA256: opaque sync item keys from credential ids. */
  ids: CryptoKey;
  /** 16 bytes in base64url: tells two vault secrets apart without revealing either. */
  keyId: string;
}

export async function deriveSyncKeys(secret: Uint8Array): Promise<VaultSyncKeys> {
  const base = await crypto.subtle.importKey('raw', buf(secret), 'HKDF', false, ['deriveKey', 'deriveBits']);
  const params = (label: string) => ({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(32), info: buf(utf8(label)) });
  const [records, ids, keyId] = await Promise.all([
    crypto.subtle.deriveKey(params('latchkey sync: records'), base, { name: 'AES-GCM', length: 256 }, false, [
      'encrypt',
      'decrypt',
    ]),
    crypto.subtle.deriveKey(params('latchkey sync: item ids'), base, { name: 'HMAC', hash: 'SHA-256', length: 256 }, false, [
      'sign',
    ]),
    crypto.subtle.deriveBits(params('latchkey sync: key id'), base, 128),
  ]);
  return { records, ids, keyId: toBase64url(keyId) };
}
