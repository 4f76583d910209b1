/**
 * One recorded WebAuthn call. Records hold what the page sent and what it got back (public
 * values only: options, clientDataJSON, authenticatorData, attestation objects, signatures),
 * never key material, and are kept apart from the vault.
 */
import type { FailureCode } from '../webauthn/errors';

export type RecordedOperation =
  'create' | 'get' | 'signal-unknown-credential' | 'signal-all-accepted-credentials' | 'signal-current-user-details';

/** Who answered: Latchkey's own authenticator, or the browser's WebAuthn (hand-over or pass-through). */
export type Answerer = 'latchkey' | 'browser';

/** Why the browser answered: the user chose another device, or Latchkey passes the request straight on (conditional). */
/** Why the browser's own WebAuthn answered: the person chose it, the page's request bypasses Latchkey, or the site is set to the browser. */
export type BrowserReason = 'user-chose-another-device' | 'pass-through' | 'site-setting';

export interface DecodedRequest {
  rpId: string | null;
  rpName?: string;
  userName?: string;
  userDisplayName?: string;
  /** user.id as base64url (hashed in a redacted report). */
  userId?: string;
  userIdLength?: number;
  challengeLength?: number;
  allowCredentials?: string[];
  excludeCredentials?: string[];
  /** COSE algorithm identifiers from pubKeyCredParams. */
  algorithms?: number[];
  residentKey?: string;
  authenticatorAttachment?: string;
  userVerification?: string;
  attestation?: string;
  mediation?: string;
  timeout?: number;
  hints?: string[];
  extensions?: string[];
  /** Signal API: the credential IDs the call names (base64url). */
  credentialIds?: string[];
}

export type RecordedOutcome =
  | { status: 'pending' }
  | { status: 'success'; response?: ResponseJSONLike }
  | { status: 'error'; name: string; message: string; code?: FailureCode };

/** The public JSON form of a PublicKeyCredential (toJSON()), as far as diagnostics reads it. */
export interface ResponseJSONLike {
  id?: string;
  rawId?: string;
  type?: string;
  authenticatorAttachment?: string | null;
  clientExtensionResults?: Record<string, unknown>;
  response?: Record<string, unknown>;
}

/** What Latchkey knew at the time that explains the outcome (e.g. the orphan detector's verdicts). */
export interface RecordContext {
  /** Latchkey's passkeys for the rpId at the time, with the orphan detector's verdicts. */
  passkeysForRp?: { credentialId: string; health: 'ok' | 'suspected' | 'orphaned'; reason: string }[];
}

export interface CeremonyRecord {
  /** Ring sequence number, assigned by the store. */
  seq?: number;
  /** tab/frame/document/requestId: a report from the page may only update the record with the same key. */
  key: string;
  requestId: string;
  operation: RecordedOperation;
  /** Milliseconds since the epoch. */
  startedAt: number;
  durationMs: number | null;
  tabId: number;
  frameId: number;
  /** From the browser (MessageSender), never from the page. */
  topOrigin: string;
  origin: string;
  sameOriginWithAncestors: boolean;
  request: DecodedRequest;
  answeredBy: Answerer;
  browserReason?: BrowserReason;
  outcome: RecordedOutcome;
  context?: RecordContext;
}
