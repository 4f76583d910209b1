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
import { toBase64url } from './base64url';
import { concat, fromHex, toBufferSource } from './bytes';
import { decode, encodeCanonical } from './cbor';
import { COSEAlgorithm } from './types';

const KTY = 1;
const ALG = 3;
const CRV = -1;
const X = -2;
const Y = -3;
const KTY_OKP = 1;
const KTY_EC2 = 2;
const KTY_RSA = 3;
const CRV_P256 = 1;
/** RFC 9053 §7.1, table 18: Ed25519 is OKP curve 6. */
const CRV_ED25519 = 6;
/** RFC 8230 §4: RSA key parameters n (-1) and e (-2). */
const RSA_N = -1;
const RSA_E = -2;
const ED25519_KEY_LENGTH = 32;
/**
 * RFC 8410 §4 and its example in §10.1: an Ed25519 SubjectPublicKeyInfo is this fixed
 * AlgorithmIdentifier (OID 1.3.101.112, no parameters) followed by the 32-byte key as a BIT STRING.
 */
const ED25519_SPKI_PREFIX = fromHex('302a300506032b6570032100');
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
 * COSE_Key of an Ed25519 public key (RFC 9053 §7.2, "Octet Key Pair"):
 *   { 1: 1 (kty: OKP), 3: -8 (alg: EdDSA), -1: 6 (crv: Ed25519), -2: x }
 * "x: This contains the public key", the 32-byte encoding of RFC 8032.
 */
export function encodeCoseEd25519Key(publicKey: Uint8Array): Uint8Array {
  if (publicKey.length !== ED25519_KEY_LENGTH) throw new Error('expected a 32-byte Ed25519 public key');
  return encodeCanonical(
    new Map<number, number | Uint8Array>([
      [KTY, KTY_OKP],
      [ALG, COSEAlgorithm.EdDSA],
      [CRV, CRV_ED25519],
      [X, publicKey.slice()],
    ]),
  );
}

/**
 * COSE_Key of an RSA public key (RFC 8230 §4): { 1: 3 (kty: RSA), 3: -257 (alg: RS256),
 * -1: n, -2: e }, n and e as unsigned big-endian byte strings without leading zeros
 * ("The RSA modulus n is a product of u distinct odd primes …"; leading zero octets are not allowed).
 */
export function encodeCoseRsaKey(n: Uint8Array, e: Uint8Array): Uint8Array {
  return encodeCanonical(
    new Map<number, number | Uint8Array>([
      [KTY, KTY_RSA],
      [ALG, COSEAlgorithm.RS256],
      [RSA_N, withoutLeadingZeros(n)],
      [RSA_E, withoutLeadingZeros(e)],
    ]),
  );
}

function withoutLeadingZeros(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return bytes.slice(start);
}

/** The COSE algorithm a COSE_Key names in its "alg" (3) parameter. */
export function coseKeyAlgorithm(coseKey: Uint8Array): number {
  const key = decode(coseKey);
  if (!(key instanceof Map) || typeof key.get(ALG) !== 'number') throw new Error('COSE_Key has no alg');
  return key.get(ALG) as number;
}

/**
 * SubjectPublicKeyInfo DER of a COSE_Key, for `getPublicKey()`. WebCrypto writes the DER
 * for P-256 (rejecting points not on the curve) and RSA; Ed25519's SPKI is RFC 8410's fixed
 * prefix and the key.
 */
export async function coseKeyToSpki(coseKey: Uint8Array): Promise<Uint8Array> {
  const key = decode(coseKey);
  if (!(key instanceof Map)) throw new Error('COSE_Key must be a CBOR map');
  if (key.get(KTY) === KTY_OKP) {
    const x: unknown = key.get(X);
    if (key.get(CRV) !== CRV_ED25519 || key.get(ALG) !== COSEAlgorithm.EdDSA) throw new Error('COSE_Key is not an Ed25519 EdDSA key');
    if (!(x instanceof Uint8Array) || x.length !== ED25519_KEY_LENGTH) throw new Error('COSE_Key x must be a 32-byte string');
    return concat(ED25519_SPKI_PREFIX, x);
  }
  if (key.get(KTY) === KTY_RSA) {
    const n: unknown = key.get(RSA_N);
    const e: unknown = key.get(RSA_E);
    if (key.get(ALG) !== COSEAlgorithm.RS256) throw new Error('COSE_Key alg is not RS256 (-257)');
    if (!(n instanceof Uint8Array) || !(e instanceof Uint8Array)) throw new Error('COSE_Key n and e must be byte strings');
    const imported = await crypto.subtle.importKey(
      'jwk',
      { kty: 'RSA', n: toBase64url(n), e: toBase64url(e), ext: true },
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      true,
      ['verify'],
    );
    return new Uint8Array(await crypto.subtle.exportKey('spki', imported));
  }
  const { uncompressedPoint } = decodeCoseP256Key(coseKey);
  const p256Key = await crypto.subtle.importKey(
    'raw',
    toBufferSource(uncompressedPoint),
    { name: 'ECDSA', namedCurve: 'P-256' },
    true,
    ['verify'],
  );
  return new Uint8Array(await crypto.subtle.exportKey('spki', p256Key));
}

function isCoordinate(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.length === P256_COORDINATE_LENGTH;
}
