/** PIN/UV auth protocol 2's primitives, checked against Node's own crypto as an independent implementation. */
import { createCipheriv, createECDH, createHmac, hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { concat } from '../webauthn/bytes';
import {
  authenticate,
  coseKeyAgreement,
  decrypt,
  encrypt,
  generateKeyPair,
  paddedPin,
  pinHash,
  sharedSecret,
  verify,
} from './pinUvAuthProtocolTwo';

describe('PIN/UV auth protocol 2 (CTAP 2.1 §6.5.7)', () => {
  it('ecdh/kdf: both sides derive the same 64 bytes, HKDF-SHA-256 of Z with the spec’s infos', () => {
    const platform = generateKeyPair();
    const authenticator = createECDH('prime256v1');
    authenticator.generateKeys();
    const shared = sharedSecret(platform.privateKey, coseKeyAgreement(new Uint8Array(authenticator.getPublicKey())));
    const z = authenticator.computeSecret(Buffer.from(platform.publicKey));
    const salt = Buffer.alloc(32);
    const expected = concat(
      new Uint8Array(hkdfSync('sha256', z, salt, 'CTAP2 HMAC key', 32)),
      new Uint8Array(hkdfSync('sha256', z, salt, 'CTAP2 AES key', 32)),
    );
    expect(shared).toEqual(expected);
    expect(sharedSecret(new Uint8Array(authenticator.getPrivateKey()), coseKeyAgreement(platform.publicKey))).toEqual(expected);
  });

  it('encrypt is iv || AES-256-CBC without padding under the second half of the key; decrypt inverts it', async () => {
    const key = crypto.getRandomValues(new Uint8Array(64));
    const iv = new Uint8Array(16).fill(7);
    const plaintext = paddedPin('1234');
    const ciphertext = await encrypt(key, plaintext, () => iv);
    const cipher = createCipheriv('aes-256-cbc', key.subarray(32), iv).setAutoPadding(false);
    expect(ciphertext).toEqual(concat(iv, new Uint8Array(Buffer.concat([cipher.update(plaintext), cipher.final()]))));
    expect(ciphertext.length).toBe(16 + 64);
    expect(await decrypt(key, ciphertext)).toEqual(plaintext);
  });

  it('decrypt refuses data shorter than an IV or not in whole blocks', async () => {
    const key = new Uint8Array(64);
    await expect(decrypt(key, new Uint8Array(15))).rejects.toThrow(TypeError);
    await expect(decrypt(key, new Uint8Array(33))).rejects.toThrow(TypeError);
  });

  it('authenticate is the full HMAC-SHA-256 under the first 32 bytes; verify accepts it and nothing else', () => {
    const key = crypto.getRandomValues(new Uint8Array(64));
    const message = new Uint8Array([1, 2, 3]);
    const mac = authenticate(key, message);
    expect(mac).toEqual(new Uint8Array(createHmac('sha256', key.subarray(0, 32)).update(message).digest()));
    expect(mac.length).toBe(32);
    expect(verify(key, message, mac)).toBe(true);
    expect(verify(key, new Uint8Array([1, 2, 4]), mac)).toBe(false);
  });

  it('pads a PIN to 64 bytes, hashes it to 16, and refuses PINs under 4 or over 63 bytes', () => {
    expect(paddedPin('1234')).toEqual(concat(new TextEncoder().encode('1234'), new Uint8Array(60)));
    expect(pinHash('1234').length).toBe(16);
    expect(() => paddedPin('123')).toThrow(RangeError);
    expect(() => paddedPin('x'.repeat(64))).toThrow(RangeError);
  });

  it('refuses a key agreement point that is not on P-256', () => {
    const bogus = coseKeyAgreement(concat(new Uint8Array([4]), new Uint8Array(64).fill(1)));
    expect(() => sharedSecret(generateKeyPair().privateKey, bogus)).toThrow();
  });
});
