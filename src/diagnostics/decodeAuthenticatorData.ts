import { parseAuthenticatorData } from '../webauthn/authenticatorData';
import { equalBytes, sha256, toHex, utf8 } from '../webauthn/bytes';
import { decode } from '../webauthn/cbor';
import { type BinaryView, binary } from './binary';
import { cborToJson } from './cborToJson';

export interface DecodedFlags {
  /** "Bit 0: User Present (UP)." */
  UP: boolean;
  /** "Bit 2: User Verified (UV)." */
  UV: boolean;
  /** "Bit 3: Backup Eligibility (BE)." */
  BE: boolean;
  /** "Bit 4: Backup State (BS)." */
  BS: boolean;
  /** "Bit 6: Attested credential data included (AT)." */
  AT: boolean;
  /** "Bit 7: Extension data included (ED)." */
  ED: boolean;
  /** The byte as sent, reserved bits included. */
  byte: number;
}

export interface DecodedCoseKey {
  /** kty (label 1): 1 OKP, 2 EC2, 3 RSA. */
  kty: number | null;
  ktyName: string;
  /** alg (label 3). */
  alg: number | null;
  algName: string;
  /** crv (label -1) for EC2/OKP keys. */
  crv?: number;
  crvName?: string;
}

export interface DecodedAuthenticatorData {
  bytes: BinaryView;
  rpIdHash: BinaryView;
  /** null when no rpId was given to check against. */
  rpIdHashMatches: boolean | null;
  flags: DecodedFlags;
  signCount: number;
  attestedCredentialData?: {
    /** Formatted as a UUID. */
    aaguid: string;
    credentialId: BinaryView;
    publicKey: DecodedCoseKey;
  };
  extensions?: Record<string, unknown>;
  problems: string[];
}

const KTY_NAMES: Record<number, string> = { 1: 'OKP', 2: 'EC2', 3: 'RSA' };
/** COSE algorithms (IANA registry) a passkey is likely to use. */
export const ALG_NAMES: Record<number, string> = {
  [-7]: 'ES256',
  [-8]: 'EdDSA',
  [-35]: 'ES384',
  [-36]: 'ES512',
  [-37]: 'PS256',
  [-257]: 'RS256',
  [-47]: 'ES256K',
  [-50]: 'Ed25519',
};
const CRV_NAMES: Record<number, string> = { 1: 'P-256', 2: 'P-384', 3: 'P-521', 6: 'Ed25519', 7: 'Ed448' };

export function algorithmName(alg: number): string {
  return ALG_NAMES[alg] ?? `unknown (${alg})`;
}

function formatAaguid(bytes: Uint8Array): string {
  const hex = toHex(bytes);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** kty, alg and crv of a COSE_Key (RFC 9052 §7, RFC 9053 §7.1.1); never the key's coordinates. */
export function decodeCoseKeySummary(coseKey: Uint8Array): DecodedCoseKey {
  const key = decode(coseKey);
  if (!(key instanceof Map)) return { kty: null, ktyName: 'not a CBOR map', alg: null, algName: 'none' };
  const kty = typeof key.get(1) === 'number' ? (key.get(1) as number) : null;
  const alg = typeof key.get(3) === 'number' ? (key.get(3) as number) : null;
  const crv = kty !== 3 && typeof key.get(-1) === 'number' ? (key.get(-1) as number) : undefined;
  return {
    kty,
    ktyName: kty === null ? 'missing' : (KTY_NAMES[kty] ?? `unknown (${kty})`),
    alg,
    // §6.5.1: "The COSE_Key-encoded credential public key MUST contain the "alg" parameter".
    algName: alg === null ? 'missing' : algorithmName(alg),
    ...(crv !== undefined ? { crv, crvName: CRV_NAMES[crv] ?? `unknown (${crv})` } : {}),
  };
}

/**
 * authenticatorData (WebAuthn L3 §6.1): "rpIdHash: SHA-256 hash of the RP ID the credential is
 * scoped to", the flags, "signCount: Signature counter, 32-bit unsigned big-endian integer",
 * and the attested credential data and extensions the AT and ED flags announce.
 */
export function decodeAuthenticatorData(bytes: Uint8Array, rpId?: string | null): DecodedAuthenticatorData {
  const parsed = parseAuthenticatorData(bytes);
  const problems: string[] = [];
  let rpIdHashMatches: boolean | null = null;
  if (rpId) {
    rpIdHashMatches = equalBytes(parsed.rpIdHash, sha256(utf8(rpId)));
    if (!rpIdHashMatches) problems.push(`rpIdHash is not the SHA-256 of "${rpId}": the passkey belongs to another rpId.`);
  }
  const flags: DecodedFlags = {
    UP: parsed.userPresent,
    UV: parsed.userVerified,
    BE: parsed.backupEligible,
    BS: parsed.backupState,
    AT: parsed.attestedCredentialData !== undefined,
    ED: parsed.extensions !== undefined,
    byte: parsed.flags,
  };
  // §6.1.3: "BE = 0, BS = 1: This combination is not allowed."
  if (flags.BS && !flags.BE) problems.push('BS is set without BE, which the specification does not allow.');
  if (!flags.UP) problems.push('UP is not set: no user presence was tested.');
  const decoded: DecodedAuthenticatorData = {
    bytes: binary(bytes),
    rpIdHash: binary(parsed.rpIdHash),
    rpIdHashMatches,
    flags,
    signCount: parsed.signCount,
    problems,
  };
  if (parsed.attestedCredentialData) {
    const { aaguid, credentialId, credentialPublicKey } = parsed.attestedCredentialData;
    decoded.attestedCredentialData = {
      aaguid: formatAaguid(aaguid),
      credentialId: binary(credentialId),
      publicKey: decodeCoseKeySummary(credentialPublicKey),
    };
  }
  if (parsed.extensions) decoded.extensions = cborToJson(parsed.extensions) as Record<string, unknown>;
  return decoded;
}
