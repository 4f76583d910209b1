/**
 * The messages between the extension and the native host (native-host/), declared once and
 * validated with zod on both sides of the boundary. Byte strings travel as base64url.
 */
import { z } from 'zod';

/** The native messaging host's name, as the browser knows it (lowercase, dots and underscores only). */
export const NATIVE_HOST_NAME = 'latchkey.bridge';
/** Firefox's id for Latchkey (manifest `browser_specific_settings.gecko.id`). */
export const FIREFOX_EXTENSION_ID = 'latchkey@latchkey.invalid';

const id = z.union([z.string().min(1).max(64), z.number().int()]);
const base64url = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[A-Za-z0-9_-]*$/, 'not base64url');
/** CTAP 2.1 §6.5.5.5: a PIN is 4 to 63 bytes of UTF-8 (the host checks the bytes). */
const pin = z.string().min(4).max(63);

export const hostRequest = z.discriminatedUnion('kind', [
  /** The keys plugged in: whether each has a PIN and how many tries it has left. */
  z.object({ id, kind: z.literal('keys') }),
  z.object({
    id,
    kind: z.literal('makeCredential'),
    pin: pin.optional(),
    clientDataHash: base64url(43).length(43),
    rp: z.object({ id: z.string().min(1).max(253), name: z.string().max(256) }),
    user: z.object({ id: base64url(86).min(1), name: z.string().max(256), displayName: z.string().max(256) }),
    pubKeyCredParams: z
      .array(z.object({ type: z.string().max(32), alg: z.number().int() }))
      .min(1)
      .max(16),
    excludeList: z.array(base64url(1366)).max(64),
    residentKey: z.boolean(),
  }),
  z.object({
    id,
    kind: z.literal('getAssertion'),
    pin: pin.optional(),
    rpId: z.string().min(1).max(253),
    clientDataHash: base64url(43).length(43),
    allowList: z.array(base64url(1366)).max(64),
  }),
  z.object({ id, kind: z.literal('credentials.list'), pin, path: z.string().max(512).optional() }),
  z.object({
    id,
    kind: z.literal('credentials.delete'),
    pin,
    path: z.string().max(512).optional(),
    credentialId: base64url(1366).min(1),
  }),
  /** Stops the running request (the key gets CTAPHID_CANCEL). */
  z.object({ id, kind: z.literal('cancel') }),
]);
export type HostRequest = z.infer<typeof hostRequest>;

export const hostErrorCode = z.enum([
  'malformed',
  'oversize',
  'busy',
  'no-keys',
  'pin-required',
  'pin-invalid',
  'pin-blocked',
  'pin-auth-blocked',
  'cancelled',
  'timeout',
  'unplugged',
  'excluded',
  'no-credentials',
  'denied',
  'ctap',
  'internal',
]);
export type HostErrorCode = z.infer<typeof hostErrorCode>;

export const keySummary = z.object({
  path: z.string(),
  product: z.string(),
  pinSet: z.boolean(),
  pinRetries: z.number().int().optional(),
  credMgmt: z.boolean(),
});
export type KeySummaryJSON = z.infer<typeof keySummary>;

export const keyCredential = z.object({
  path: z.string(),
  rpId: z.string(),
  credentialId: z.string(),
  userId: z.string(),
  userName: z.string(),
  userDisplayName: z.string(),
});
export type KeyCredentialJSON = z.infer<typeof keyCredential>;

export const keysResult = z.object({ keys: z.array(keySummary), problem: z.string().optional() });
export const credentialsResult = z.object({ credentials: z.array(keyCredential) });

export const makeCredentialResult = z.object({ fmt: z.string(), authData: z.string(), attStmt: z.string() });
export const getAssertionResult = z.object({
  credentialId: z.string(),
  authData: z.string(),
  signature: z.string(),
  userHandle: z.string().optional(),
});

export const hostReply = z.union([
  z.object({ id: id.nullable(), ok: z.literal(true), result: z.unknown() }),
  z.object({
    id: id.nullable(),
    ok: z.literal(false),
    error: z.object({ code: hostErrorCode, message: z.string(), retries: z.number().int().optional() }),
  }),
  /** The key waits for a touch (CTAPHID_KEEPALIVE with STATUS_UPNEEDED). */
  z.object({ id, progress: z.literal('touch') }),
]);
export type HostReply = z.infer<typeof hostReply>;
