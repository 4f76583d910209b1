/**
 * The attestation object (WebAuthn L3 §6.5.4):
 *
 *   attObj = { authData: bytes, $$attStmtType }   with   attStmtTemplate = ( fmt: text, attStmt: { * tstr => any } )
 *
 * Latchkey attests with "none" (§8.7): `( fmt: "none", attStmt: emptyMap )`. The
 * format and statement are parameters so a self-attesting "packed" statement
 * (§8.2, `{ alg, sig }`) needs no second encoder. Keys are text, as WebAuthn
 * defines them; CTAP's integer keys (1 fmt, 2 authData, 3 attStmt) are the
 * authenticator-to-platform wire form, which this software authenticator skips.
 */
import { encodeCanonical, type CborValue } from '../webauthn/cbor';

export function encodeAttestationObject(
  authData: Uint8Array,
  fmt = 'none',
  attStmt: Record<string, CborValue> = {},
): Uint8Array {
  return encodeCanonical({ fmt, attStmt, authData });
}
