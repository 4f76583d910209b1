/**
 * The relying party's side of registration and authentication, verified with
 * @simplewebauthn/server. Knows nothing of HTTP: it takes parsed JSON bodies
 * and a session, and throws `DemoHttpError` for answers that are not 200.
 */
import { randomBytes } from 'node:crypto';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { DemoState } from './demoState';
import { rememberPending, type Session, takePending, type UserVerification } from './sessions';

export class DemoHttpError extends Error {
  constructor(
    readonly status: 400 | 404 | 405 | 413,
    message: string,
    /** Extra fields sent beside `error` in the JSON answer. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DemoHttpError';
  }
}

export interface RelyingPartyContext {
  readonly state: DemoState;
  readonly rpId: string;
  readonly rpName: string;
  /** The only origin responses are accepted from. */
  readonly origin: string;
  readonly now: () => number;
}

export const DEFAULT_ALGORITHMS: readonly number[] = [-7, -8, -257];
const DEFAULT_TIMEOUT_MS = 60_000;
/** A pending challenge is refused after this long, whatever the timeout was. */
const CHALLENGE_LIFETIME_MS = 10 * 60_000;

/** Request flags: read from the JSON body, else from the query string. */
export type Flags = Record<string, unknown>;

// ---------------------------------------------------------------- registration

export async function registrationOptions(
  rp: RelyingPartyContext,
  session: Session,
  flags: Flags,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const username = requireUsername(flags.username);
  const existing = rp.state.user(username);
  const displayName = optionalString(flags.displayName, 'displayName') ?? existing?.displayName ?? username;
  const userVerification = oneOf(flags.userVerification, 'userVerification', USER_VERIFICATION) ?? 'preferred';
  const residentKey = oneOf(flags.residentKey, 'residentKey', ['required', 'preferred', 'discouraged'] as const) ?? 'required';
  const attestationType = oneOf(flags.attestation, 'attestation', ['none', 'direct', 'enterprise'] as const) ?? 'none';
  const authenticatorAttachment = oneOf(flags.authenticatorAttachment, 'authenticatorAttachment', [
    'platform',
    'cross-platform',
  ] as const);
  const preferredAuthenticatorType = oneOf(flags.preferredAuthenticatorType, 'preferredAuthenticatorType', [
    'securityKey',
    'localDevice',
    'remoteDevice',
  ] as const);
  const supportedAlgorithmIDs = algorithms(flags.algorithms) ?? [...DEFAULT_ALGORITHMS];
  const timeout = optionalTimeout(flags.timeout) ?? DEFAULT_TIMEOUT_MS;
  const userId = existing?.id ?? randomBytes(16).toString('base64url');

  const options = await generateRegistrationOptions({
    rpName: rp.rpName,
    rpID: rp.rpId,
    userName: username,
    userID: fromBase64URL(userId),
    userDisplayName: displayName,
    timeout,
    attestationType,
    excludeCredentials: rp.state.credentialsOf(username).map((c) => ({ id: c.id, transports: [...c.transports] })),
    authenticatorSelection: {
      residentKey,
      userVerification,
      ...(authenticatorAttachment ? { authenticatorAttachment } : {}),
    },
    supportedAlgorithmIDs,
    ...(preferredAuthenticatorType ? { preferredAuthenticatorType } : {}),
  });

  rememberPending(session.registrations, {
    challenge: options.challenge,
    username,
    displayName,
    userId,
    userVerification,
    supportedAlgorithmIDs,
    expiresAt: rp.now() + CHALLENGE_LIFETIME_MS,
  });
  return options;
}

export interface RegistrationResult {
  verified: true;
  credentialId: string;
  username: string;
}

export async function verifyRegistration(rp: RelyingPartyContext, session: Session, body: unknown): Promise<RegistrationResult> {
  // Taken out before verifying: a challenge answers one response only.
  const pending = takePending(session.registrations, body);
  if (!pending) {
    throw new DemoHttpError(
      400,
      'No registration challenge in this session (missing, or already used): request /api/register/options first',
    );
  }
  if (rp.now() > pending.expiresAt) throw new DemoHttpError(400, 'The registration challenge has expired');
  const response = credentialJSON(body) as unknown as RegistrationResponseJSON;

  let verification;
  try {
    verification = await verifyRegistrationResponse({
      response,
      expectedChallenge: pending.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpId,
      requireUserVerification: pending.userVerification === 'required',
      supportedAlgorithmIDs: pending.supportedAlgorithmIDs,
    });
  } catch (error) {
    throw new DemoHttpError(400, `Registration verification failed: ${messageOf(error)}`);
  }
  if (!verification.verified) throw new DemoHttpError(400, 'Registration verification failed');
  const info = verification.registrationInfo;

  if (rp.state.credential(info.credential.id)) {
    throw new DemoHttpError(400, `Credential ${info.credential.id} is already registered`);
  }
  let user = rp.state.user(pending.username);
  if (!user) {
    user = rp.state.addUser({
      id: pending.userId,
      username: pending.username,
      displayName: pending.displayName,
      createdAt: rp.now(),
    });
  } else if (user.id !== pending.userId) {
    // Another session created the account while this ceremony ran; the new
    // credential carries a user handle the account does not have.
    throw new DemoHttpError(400, `User ${pending.username} was created meanwhile; register again`);
  }
  rp.state.addCredential({
    id: info.credential.id,
    username: user.username,
    userId: user.id,
    publicKey: info.credential.publicKey,
    counter: info.credential.counter,
    transports: info.credential.transports ?? response.response.transports ?? [],
    fmt: info.fmt,
    aaguid: info.aaguid,
    deviceType: info.credentialDeviceType,
    backedUp: info.credentialBackedUp,
    userVerified: info.userVerified,
    createdAt: rp.now(),
  });
  session.username = user.username;
  return { verified: true, credentialId: info.credential.id, username: user.username };
}

// -------------------------------------------------------------- authentication

export async function authenticationOptions(
  rp: RelyingPartyContext,
  session: Session,
  flags: Flags,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const username =
    flags.username === undefined || flags.username === null || flags.username === ''
      ? undefined
      : requireUsername(flags.username);
  const userVerification = oneOf(flags.userVerification, 'userVerification', USER_VERIFICATION) ?? 'preferred';
  const timeout = optionalTimeout(flags.timeout) ?? DEFAULT_TIMEOUT_MS;

  let allowCredentials: { id: string; transports: string[] }[] = [];
  if (username !== undefined) {
    if (!rp.state.user(username)) throw new DemoHttpError(404, `Unknown user: ${username}`);
    allowCredentials = rp.state.credentialsOf(username).map((c) => ({ id: c.id, transports: [...c.transports] }));
    if (allowCredentials.length === 0) {
      throw new DemoHttpError(400, `${username} has no passkey registered at this site`);
    }
  }

  const options = await generateAuthenticationOptions({ rpID: rp.rpId, allowCredentials, userVerification, timeout });
  rememberPending(session.authentications, {
    challenge: options.challenge,
    ...(username !== undefined ? { username } : {}),
    userVerification,
    expiresAt: rp.now() + CHALLENGE_LIFETIME_MS,
  });
  return options;
}

export interface AuthenticationResult {
  verified: true;
  username: string;
  credentialId: string;
  newCounter: number;
  userVerified: boolean;
}

export async function verifyAuthentication(
  rp: RelyingPartyContext,
  session: Session,
  body: unknown,
): Promise<AuthenticationResult> {
  const pending = takePending(session.authentications, body);
  if (!pending) {
    throw new DemoHttpError(
      400,
      'No authentication challenge in this session (missing, or already used): request /api/login/options first',
    );
  }
  if (rp.now() > pending.expiresAt) throw new DemoHttpError(400, 'The authentication challenge has expired');
  const response = credentialJSON(body) as unknown as AuthenticationResponseJSON;

  const stored = rp.state.credential(response.id);
  if (!stored) {
    // The orphaned-passkey case: the device still offers a passkey the site
    // no longer knows. `unknownCredential` lets the page signal it.
    throw new DemoHttpError(400, `Unknown credential ${response.id}: this passkey is not registered at this site`, {
      unknownCredential: true,
      credentialId: response.id,
    });
  }
  if (pending.username !== undefined && stored.username !== pending.username) {
    throw new DemoHttpError(400, `Credential ${stored.id} does not belong to ${pending.username}`);
  }
  const userHandle = response.response.userHandle;
  if (userHandle !== undefined && userHandle !== null && userHandle !== stored.userId) {
    throw new DemoHttpError(400, 'userHandle does not match the owner of the credential');
  }
  // "If the user was not identified before the authentication ceremony was
  // initiated, verify that response.userHandle is present" (WebAuthn L3 §7.2).
  if (pending.username === undefined && !userHandle) {
    throw new DemoHttpError(400, 'userHandle is missing in a username-less sign-in');
  }

  let verification;
  try {
    verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge: pending.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpId,
      credential: {
        id: stored.id,
        publicKey: new Uint8Array(stored.publicKey),
        counter: stored.counter,
        transports: [...stored.transports],
      },
      requireUserVerification: pending.userVerification === 'required',
    });
  } catch (error) {
    throw new DemoHttpError(400, `Authentication verification failed: ${messageOf(error)}`);
  }
  if (!verification.verified) throw new DemoHttpError(400, 'Authentication verification failed');
  const { newCounter, userVerified } = verification.authenticationInfo;

  rp.state.recordSignIn(stored.id, newCounter, rp.now());
  session.username = stored.username;
  return { verified: true, username: stored.username, credentialId: stored.id, newCounter, userVerified };
}

// --------------------------------------------------------------------- helpers

const USER_VERIFICATION = ['required', 'preferred', 'discouraged'] as const satisfies readonly UserVerification[];

function requireUsername(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new DemoHttpError(400, 'username is required');
  const username = value.trim();
  if (username.length > 64) throw new DemoHttpError(400, 'username is longer than 64 characters');
  return username;
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new DemoHttpError(400, `${name} must be a string`);
  return value;
}

function oneOf<T extends string>(value: unknown, name: string, allowed: readonly T[]): T | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new DemoHttpError(400, `${name} must be one of ${allowed.join(', ')}`);
}

/** `algorithms`: COSE algorithm ids, as an array or a comma-separated query value. */
function algorithms(value: unknown): number[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const list = typeof value === 'string' ? value.split(',').map((s) => Number(s.trim())) : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((n) => Number.isInteger(n))) {
    throw new DemoHttpError(400, 'algorithms must be a non-empty list of COSE algorithm ids');
  }
  return list as number[];
}

function optionalTimeout(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0)
    throw new DemoHttpError(400, 'timeout must be a positive integer (ms)');
  return n;
}

/** Checks the outer shape of a PublicKeyCredential JSON; the library checks the rest. */
function credentialJSON(body: unknown): Record<string, unknown> & { id: string; response: Record<string, unknown> } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new DemoHttpError(400, 'Expected the JSON of a PublicKeyCredential (credential.toJSON())');
  }
  const record = body as Record<string, unknown>;
  if (typeof record.id !== 'string' || record.id === '') throw new DemoHttpError(400, 'Credential JSON has no id');
  if (typeof record.response !== 'object' || record.response === null) {
    throw new DemoHttpError(400, 'Credential JSON has no response');
  }
  return record as Record<string, unknown> & { id: string; response: Record<string, unknown> };
}

function fromBase64URL(value: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(value, 'base64url'));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
