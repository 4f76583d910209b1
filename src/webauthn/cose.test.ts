import { describe, expect, it } from 'vitest';
import { fromHex, toBufferSource, toHex } from './bytes';
import { encodeCanonical } from './cbor';
import { coseKeyToSpki, decodeCoseP256Key, encodeCoseP256Key } from './cose';

// The credential public key of the spec's none.ES256 example.
const X = 'afefa16f97ca9b2d23eb86ccb64098d20db90856062eb249c33a9b672f26df61';
const Y = '930a56b87a2fca66334b03458abf879717c12cc68ed73290af2e2664796b9220';
const POINT = fromHex('04' + X + Y);
const COSE = 'a5' + '0102' + '0326' + '2001' + '215820' + X + '225820' + Y;
/** SubjectPublicKeyInfo header for id-ecPublicKey on prime256v1 with a 65-byte BIT STRING (RFC 5480). */
const P256_SPKI_HEADER = '3059301306072a8648ce3d020106082a8648ce3d030107034200';

describe('encodeCoseP256Key', () => {
  it('encodes kty 2, alg -7, crv 1, x, y in canonical order, as the spec vector does', () => {
    expect(toHex(encodeCoseP256Key(POINT))).toBe(COSE);
  });

  it('refuses anything but a 65-byte uncompressed point', () => {
    expect(() => encodeCoseP256Key(fromHex('02' + X))).toThrow(/uncompressed/);
    expect(() => encodeCoseP256Key(POINT.subarray(0, 64))).toThrow(/uncompressed/);
  });
});

describe('decodeCoseP256Key', () => {
  it('reads back x, y and the uncompressed point', () => {
    const key = decodeCoseP256Key(fromHex(COSE));
    expect(key.alg).toBe(-7);
    expect(toHex(key.x)).toBe(X);
    expect(toHex(key.y)).toBe(Y);
    expect(key.uncompressedPoint).toEqual(POINT);
  });

  it('refuses other key types, curves, algorithms and coordinate sizes', () => {
    const x = fromHex(X);
    const y = fromHex(Y);
    const okp = encodeCanonical(new Map<number, number | Uint8Array>([[1, 1], [3, -8], [-1, 6], [-2, x]]));
    const p384 = encodeCanonical(new Map<number, number | Uint8Array>([[1, 2], [3, -35], [-1, 2], [-2, x], [-3, y]]));
    const wrongAlg = encodeCanonical(new Map<number, number | Uint8Array>([[1, 2], [3, -257], [-1, 1], [-2, x], [-3, y]]));
    const shortX = encodeCanonical(new Map<number, number | Uint8Array>([[1, 2], [3, -7], [-1, 1], [-2, x.subarray(1)], [-3, y]]));
    expect(() => decodeCoseP256Key(okp)).toThrow(/EC2 P-256/);
    expect(() => decodeCoseP256Key(p384)).toThrow(/EC2 P-256/);
    expect(() => decodeCoseP256Key(wrongAlg)).toThrow(/ES256/);
    expect(() => decodeCoseP256Key(shortX)).toThrow(/32-byte/);
    expect(() => decodeCoseP256Key(encodeCanonical([1, 2]))).toThrow(/map/);
  });
});

describe('coseKeyToSpki', () => {
  it('gives SubjectPublicKeyInfo DER: the P-256 header, then the point', async () => {
    const spki = await coseKeyToSpki(fromHex(COSE));
    expect(toHex(spki)).toBe(P256_SPKI_HEADER + '04' + X + Y);
    const imported = await crypto.subtle.importKey('spki', toBufferSource(spki), { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify']);
    expect(imported.type).toBe('public');
  });

  it('refuses a point that is not on the curve', async () => {
    const offCurve = encodeCoseP256Key(fromHex('04' + '00'.repeat(31) + '01' + '00'.repeat(31) + '01'));
    await expect(coseKeyToSpki(offCurve)).rejects.toThrow();
  });
});
