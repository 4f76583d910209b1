import { decode } from '../webauthn/cbor';
import { cborToJson } from './cborToJson';
import { type DecodedAuthenticatorData, decodeAuthenticatorData } from './decodeAuthenticatorData';

export interface DecodedAttestationObject {
  /** "fmt": the attestation statement format ("none", "packed", "tpm", "apple" …). */
  fmt: string;
  /** "attStmt", byte strings as base64url with their length (certificates included). */
  attStmt: Record<string, unknown>;
  /** "alg" of a packed/tpm statement, when there is one. */
  attStmtAlg?: number;
  /** Number of certificates in "x5c" (0: self attestation or none). */
  certificateCount: number;
  authData: DecodedAuthenticatorData;
  problems: string[];
}

/**
 * The attestation object (WebAuthn L3 §6.5.4): a CBOR map
 * `{ "fmt": text, "attStmt": map, "authData": bytes }`.
 */
export function decodeAttestationObject(bytes: Uint8Array, rpId?: string | null): DecodedAttestationObject {
  const object = decode(bytes);
  if (!(object instanceof Map)) throw new Error('attestationObject is not a CBOR map');
  const fmt = object.get('fmt');
  const attStmt = object.get('attStmt');
  const authData = object.get('authData');
  if (typeof fmt !== 'string') throw new Error('attestationObject has no "fmt"');
  if (!(authData instanceof Uint8Array)) throw new Error('attestationObject has no "authData"');
  const statement = attStmt instanceof Map ? attStmt : new Map();
  const problems: string[] = [];
  // §8.7: "none": "attStmt … is an empty CBOR map".
  if (fmt === 'none' && statement.size !== 0) problems.push('fmt is "none" but attStmt is not empty.');
  const x5c = statement.get('x5c');
  const alg = statement.get('alg');
  const decodedAuthData = decodeAuthenticatorData(authData, rpId);
  if (!decodedAuthData.flags.AT) problems.push('authData has no attested credential data (AT is not set).');
  return {
    fmt,
    attStmt: cborToJson(statement) as Record<string, unknown>,
    ...(typeof alg === 'number' ? { attStmtAlg: alg } : {}),
    certificateCount: Array.isArray(x5c) ? x5c.length : 0,
    authData: decodedAuthData,
    problems: [...problems, ...decodedAuthData.problems],
  };
}
