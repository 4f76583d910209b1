/**
 * Credential public keys as COSE_Key (RFC 9052 §7, parameters from RFC 9053
 * §7.1.1) and as SubjectPublicKeyInfo DER, the form
 * `AuthenticatorAttestationResponse.getPublicKey()` returns.
 *
 * WebAuthn L3 §6.5.1 "Attested Credential Data": "The COSE_Key-encoded
 * credential public key MUST contain the "alg" parameter and MUST NOT contain
 * any other OPTIONAL parameters." Its ES256 example (§6.5.1.1) carries exactly
 *   { 1: 2 (kty: EC2), 3: -7 (alg: ES256), -1: 1 (crv: P-256), -2: x, -3: y }
 * with x and y as 32-byte strings.
 */
import { toBufferSource } from './bytes';
import { decode, encodeCanonical } from './cbor';
import { COSEAlgorithm } from './types';

const KTY = 1;
const ALG = 3;
const CRV = -1;
const X = -2;
const Y = -3;
const KTY_EC2 = 2;
const CRV_P256 = 1;
const P256_COORDINATE_LENGTH = 32;

export interface P256PublicKey {
  alg: typeof COSEAlgorithm.ES256;
  x: Uint8Array;
  y: Uint8Array;
  /** SEC1 uncompressed point: 0x04 || x || y. */
  uncompressedPoint: Uint8Array;
}

/** COSE_Key (CTAP2 canonical CBOR) of an ES256 public key given as a SEC1 uncompressed point. */
export function encodeCoseP256Key(uncompressedPoint: Uint8Array): Uint8Array {
  if (uncompressedPoint.length !== 1 + 2 * P256_COORDINATE_LENGTH || uncompressedPoint[0] !== 0x04) {
    throw new Error('expected an uncompressed P-256 point (0x04 || x || y, 65 bytes)');
  }
  return encodeCanonical(
    new Map<number, number | Uint8Array>([
      [KTY, KTY_EC2],
      [ALG, COSEAlgorithm.ES256],
      [CRV, CRV_P256],
      [X, uncompressedPoint.slice(1, 1 + P256_COORDINATE_LENGTH)],
      [Y, uncompressedPoint.slice(1 + P256_COORDINATE_LENGTH)],
    ]),
  );
}

/** Reads an ES256 COSE_Key; throws if it is any other kind of key. Does not check that the point is on the curve. */
export function decodeCoseP256Key(coseKey: Uint8Array): P256PublicKey {
  const key = decode(coseKey);
  if (!(key instanceof Map)) throw new Error('COSE_Key must be a CBOR map');
  const x: unknown = key.get(X);
  const y: unknown = key.get(Y);
  if (key.get(KTY) !== KTY_EC2 || key.get(CRV) !== CRV_P256) throw new Error('COSE_Key is not an EC2 P-256 key');
  if (key.get(ALG) !== COSEAlgorithm.ES256) throw new Error('COSE_Key alg is not ES256 (-7)');
  if (!isCoordinate(x) || !isCoordinate(y)) throw new Error('COSE_Key x and y must be 32-byte strings');
  const uncompressedPoint = new Uint8Array(1 + 2 * P256_COORDINATE_LENGTH);
  uncompressedPoint[0] = 0x04;
  uncompressedPoint.set(x, 1);
  uncompressedPoint.set(y, 1 + P256_COORDINATE_LENGTH);
  return { alg: COSEAlgorithm.ES256, x, y, uncompressedPoint };
}

/**
 * SubjectPublicKeyInfo DER of a COSE_Key, for `getPublicKey()`. WebCrypto writes
 * the DER (and rejects points not on the curve), so no hand-made ASN.1 here.
 */
export async function coseKeyToSpki(coseKey: Uint8Array): Promise<Uint8Array> {
  const { uncompressedPoint } = decodeCoseP256Key(coseKey);
  const key = await crypto.subtle.importKey(
    'raw',
    toBufferSource(uncompressedPoint),
    { name: 'ECDSA', namedCurve: 'P-256' },
    true,
    ['verify'],
  );
  return new Uint8Array(await crypto.subtle.exportKey('spki', key));
}

function isCoordinate(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.length === P256_COORDINATE_LENGTH;
}
