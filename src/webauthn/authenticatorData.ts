/**
 * authenticatorData (WebAuthn L3 §6.1):
 *
 *   rpIdHash (32) | flags (1) | signCount (4) | attestedCredentialData (var.) | extensions (var.)
 *
 * with attestedCredentialData (§6.5.1):
 *
 *   aaguid (16) | credentialIdLength (2) | credentialId (L) | credentialPublicKey (COSE_Key)
 *
 * The builder takes the flags as facts (present, verified, backup eligible,
 * backed up) and derives AT and ED from what it is given, so the flags cannot
 * claim data that is not there.
 */
import { decodeFirst, encodeCanonical, type CborValue } from './cbor';
import { concat } from './bytes';

/** Flag bits, §6.1: "Bit 0: User Present (UP)", "Bit 2: User Verified (UV)", "Bit 3: Backup Eligibility (BE)", "Bit 4: Backup State (BS)", "Bit 6: Attested credential data included (AT)", "Bit 7: Extension data included (ED)". */
export const AuthenticatorDataFlag = {
  UP: 0x01,
  UV: 0x04,
  BE: 0x08,
  BS: 0x10,
  AT: 0x40,
  ED: 0x80,
} as const;

export interface AttestedCredentialData {
  /** 16 bytes. */
  aaguid: Uint8Array;
  credentialId: Uint8Array;
  /** COSE_Key, CTAP2 canonical CBOR. */
  credentialPublicKey: Uint8Array;
}

export interface AuthenticatorDataFields {
  /** SHA-256 of the RP ID. */
  rpIdHash: Uint8Array;
  userPresent: boolean;
  userVerified: boolean;
  backupEligible: boolean;
  backupState: boolean;
  signCount: number;
  /** Present at registration only. Sets AT. */
  attestedCredentialData?: AttestedCredentialData;
  /** Authenticator extension outputs. Sets ED. */
  extensions?: Map<string, CborValue>;
}

export interface ParsedAuthenticatorData extends Omit<AuthenticatorDataFields, 'extensions'> {
  /** The flags byte as sent, reserved bits included. */
  flags: number;
  extensions?: Map<unknown, unknown>;
}

const RP_ID_HASH_LENGTH = 32;
const AAGUID_LENGTH = 16;
/** §6.5.1: credentialIdLength "Value MUST be ≤ 1023." */
const MAX_CREDENTIAL_ID_LENGTH = 1023;

export function buildAuthenticatorData(fields: AuthenticatorDataFields): Uint8Array {
  const { rpIdHash, signCount, attestedCredentialData, extensions } = fields;
  if (rpIdHash.length !== RP_ID_HASH_LENGTH) throw new RangeError('rpIdHash must be 32 bytes');
  if (!Number.isInteger(signCount) || signCount < 0 || signCount > 0xffffffff) {
    throw new RangeError('signCount must be a 32-bit unsigned integer');
  }
  // §6.1.3: BE 0 with BS 1: "This combination is not allowed."
  if (fields.backupState && !fields.backupEligible) throw new Error('backup state (BS) requires backup eligibility (BE)');

  let flags = 0;
  if (fields.userPresent) flags |= AuthenticatorDataFlag.UP;
  if (fields.userVerified) flags |= AuthenticatorDataFlag.UV;
  if (fields.backupEligible) flags |= AuthenticatorDataFlag.BE;
  if (fields.backupState) flags |= AuthenticatorDataFlag.BS;
  if (attestedCredentialData) flags |= AuthenticatorDataFlag.AT;
  if (extensions) flags |= AuthenticatorDataFlag.ED;

  const header = new Uint8Array(RP_ID_HASH_LENGTH + 5);
  header.set(rpIdHash);
  const view = new DataView(header.buffer);
  view.setUint8(RP_ID_HASH_LENGTH, flags);
  // §6.1: "signCount: Signature counter, 32-bit unsigned big-endian integer."
  view.setUint32(RP_ID_HASH_LENGTH + 1, signCount);

  const parts: Uint8Array[] = [header];
  if (attestedCredentialData) parts.push(encodeAttestedCredentialData(attestedCredentialData));
  if (extensions) parts.push(encodeCanonical(extensions));
  return concat(...parts);
}

/** Parses authenticatorData; throws on truncation, on a malformed CBOR part, or on bytes left over. */
export function parseAuthenticatorData(bytes: Uint8Array): ParsedAuthenticatorData {
  if (bytes.length < RP_ID_HASH_LENGTH + 5) throw new Error('authenticatorData is shorter than 37 bytes');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const flags = bytes[RP_ID_HASH_LENGTH]!;
  const parsed: ParsedAuthenticatorData = {
    rpIdHash: bytes.slice(0, RP_ID_HASH_LENGTH),
    flags,
    userPresent: (flags & AuthenticatorDataFlag.UP) !== 0,
    userVerified: (flags & AuthenticatorDataFlag.UV) !== 0,
    backupEligible: (flags & AuthenticatorDataFlag.BE) !== 0,
    backupState: (flags & AuthenticatorDataFlag.BS) !== 0,
    signCount: view.getUint32(RP_ID_HASH_LENGTH + 1),
  };
  let position = RP_ID_HASH_LENGTH + 5;

  if (flags & AuthenticatorDataFlag.AT) {
    if (bytes.length < position + AAGUID_LENGTH + 2) throw new Error('attestedCredentialData is truncated');
    const aaguid = bytes.slice(position, position + AAGUID_LENGTH);
    const credentialIdLength = view.getUint16(position + AAGUID_LENGTH);
    position += AAGUID_LENGTH + 2;
    if (bytes.length < position + credentialIdLength) throw new Error('credentialId is truncated');
    const credentialId = bytes.slice(position, position + credentialIdLength);
    position += credentialIdLength;
    const { length } = decodeFirst(bytes.subarray(position));
    parsed.attestedCredentialData = { aaguid, credentialId, credentialPublicKey: bytes.slice(position, position + length) };
    position += length;
  }

  if (flags & AuthenticatorDataFlag.ED) {
    const { value, length } = decodeFirst(bytes.subarray(position));
    if (!(value instanceof Map)) throw new Error('authenticatorData extensions must be a CBOR map');
    parsed.extensions = value;
    position += length;
  }

  if (position !== bytes.length) throw new Error(`authenticatorData has ${bytes.length - position} bytes left over`);
  return parsed;
}

function encodeAttestedCredentialData({ aaguid, credentialId, credentialPublicKey }: AttestedCredentialData): Uint8Array {
  if (aaguid.length !== AAGUID_LENGTH) throw new RangeError('aaguid must be 16 bytes');
  if (credentialId.length > MAX_CREDENTIAL_ID_LENGTH) throw new RangeError('credentialId must be at most 1023 bytes');
  const length = new Uint8Array(2);
  // §6.5.1: "credentialIdLength: Byte length L of credentialId, 16-bit unsigned big-endian integer."
  new DataView(length.buffer).setUint16(0, credentialId.length);
  return concat(aaguid, length, credentialId, credentialPublicKey);
}
