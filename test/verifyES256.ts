/**
 * Verifies an ES256 WebAuthn signature the way a relying party's WebCrypto
 * would: SPKI public key, DER signature converted to raw r || s. Independent of
 * the @noble/curves code that signs.
 */
import { toBufferSource } from '../src/webauthn/bytes';
import { derSignatureToRaw } from '../src/webauthn/der';

export async function verifyES256(spki: Uint8Array, derSignature: Uint8Array, message: Uint8Array): Promise<boolean> {
  const key = await crypto.subtle.importKey('spki', toBufferSource(spki), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
  return crypto.subtle.verify(
    { name: 'ECDSA', hash: 'SHA-256' },
    key,
    toBufferSource(derSignatureToRaw(derSignature)),
    toBufferSource(message),
  );
}
