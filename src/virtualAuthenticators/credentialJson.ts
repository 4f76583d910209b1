/**
 * Credentials between the testing API's JSON (CDP `WebAuthn.Credential`: binary in base64;
 * WebDriver: base64url — both read) and the vault's CredentialRecord.
 */
import { es256PublicKeyFromPkcs8 } from '../authenticator/keys';
import type { CredentialRecord } from '../vault/credentialRecord';
import { fromBase64url, toBase64url } from '../webauthn/base64url';
import { COSEAlgorithm } from '../webauthn/types';
import type { VirtualCredential } from './types';

/** Standard base64 or base64url, padded or not. */
export function fromAnyBase64(text: string): Uint8Array {
  return fromBase64url(text.replace(/\+/g, '-').replace(/\//g, '_'));
}

export function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

export async function recordFromVirtual(
  credential: VirtualCredential,
  now: number,
  defaults: { backupEligible: boolean; backupState: boolean },
): Promise<CredentialRecord> {
  const credentialId = fromAnyBase64(credential.credentialId);
  const privateKeyPkcs8 = fromAnyBase64(credential.privateKey);
  const { publicKeyCose } = await es256PublicKeyFromPkcs8(privateKeyPkcs8);
  const backupEligible = credential.backupEligibility ?? defaults.backupEligible;
  return {
    id: toBase64url(credentialId),
    credentialId,
    rpId: credential.rpId,
    userHandle: credential.userHandle ? fromAnyBase64(credential.userHandle) : new Uint8Array(0),
    userName: credential.userName ?? '',
    userDisplayName: credential.userDisplayName ?? '',
    name: `${credential.rpId} (${credential.userName ?? 'test credential'})`,
    algorithm: COSEAlgorithm.ES256,
    publicKeyCose,
    privateKeyPkcs8,
    signCount: credential.signCount,
    discoverable: credential.isResidentCredential,
    backupEligible,
    backupState: backupEligible && (credential.backupState ?? defaults.backupState),
    createdAt: now,
    lastUsedAt: null,
  };
}

export function virtualFromRecord(record: CredentialRecord, encode: (bytes: Uint8Array) => string = toBase64): VirtualCredential {
  return {
    credentialId: encode(record.credentialId),
    isResidentCredential: record.discoverable,
    rpId: record.rpId,
    privateKey: encode(record.privateKeyPkcs8),
    ...(record.userHandle.length > 0 ? { userHandle: encode(record.userHandle) } : {}),
    signCount: record.signCount ?? 0,
    backupEligibility: record.backupEligible,
    backupState: record.backupState,
    userName: record.userName,
    userDisplayName: record.userDisplayName,
  };
}

/** CredentialRecord in a JSON-safe form (storage.session keeps JSON only). */
export type StoredRecord = Omit<CredentialRecord, 'credentialId' | 'userHandle' | 'publicKeyCose' | 'privateKeyPkcs8'> & {
  credentialId: string;
  userHandle: string;
  publicKeyCose: string;
  privateKeyPkcs8: string;
};

export function storable(record: CredentialRecord): StoredRecord {
  return {
    ...record,
    credentialId: toBase64url(record.credentialId),
    userHandle: toBase64url(record.userHandle),
    publicKeyCose: toBase64url(record.publicKeyCose),
    privateKeyPkcs8: toBase64url(record.privateKeyPkcs8),
  };
}

export function restored(stored: StoredRecord): CredentialRecord {
  return {
    ...stored,
    credentialId: fromBase64url(stored.credentialId),
    userHandle: fromBase64url(stored.userHandle),
    publicKeyCose: fromBase64url(stored.publicKeyCose),
    privateKeyPkcs8: fromBase64url(stored.privateKeyPkcs8),
  };
}
