/**
 * The small byte helpers every layer shares, kept in one place so no file grows
 * its own (cf. SimpleWebAuthn's `isoUint8Array`). Hex and SHA-256 come from
 * @noble/hashes, which runs unchanged in Node, the service worker and the page.
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';

export function toHex(bytes: Uint8Array): string {
  return bytesToHex(bytes);
}

/** Throws on odd length or a non-hex character. */
export function fromHex(hex: string): Uint8Array {
  return hexToBytes(hex);
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  return concatBytes(...parts);
}

export function utf8(text: string): Uint8Array {
  return utf8ToBytes(text);
}

/** Byte equality. Not constant time: compare only public values (ids, hashes) with it. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** SHA-256, synchronous so the authenticator can hash without awaiting. */
export function sha256(data: Uint8Array): Uint8Array {
  return nobleSha256(data);
}

/**
 * A copy backed by a plain `ArrayBuffer`, the only `BufferSource` WebCrypto's
 * typings accept (a `Uint8Array` may view a `SharedArrayBuffer`).
 */
export function toBufferSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}
