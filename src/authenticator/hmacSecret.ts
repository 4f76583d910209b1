/**
 * The per-credential PRF of CTAP 2.1's hmac-secret extension, which WebAuthn's prf extension
 * (L3 §10.1.4) runs on. A software authenticator in the same process as its client needs no
 * shared-secret encryption of salts and outputs (that protects the USB/NFC link); what remains
 * is CTAP's core: "The authenticator generates two random 32-byte values (called
 * CredRandomWithUV and CredRandomWithoutUV) and associates them with the credential", and
 * "output1: HMAC-SHA-256(CredRandom, salt1)", "output2: HMAC-SHA-256(CredRandom, salt2)".
 *
 * Latchkey cannot verify the user yet, so only CredRandomWithoutUV exists; CredRandomWithUV
 * comes with the PIN (a UV assertion must not give the same outputs as a non-UV one).
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';

export const CRED_RANDOM_LENGTH = 32;
export const SALT_LENGTH = 32;

/** hmac-secret salts: salt1, and salt2 when the RP gave a second input. */
export type HmacSecretSalts = readonly [Uint8Array] | readonly [Uint8Array, Uint8Array];

export function hmacSecretOutputs(credRandom: Uint8Array, salts: HmacSecretSalts): Uint8Array[] {
  for (const salt of salts) {
    // CTAP 2.1: "salt1 (32 bytes) … salt2 (32 bytes)"; anything else is CTAP1_ERR_INVALID_LENGTH.
    if (salt.length !== SALT_LENGTH) throw new Error('hmac-secret salts are 32 bytes');
  }
  return salts.map((salt) => hmac(sha256, credRandom, salt));
}
