/**
 * PIN/UV auth protocol 2 (CTAP 2.1 §6.5.7), the operations both the platform and the
 * authenticator perform. Libraries do the primitives: ECDH on P-256 (@noble/curves),
 * HKDF-SHA-256 and HMAC-SHA-256 (@noble/hashes), AES-256-CBC (WebCrypto). Written here is
 * only what no library does: the spec's key derivation layout, and AES-CBC without padding
 * on top of WebCrypto (which always pads; see `aesCbcNoPad`).
 */
import { p256 } from '@noble/curves/nist.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concat, equalBytes, toBufferSource, utf8 } from '../webauthn/bytes';

export const PIN_UV_AUTH_PROTOCOL_TWO = 2;

/** COSE_Key of the key-agreement key: "kty: EC2, alg: -25 (ECDH-ES + HKDF-256), crv: P-256" (§6.5.6). */
export type CoseKeyAgreement = Map<number, number | Uint8Array>;

export function coseKeyAgreement(publicKeyUncompressed: Uint8Array): CoseKeyAgreement {
  return new Map<number, number | Uint8Array>([
    [1, 2],
    [3, -25],
    [-1, 1],
    [-2, publicKeyUncompressed.slice(1, 33)],
    [-3, publicKeyUncompressed.slice(33, 65)],
  ]);
}

function pointFromCose(key: unknown): Uint8Array {
  if (!(key instanceof Map)) throw new TypeError('keyAgreement is not a COSE_Key map');
  const x = key.get(-2);
  const y = key.get(-3);
  if (
    key.get(1) !== 2 ||
    key.get(-1) !== 1 ||
    !(x instanceof Uint8Array) ||
    !(y instanceof Uint8Array) ||
    x.length !== 32 ||
    y.length !== 32
  ) {
    throw new TypeError('keyAgreement is not an EC2 P-256 COSE_Key');
  }
  return concat(new Uint8Array([4]), x, y);
}

export interface KeyPair {
  privateKey: Uint8Array;
  publicKey: Uint8Array;
}

export function generateKeyPair(): KeyPair {
  const privateKey = p256.utils.randomSecretKey();
  return { privateKey, publicKey: p256.getPublicKey(privateKey, false) };
}

const ZERO_SALT = new Uint8Array(32);

/**
 * §6.5.7 ecdh(peerCoseKey): "Calculate xY, the shared point. (I.e. the scalar-multiplication of
 * the peer's point, Y, with the local private key agreement key.) Let Z be the 32-byte,
 * big-endian encoding of the x-coordinate of the shared point. Return kdf(Z)." and kdf(Z):
 * "return HKDF-SHA-256(salt = 32 zero bytes, IKM = Z, L = 32, info = "CTAP2 HMAC key") ||
 * HKDF-SHA-256(salt = 32 zero bytes, IKM = Z, L = 32, info = "CTAP2 AES key")".
 * Throws for a point not on the curve (noble checks it).
 */
export function sharedSecret(privateKey: Uint8Array, peerCoseKey: unknown): Uint8Array {
  const z = p256.getSharedSecret(privateKey, pointFromCose(peerCoseKey), true).slice(1, 33);
  return concat(hkdf(sha256, z, ZERO_SALT, utf8('CTAP2 HMAC key'), 32), hkdf(sha256, z, ZERO_SALT, utf8('CTAP2 AES key'), 32));
}

/**
 * AES-256-CBC with no padding, over WebCrypto, which always adds PKCS#7 padding. Encrypting:
 * the padding is one whole block at the end, dropped. Decrypting: a block that decrypts to a
 * full padding block is appended; it is E(k, c_last XOR 0x10…10), the first block of encrypting
 * sixteen 0x10 bytes with c_last as IV.
 */
async function aesCbcNoPad(mode: 'encrypt' | 'decrypt', key: Uint8Array, iv: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  if (data.length % 16 !== 0) throw new TypeError('AES-CBC data must be a whole number of 16-byte blocks');
  const cryptoKey = await crypto.subtle.importKey('raw', toBufferSource(key), 'AES-CBC', false, ['encrypt', 'decrypt']);
  if (mode === 'encrypt') {
    const padded = new Uint8Array(
      await crypto.subtle.encrypt({ name: 'AES-CBC', iv: toBufferSource(iv) }, cryptoKey, toBufferSource(data)),
    );
    return padded.slice(0, data.length);
  }
  if (data.length === 0) return new Uint8Array(0);
  const lastBlock = data.slice(data.length - 16);
  const padBlock = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-CBC', iv: toBufferSource(lastBlock) }, cryptoKey, new Uint8Array(16).fill(16)),
  ).slice(0, 16);
  return new Uint8Array(
    await crypto.subtle.decrypt({ name: 'AES-CBC', iv: toBufferSource(iv) }, cryptoKey, toBufferSource(concat(data, padBlock))),
  );
}

/**
 * §6.5.7 encrypt(key, demPlaintext): "Discard the first 32 bytes of key. (This selects the AES-key
 * portion of the shared secret.) Let iv be a 16-byte, random bytestring. Let ct be the AES-256-CBC
 * encryption of demPlaintext using key and iv. (No padding is performed as the size of
 * demPlaintext is required to be a multiple of the AES block length.) Return iv || ct."
 */
export async function encrypt(
  key: Uint8Array,
  plaintext: Uint8Array,
  randomBytes: (n: number) => Uint8Array,
): Promise<Uint8Array> {
  const iv = randomBytes(16);
  return concat(iv, await aesCbcNoPad('encrypt', aesKeyOf(key), iv, plaintext));
}

/** §6.5.7 decrypt(key, demCiphertext): "If demCiphertext is less than 16 bytes in length, return an error." */
export async function decrypt(key: Uint8Array, ciphertext: Uint8Array): Promise<Uint8Array> {
  if (ciphertext.length < 16 || ciphertext.length % 16 !== 0) throw new TypeError('ciphertext is not iv || whole AES blocks');
  return aesCbcNoPad('decrypt', aesKeyOf(key), ciphertext.subarray(0, 16), ciphertext.subarray(16));
}

function aesKeyOf(key: Uint8Array): Uint8Array {
  return key.length === 64 ? key.subarray(32) : key;
}

/**
 * §6.5.7 authenticate(key, message): "If key is longer than 32 bytes, discard the excess. (This
 * selects the HMAC-key portion of the shared secret. When key is the pinUvAuthToken, it is
 * exactly 32 bytes long and thus this step has no effect.) Return the result of computing
 * HMAC-SHA-256 on key and message."
 */
export function authenticate(key: Uint8Array, message: Uint8Array): Uint8Array {
  return hmac(sha256, key.subarray(0, 32), message);
}

/** §6.5.7 verify(key, message, signature): authenticate, compared in full. */
export function verify(key: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  return equalBytes(authenticate(key, message), signature);
}

/** §6.5.5.5 setPIN: "newPin padded with trailing 0x00 bytes to 64 bytes". PINs are 4 to 63 UTF-8 bytes. */
export function paddedPin(pin: string): Uint8Array {
  const bytes = utf8(pin);
  if (bytes.length < 4 || bytes.length > 63) throw new RangeError('A security key PIN is 4 to 63 bytes of UTF-8.');
  const padded = new Uint8Array(64);
  padded.set(bytes);
  return padded;
}

/** LEFT(SHA-256(pin), 16), what getPinToken and changePIN send encrypted. */
export function pinHash(pin: string): Uint8Array {
  return sha256(utf8(pin)).slice(0, 16);
}
