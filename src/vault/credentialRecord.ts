import type { COSEAlgorithmIdentifier } from '../webauthn/types';

/**
 * One passkey as the vault keeps it. Binary members are Uint8Array (IndexedDB
 * stores them by structured clone). `id` is the base64url form of
 * `credentialId` and the record's primary key.
 */
export interface CredentialRecord {
  id: string;
  credentialId: Uint8Array;
  rpId: string;
  /** "A user handle is an opaque byte sequence with a maximum size of 64 bytes" (WebAuthn §4). */
  userHandle: Uint8Array;
  userName: string;
  userDisplayName: string;
  /** The label the user sees and may edit; defaults to "<site> (<account>)". */
  name: string;
  algorithm: COSEAlgorithmIdentifier;
  /** The credential public key, COSE_Key encoded (CTAP2 canonical CBOR). */
  publicKeyCose: Uint8Array;
  /** The credential private key as PKCS#8 DER. The vault issue wraps this; the authenticator never sees how. */
  privateKeyPkcs8: Uint8Array;
  /**
   * Signature counter. `null` means this credential does not keep one and always
   * reports 0 ("If the authenticator does not implement a signature counter, let
   * the signature counter value remain constant at zero", WebAuthn §6.1.1).
   */
  signCount: number | null;
  /** Client-side discoverable credential (resident key). */
  discoverable: boolean;
  backupEligible: boolean;
  backupState: boolean;
  /**
   * CTAP 2.1 hmac-secret "CredRandomWithoutUV": 32 random bytes made when the RP asked for
   * the prf extension at creation; the PRF is HMAC-SHA-256 under it. Absent: no PRF.
   */
  prfSecret?: Uint8Array;
  /** The largeBlob extension's blob (CTAP 2.1 keeps it in a large-blob array under largeBlobKey); absent until written. */
  largeBlob?: Uint8Array;
  /** Whether the credential was created with largeBlob support (discoverable credentials only, as CTAP's largeBlobKey). */
  largeBlobSupported?: boolean;
  createdAt: number;
  lastUsedAt: number | null;
}

/** Storage the authenticator and the popup use; the vault issue adds encryption behind it. */
export interface CredentialStore {
  /** Every record for `rpId`, newest first. */
  listByRpId(rpId: string): Promise<CredentialRecord[]>;
  get(id: string): Promise<CredentialRecord | undefined>;
  /** Every record, for the popup. */
  list(): Promise<CredentialRecord[]>;
  /** Adds a new record; rejects if the id exists. */
  add(record: CredentialRecord): Promise<void>;
  /** Applies `change` to the stored record inside one transaction and returns the result. */
  update(id: string, change: (record: CredentialRecord) => CredentialRecord): Promise<CredentialRecord>;
  delete(id: string): Promise<void>;
}
