import type { CredentialRecord, CredentialStore } from '../vault/credentialRecord';
import type { COSEAlgorithmIdentifier } from '../webauthn/types';
import type { HmacSecretSalts } from './hmacSecret';

/**
 * The software authenticator follows CTAP 2.1 semantics (authenticatorMakeCredential,
 * authenticatorGetAssertion). Everything it cannot decide alone comes in through
 * `AuthenticatorEnvironment`, so the core runs in Node under Vitest and in the
 * service worker unchanged.
 */

/** What the authenticator tells the user interface it needs (cf. passkey-rs `UiHint`). */
export type UserPrompt =
  | {
      kind: 'request-new-credential';
      rpId: string;
      rpName: string;
      userName: string;
      userDisplayName: string;
      /** The label the credential will get unless the user edits it. */
      suggestedName: string;
      userVerification: boolean;
    }
  | {
      kind: 'request-existing-credential';
      rpId: string;
      /** Candidates the user chooses from (already filtered by allowList). */
      candidates: CredentialRecord[];
      userVerification: boolean;
    }
  | { kind: 'inform-excluded-credential-found'; rpId: string; credential: CredentialRecord }
  | { kind: 'inform-no-credentials-found'; rpId: string };

/** The user's answer. */
export type UserDecision =
  | {
      outcome: 'approve';
      /** User verification was performed and succeeded (PIN, biometric). */
      verified: boolean;
      /** For request-existing-credential: the chosen credential's id. */
      credentialId?: string;
      /** For request-new-credential: the name the user gave, if edited. */
      name?: string;
    }
  | { outcome: 'cancel' }
  /** "Use another device or security key": the client hands the request to the browser. */
  | { outcome: 'use-another-authenticator' }
  /** The ceremony ran on a USB security key instead (the prompt's `securityKey` hook succeeded). */
  | { outcome: 'used-security-key' };

/**
 * Runs the ceremony on a security key with the PIN the person typed (none when the key has no
 * PIN); `onTouch` is called when the key waits for a touch. Rejects with a message the prompt
 * shows (wrong PIN, no key found); the prompt then waits.
 */
export type SecurityKeyHook = (pin: string | undefined, onTouch: () => void) => Promise<void>;

export interface UserInterface {
  /**
   * Inform prompts resolve once acknowledged; their decision is ignored except cancel/use-another.
   * `securityKey`, when given, lets the person run the ceremony on a security key from the prompt.
   */
  prompt(request: UserPrompt, signal?: AbortSignal, securityKey?: SecurityKeyHook): Promise<UserDecision>;
}

export interface AuthenticatorEnvironment {
  store: CredentialStore;
  ui: UserInterface;
  /** Cryptographically strong random bytes (crypto.getRandomValues in production). */
  randomBytes(length: number): Uint8Array;
  /** Milliseconds since the epoch. */
  now(): number;
  /** This authenticator's AAGUID (16 bytes). */
  aaguid: Uint8Array;
  /** Whether new credentials are backup eligible (and backed up). Default false: device-bound. */
  backupEligible?: boolean;
  /**
   * Whether new backup-eligible credentials start out backed up (BS). Defaults to
   * `backupEligible`; false models a synced passkey not yet uploaded (BE 1, BS 0).
   */
  backupState?: boolean;
  /** Whether the authenticator can perform user verification at all. */
  userVerificationAvailable: boolean;
  /** Whether it can keep client-side discoverable credentials (default true). */
  residentKeyAvailable?: boolean;
  /** Whether it implements the CTAP2 hmac-secret extension behind WebAuthn's prf (default true). */
  supportsHmacSecret?: boolean;
  /** Whether it can hold large blobs (default true). */
  supportsLargeBlob?: boolean;
  /**
   * Tester mode's deliberate faults (CDP `WebAuthn.setResponseOverrideBits`): the UP or UV flag
   * forced to zero in what is signed, or a signature of zeros. Never set outside tester mode.
   */
  responseOverrides?: { badUP?: boolean; badUV?: boolean; bogusSignature?: boolean };
}

export interface MakeCredentialRequest {
  /** SHA-256 of clientDataJSON. */
  clientDataHash: Uint8Array;
  rp: { id: string; name: string };
  user: { id: Uint8Array; name: string; displayName: string };
  /** In the RP's order of preference. */
  pubKeyCredParams: { type: string; alg: COSEAlgorithmIdentifier }[];
  excludeList?: { type: string; id: Uint8Array }[];
  options: { rk: boolean; uv: boolean };
  /**
   * The attestation statement format: "none" (default) or "packed" self attestation. Latchkey
   * has no attestation key of its own, so "packed" is always self attestation (no x5c).
   */
  attestation?: 'none' | 'packed';
  extensions?: {
    /** hmac-secret: true to give the credential a PRF; salts to evaluate it at once (CTAP 2.2 hmac-secret-mc). */
    hmacSecret?: { salts?: HmacSecretSalts };
    /** largeBlobKey: the credential may hold a large blob (discoverable credentials only, as in CTAP 2.1). */
    largeBlobKey?: boolean;
  };
  signal?: AbortSignal;
}

export interface MakeCredentialResult {
  credentialId: Uint8Array;
  authenticatorData: Uint8Array;
  /** CBOR attestation object {fmt, attStmt, authData}. */
  attestationObject: Uint8Array;
  algorithm: COSEAlgorithmIdentifier;
  publicKeyCose: Uint8Array;
  /** SubjectPublicKeyInfo DER of the credential public key. */
  publicKeySpki: Uint8Array;
  /** Whether a client-side discoverable credential was created. */
  residentKey: boolean;
  /** Set when a USB security key made the credential rather than Latchkey. */
  transport?: 'usb';
  extensions: {
    /** Present when hmac-secret was asked for: whether the credential has a PRF, and its outputs if salts were given. */
    hmacSecret?: { enabled: boolean; outputs?: Uint8Array[] };
    /** Present when largeBlobKey was asked for: whether the credential can hold a large blob. */
    largeBlobSupported?: boolean;
  };
}

export interface GetAssertionRequest {
  rpId: string;
  clientDataHash: Uint8Array;
  allowList?: { type: string; id: Uint8Array }[];
  options: { up: boolean; uv: boolean };
  /** With no matching credential, hand the request to another authenticator at once (no prompt). */
  handOverWithoutCredentials?: boolean;
  extensions?: {
    /** hmac-secret salts for the credential that will sign (the client may pick them per credential id). */
    hmacSecret?: (credentialId: string) => HmacSecretSalts | undefined;
    /** Read the credential's large blob, or replace it. */
    largeBlob?: { read: true } | { write: Uint8Array };
  };
  signal?: AbortSignal;
}

export interface GetAssertionResult {
  credentialId: Uint8Array;
  authenticatorData: Uint8Array;
  /** ASN.1 DER signature (ES256) over authenticatorData || clientDataHash. */
  signature: Uint8Array;
  /** user.id of the credential; always returned for discoverable credentials. */
  userHandle: Uint8Array | null;
  /** Set when a USB security key signed rather than Latchkey. */
  transport?: 'usb';
  extensions: {
    /** hmac-secret outputs, when salts were given and the credential has a PRF. */
    hmacSecret?: Uint8Array[];
    /** largeBlob read: the blob, or null when the credential holds none (or cannot). */
    largeBlob?: Uint8Array | null;
    /** largeBlob write: whether the blob was stored. */
    largeBlobWritten?: boolean;
  };
}

/** CTAP2 status codes the authenticator ends with (CTAP 2.1 §8.2), by name. */
export type CtapStatus =
  | 'CTAP2_ERR_CREDENTIAL_EXCLUDED'
  | 'CTAP2_ERR_UNSUPPORTED_ALGORITHM'
  | 'CTAP2_ERR_OPERATION_DENIED'
  | 'CTAP2_ERR_NO_CREDENTIALS'
  | 'CTAP2_ERR_UNSUPPORTED_OPTION'
  | 'CTAP2_ERR_KEEPALIVE_CANCEL'
  | 'CTAP2_ERR_PUAT_REQUIRED'
  | 'CTAP1_ERR_INVALID_PARAMETER';

export class CtapError extends Error {
  constructor(
    readonly status: CtapStatus,
    message: string,
  ) {
    super(message);
    this.name = 'CtapError';
  }
}

/** The prompt ran the ceremony on a security key: the software authenticator stops, the client takes the key's result. */
export class SecurityKeyUsed extends Error {
  constructor() {
    super('the ceremony ran on a security key');
    this.name = 'SecurityKeyUsed';
  }
}

/** The user chose "Use another device or security key" in the prompt. Not an error for the page. */
export class AnotherAuthenticatorChosen extends Error {
  constructor() {
    super('the user chose another device or security key');
    this.name = 'AnotherAuthenticatorChosen';
  }
}
