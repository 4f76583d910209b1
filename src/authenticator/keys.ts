/**
 * Credential key pairs: generation, storage form (PKCS#8) and signing, per COSE
 * algorithm. `credentialAlgorithms` is the table makeCredential chooses from and
 * getAssertion signs with; EdDSA (-8) and RS256 (-257) are added as entries.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { fromBase64url, toBase64url } from '../webauthn/base64url';
import { concat, fromHex, toBufferSource } from '../webauthn/bytes';
import { coseKeyToSpki, encodeCoseEd25519Key, encodeCoseP256Key, encodeCoseRsaKey } from '../webauthn/cose';
import { rawSignatureToDer } from '../webauthn/der';
import { COSEAlgorithm, type COSEAlgorithmIdentifier } from '../webauthn/types';

export interface CredentialKeyPair {
  privateKeyPkcs8: Uint8Array;
  publicKeyCose: Uint8Array;
  /** SubjectPublicKeyInfo DER, what `getPublicKey()` returns. */
  publicKeySpki: Uint8Array;
}

export interface CredentialAlgorithm {
  alg: COSEAlgorithmIdentifier;
  /** Draws the private key from `randomBytes`, so a test can feed a known key through it. */
  generate(randomBytes: (length: number) => Uint8Array): Promise<CredentialKeyPair>;
  /** Signs `message` in the algorithm's WebAuthn signature format. */
  sign(privateKeyPkcs8: Uint8Array, message: Uint8Array): Promise<Uint8Array>;
}

const P256_IMPORT = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SCALAR_LENGTH = 32;
/** A uniformly random 32-byte string is outside [1, n-1] with probability below 2^-32; failing this often means the RNG is broken. */
const MAX_KEY_DRAWS = 8;

/**
 * ES256: ECDSA on P-256 with SHA-256.
 *
 * Signing is deterministic (RFC 6979) through @noble/curves, because WebCrypto's
 * ECDSA draws a random nonce and could never reproduce the spec's test vectors,
 * which say "ECDSA signatures use a deterministic nonce [RFC6979]". The vectors'
 * signatures are not low-S normalized (none.ES256's s is above n/2), so neither
 * is ours: `lowS: false`. WebAuthn verifiers (WebCrypto, OpenSSL) accept either half.
 */
export const es256: CredentialAlgorithm = {
  alg: COSEAlgorithm.ES256,

  async generate(randomBytes) {
    const scalar = drawP256Scalar(randomBytes);
    const point = p256.getPublicKey(scalar, false);
    // WebCrypto writes the PKCS#8 DER from a JWK, so there is no hand-made ASN.1.
    const key = await crypto.subtle.importKey(
      'jwk',
      {
        kty: 'EC',
        crv: 'P-256',
        x: toBase64url(point.subarray(1, 1 + SCALAR_LENGTH)),
        y: toBase64url(point.subarray(1 + SCALAR_LENGTH)),
        d: toBase64url(scalar),
        ext: true,
      },
      P256_IMPORT,
      true,
      ['sign'],
    );
    const publicKeyCose = encodeCoseP256Key(point);
    return {
      privateKeyPkcs8: new Uint8Array(await crypto.subtle.exportKey('pkcs8', key)),
      publicKeyCose,
      publicKeySpki: await coseKeyToSpki(publicKeyCose),
    };
  },

  async sign(privateKeyPkcs8, message) {
    const key = await crypto.subtle.importKey('pkcs8', toBufferSource(privateKeyPkcs8), P256_IMPORT, true, ['sign']);
    const { d } = await crypto.subtle.exportKey('jwk', key);
    if (!d) throw new Error('PKCS#8 key has no private scalar');
    // prehash: the message is authenticatorData || clientDataHash, hashed once with SHA-256 here.
    const raw = p256.sign(message, fromBase64url(d), { prehash: true, lowS: false, format: 'compact' });
    return rawSignatureToDer(raw);
  },
};

/**
 * RFC 8410 §7 and its example in §10.3: an Ed25519 PKCS#8 OneAsymmetricKey is this fixed
 * prefix (version 0, OID 1.3.101.112) followed by the 32-byte private key (the RFC 8032 seed)
 * as an OCTET STRING inside the privateKey OCTET STRING.
 */
const ED25519_PKCS8_PREFIX = fromHex('302e020100300506032b657004220420');
const ED25519_SEED_LENGTH = 32;

/**
 * EdDSA with Ed25519 (COSE -8; RFC 8032 "PureEdDSA", so the message is signed as is, not
 * pre-hashed). Signatures are deterministic by construction; @noble/curves signs, so the same
 * code runs where WebCrypto lacks Ed25519.
 */
export const eddsa: CredentialAlgorithm = {
  alg: COSEAlgorithm.EdDSA,

  async generate(randomBytes) {
    const seed = randomBytes(ED25519_SEED_LENGTH);
    if (seed.length !== ED25519_SEED_LENGTH) throw new Error('randomBytes gave no 32-byte Ed25519 seed');
    const publicKeyCose = encodeCoseEd25519Key(ed25519.getPublicKey(seed));
    return {
      privateKeyPkcs8: concat(ED25519_PKCS8_PREFIX, seed),
      publicKeyCose,
      publicKeySpki: await coseKeyToSpki(publicKeyCose),
    };
  },

  async sign(privateKeyPkcs8, message) {
    const prefix = privateKeyPkcs8.subarray(0, ED25519_PKCS8_PREFIX.length);
    if (privateKeyPkcs8.length !== ED25519_PKCS8_PREFIX.length + ED25519_SEED_LENGTH || prefix.some((byte, i) => byte !== ED25519_PKCS8_PREFIX[i])) {
      throw new Error('not an Ed25519 PKCS#8 private key');
    }
    // WebAuthn L3 §6.5.5: an EdDSA signature is the raw 64-byte R || S, not ASN.1.
    return ed25519.sign(message, privateKeyPkcs8.subarray(ED25519_PKCS8_PREFIX.length));
  },
};

const RS256_PARAMS = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

/**
 * RS256: RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8812 §2), a 2048-bit key with e = 65537 made by
 * WebCrypto. PKCS#1 v1.5 signatures are deterministic, so a key imported from the spec's
 * vector reproduces its signature. RSA keys cannot be drawn from `randomBytes`; WebCrypto's
 * generator draws its own randomness.
 */
export const rs256: CredentialAlgorithm = {
  alg: COSEAlgorithm.RS256,

  async generate() {
    const pair = await crypto.subtle.generateKey(
      { ...RS256_PARAMS, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
      true,
      ['sign', 'verify'],
    );
    const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
    return {
      privateKeyPkcs8: new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey)),
      publicKeyCose: encodeCoseRsaKey(fromBase64url(jwk.n!), fromBase64url(jwk.e!)),
      publicKeySpki: new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey)),
    };
  },

  async sign(privateKeyPkcs8, message) {
    const key = await crypto.subtle.importKey('pkcs8', toBufferSource(privateKeyPkcs8), RS256_PARAMS, false, ['sign']);
    return new Uint8Array(await crypto.subtle.sign(RS256_PARAMS.name, key, toBufferSource(message)));
  },
};

/**
 * The algorithms this authenticator can create credentials with, by COSE identifier.
 * makeCredential walks the RP's pubKeyCredParams in order and takes the first one found here.
 */
export const credentialAlgorithms: ReadonlyMap<COSEAlgorithmIdentifier, CredentialAlgorithm> = new Map([
  [es256.alg, es256],
  [eddsa.alg, eddsa],
  [rs256.alg, rs256],
]);

/** Key pair generation by rejection sampling (FIPS 186-5 §A.2.2): keep 32 random bytes only if they are an integer in [1, n-1], so every valid scalar is equally likely. */
function drawP256Scalar(randomBytes: (length: number) => Uint8Array): Uint8Array {
  for (let draw = 0; draw < MAX_KEY_DRAWS; draw++) {
    const candidate = randomBytes(SCALAR_LENGTH);
    if (candidate.length === SCALAR_LENGTH && p256.utils.isValidSecretKey(candidate)) return candidate;
  }
  throw new Error('randomBytes produced no valid P-256 private key; the random source is broken');
}

/** The public half of a P-256 PKCS#8 private key (for credentials a tester brings in), as COSE and SPKI. */
export async function es256PublicKeyFromPkcs8(privateKeyPkcs8: Uint8Array): Promise<{ publicKeyCose: Uint8Array; publicKeySpki: Uint8Array }> {
  const key = await crypto.subtle.importKey('pkcs8', toBufferSource(privateKeyPkcs8), P256_IMPORT, true, ['sign']);
  const { x, y } = await crypto.subtle.exportKey('jwk', key);
  if (!x || !y) throw new Error('the PKCS#8 key is not a P-256 key');
  const publicKeyCose = encodeCoseP256Key(concat(new Uint8Array([0x04]), fromBase64url(x), fromBase64url(y)));
  return { publicKeyCose, publicKeySpki: await coseKeyToSpki(publicKeyCose) };
}
