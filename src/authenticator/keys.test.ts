import { p256 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import { fedRandomBytes } from '../../test/authenticatorEnvironment';
import { webauthnTestVector } from '../../test/vectors';
import { verifyES256 } from '../../test/verifyES256';
import { fromBase64url } from '../webauthn/base64url';
import { parseAuthenticatorData } from '../webauthn/authenticatorData';
import { concat, fromHex, sha256, toBufferSource, toHex } from '../webauthn/bytes';
import { decode } from '../webauthn/cbor';
import { derSignatureToRaw } from '../webauthn/der';
import { credentialAlgorithms, es256 } from './keys';

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
  it('offers ES256 (-7), by COSE identifier', () => {
    expect([...credentialAlgorithms.keys()]).toEqual([-7]);
    expect(credentialAlgorithms.get(-7)).toBe(es256);
  });
});
