import { p256 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import { fedRandomBytes } from '../../test/authenticatorEnvironment';
import { webauthnTestVector } from '../../test/vectors';
import { verifyES256 } from '../../test/verifyES256';
import { fromBase64url, toBase64url } from '../webauthn/base64url';
import { parseAuthenticatorData } from '../webauthn/authenticatorData';
import { concat, fromHex, sha256, toBufferSource, toHex } from '../webauthn/bytes';
import { decode } from '../webauthn/cbor';
import { derSignatureToRaw } from '../webauthn/der';
import { coseKeyToSpki, encodeCoseRsaKey } from '../webauthn/cose';
import { credentialAlgorithms, eddsa, es256, rs256 } from './keys';

const none = webauthnTestVector('none.ES256');
const privateKey = none.registration.credential_private_key!;

describe('es256.generate', () => {
  it('derives the spec vector public key from the private key it is fed', async () => {
    const key = await es256.generate(fedRandomBytes(privateKey));
    const authData = (decode(none.registration.attestationObject!) as Map<string, Uint8Array>).get('authData')!;
    expect(key.publicKeyCose).toEqual(parseAuthenticatorData(authData).attestedCredentialData!.credentialPublicKey);
  });

  it('stores the key as PKCS#8 that WebCrypto imports, holding the same scalar', async () => {
    const key = await es256.generate(fedRandomBytes(privateKey));
    const imported = await crypto.subtle.importKey('pkcs8', toBufferSource(key.privateKeyPkcs8), { name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign']);
    const jwk = await crypto.subtle.exportKey('jwk', imported);
    expect(fromBase64url(jwk.d!)).toEqual(privateKey);
  });

  it('gives the public key as SPKI DER', async () => {
    const key = await es256.generate(fedRandomBytes(privateKey));
    expect(toHex(key.publicKeySpki)).toBe('3059301306072a8648ce3d020106082a8648ce3d030107034200' + toHex(p256.getPublicKey(privateKey, false)));
  });

  it('draws again when the bytes are not a scalar in [1, n-1]', async () => {
    const n = fromHex(p256.Point.CURVE().n.toString(16));
    const key = await es256.generate(fedRandomBytes(new Uint8Array(32), n, privateKey));
    expect(key.publicKeySpki.subarray(-65)).toEqual(p256.getPublicKey(privateKey, false));
  });

  it('gives up on a random source that never yields a valid scalar', async () => {
    await expect(es256.generate(() => new Uint8Array(32))).rejects.toThrow(/random source is broken/);
  });
});

describe('es256.sign', () => {
  const message = concat(none.authentication.authenticatorData!, sha256(none.authentication.clientDataJSON!));

  it('signs deterministically (RFC 6979) without low-S normalization, as the spec vectors do', async () => {
    const key = await es256.generate(fedRandomBytes(privateKey));
    const signature = await es256.sign(key.privateKeyPkcs8, message);
    expect(toHex(signature)).toBe(toHex(none.authentication.signature!));
    const s = BigInt('0x' + toHex(derSignatureToRaw(signature).subarray(32)));
    expect(s > p256.Point.CURVE().n / 2n).toBe(true);
  });

  it('makes signatures WebCrypto verifies with the SPKI public key', async () => {
    const key = await es256.generate((length) => crypto.getRandomValues(new Uint8Array(length)));
    const signature = await es256.sign(key.privateKeyPkcs8, message);
    expect(await verifyES256(key.publicKeySpki, signature, message)).toBe(true);
    expect(await verifyES256(key.publicKeySpki, signature, concat(message, new Uint8Array([0])))).toBe(false);
  });
});

describe('credentialAlgorithms', () => {
  it('offers ES256 (-7), EdDSA (-8) and RS256 (-257), by COSE identifier', () => {
    expect([...credentialAlgorithms.keys()]).toEqual([-7, -8, -257]);
    expect(credentialAlgorithms.get(-7)).toBe(es256);
    expect(credentialAlgorithms.get(-8)).toBe(eddsa);
    expect(credentialAlgorithms.get(-257)).toBe(rs256);
  });
});

function credentialPublicKeyOf(attestationObject: Uint8Array): Uint8Array {
  const authData = (decode(attestationObject) as Map<string, Uint8Array>).get('authData')!;
  return parseAuthenticatorData(authData).attestedCredentialData!.credentialPublicKey;
}

describe('eddsa (Ed25519), against the packed.EdDSA spec vector', () => {
  const vector = webauthnTestVector('packed.EdDSA');
  const message = concat(vector.authentication.authenticatorData!, sha256(vector.authentication.clientDataJSON!));

  it('derives the vector’s COSE public key (OKP, crv 6) from the private key it is fed', async () => {
    const key = await eddsa.generate(fedRandomBytes(vector.registration.private_key!));
    expect(toHex(key.publicKeyCose)).toBe(toHex(credentialPublicKeyOf(vector.registration.attestationObject!)));
  });

  it('signs the vector’s assertion byte for byte (raw 64-byte R || S)', async () => {
    const key = await eddsa.generate(fedRandomBytes(vector.registration.private_key!));
    expect(toHex(await eddsa.sign(key.privateKeyPkcs8, message))).toBe(toHex(vector.authentication.signature!));
  });

  it('gives an SPKI and PKCS#8 that WebCrypto reads, and signatures it verifies', async () => {
    const key = await eddsa.generate((length) => crypto.getRandomValues(new Uint8Array(length)));
    const publicKey = await crypto.subtle.importKey('spki', toBufferSource(key.publicKeySpki), { name: 'Ed25519' }, false, ['verify']);
    await crypto.subtle.importKey('pkcs8', toBufferSource(key.privateKeyPkcs8), { name: 'Ed25519' }, false, ['sign']);
    const signature = await eddsa.sign(key.privateKeyPkcs8, message);
    expect(await crypto.subtle.verify('Ed25519', publicKey, toBufferSource(signature), toBufferSource(message))).toBe(true);
  });
});

/** The vector's RSA key from its primes (e = 65537) as a JWK, so WebCrypto can hold it. */
function vectorRsaJwk(p: bigint, q: bigint): JsonWebKey {
  const e = 65537n;
  const modInverse = (a: bigint, m: bigint): bigint => {
    let [oldR, r, oldS, s] = [a % m, m, 1n, 0n];
    while (r !== 0n) {
      const quotient = oldR / r;
      [oldR, r] = [r, oldR - quotient * r];
      [oldS, s] = [s, oldS - quotient * s];
    }
    return ((oldS % m) + m) % m;
  };
  const b64 = (value: bigint) => {
    const hex = value.toString(16);
    return toBase64url(fromHex(hex.length % 2 ? `0${hex}` : hex));
  };
  const d = modInverse(e, (p - 1n) * (q - 1n));
  return { kty: 'RSA', n: b64(p * q), e: b64(e), d: b64(d), p: b64(p), q: b64(q), dp: b64(d % (p - 1n)), dq: b64(d % (q - 1n)), qi: b64(modInverse(q, p)), ext: true };
}

describe('rs256, against the packed.RS256 spec vector', () => {
  const vector = webauthnTestVector('packed.RS256');
  // "The two smallest Mersenne primes 2^p - 1 where p >= 1024", as the vector states them.
  const p = 2n ** 1279n - 1n;
  const q = 2n ** 2203n - 1n;
  const message = concat(vector.authentication.authenticatorData!, sha256(vector.authentication.clientDataJSON!));

  it('signs the vector’s assertion byte for byte with the vector’s key', async () => {
    const params = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    const imported = await crypto.subtle.importKey('jwk', vectorRsaJwk(p, q), params, true, ['sign']);
    const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', imported));
    expect(toHex(await rs256.sign(pkcs8, message))).toBe(toHex(vector.authentication.signature!));
  });

  it('encodes the vector’s public key as its COSE_Key (kty 3, n, e)', async () => {
    const jwk = vectorRsaJwk(p, q);
    const expected = credentialPublicKeyOf(vector.registration.attestationObject!);
    expect(toHex(encodeCoseRsaKey(fromBase64url(jwk.n!), fromBase64url(jwk.e!)))).toBe(toHex(expected));
  });

  it('generates 2048-bit keys whose SPKI is what the COSE key converts to, and whose signatures verify', async () => {
    const key = await rs256.generate(() => {
      throw new Error('RSA keys are not drawn from randomBytes');
    });
    expect(toHex(await coseKeyToSpki(key.publicKeyCose))).toBe(toHex(key.publicKeySpki));
    const publicKey = await crypto.subtle.importKey('spki', toBufferSource(key.publicKeySpki), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, true, ['verify']);
    expect((publicKey.algorithm as RsaHashedKeyAlgorithm).modulusLength).toBe(2048);
    const signature = await rs256.sign(key.privateKeyPkcs8, message);
    expect(await crypto.subtle.verify('RSASSA-PKCS1-v1_5', publicKey, toBufferSource(signature), toBufferSource(message))).toBe(true);
  });
});
