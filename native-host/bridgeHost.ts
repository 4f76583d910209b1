/**
 * The native host's logic, without stdin and stdout: each request from the extension is
 * validated (zod, src/native/protocol.ts), run against the keys plugged in, and answered with a
 * result or an error with a code the extension can act on. One key operation runs at a time;
 * `cancel` or the end of the input stops it with CTAPHID_CANCEL. Nothing here throws out: every
 * failure becomes an answer.
 */
import { CtapHidError, CtapHidTimeout } from '../src/ctap/ctaphidDevice';
import { KeepaliveStatus } from '../src/ctap/ctaphidFraming';
import { CtapStatusCode, CtapStatusError, statusName } from '../src/ctap/ctap2Constants';
import {
  NoKeysError,
  PinRequiredError,
  closeKeys,
  deleteOnKey,
  listOnKey,
  openKeys,
  registerOnKey,
  signInWithKey,
  summarize,
  type KeySession,
} from '../src/ctap/securityKeys';
import { type HidBackend, TransportError } from '../src/ctap/transport';
import { fromBase64url, toBase64url } from '../src/webauthn/base64url';
import { encodeCanonical, type CborValue } from '../src/webauthn/cbor';
import { type HostErrorCode, type HostReply, type HostRequest, hostRequest } from '../src/native/protocol';

export interface BridgeHostOptions {
  backend: HidBackend;
  send(reply: HostReply): void;
  /** How long a key may stay silent during a command (keep-alives reset it). */
  idleTimeoutMs?: number;
  /** Why no key can be found at all (node-hid missing), told to the extension with the key list. */
  problem?: string | null;
}

type HostError = { code: HostErrorCode; message: string; retries?: number };

const STATUS_ERRORS: Partial<Record<number, HostErrorCode>> = {
  [CtapStatusCode.CTAP2_ERR_PIN_INVALID]: 'pin-invalid',
  [CtapStatusCode.CTAP2_ERR_PIN_BLOCKED]: 'pin-blocked',
  [CtapStatusCode.CTAP2_ERR_PIN_AUTH_BLOCKED]: 'pin-auth-blocked',
  [CtapStatusCode.CTAP2_ERR_PUAT_REQUIRED]: 'pin-required',
  [CtapStatusCode.CTAP2_ERR_KEEPALIVE_CANCEL]: 'cancelled',
  [CtapStatusCode.CTAP2_ERR_USER_ACTION_TIMEOUT]: 'timeout',
  [CtapStatusCode.CTAP2_ERR_CREDENTIAL_EXCLUDED]: 'excluded',
  [CtapStatusCode.CTAP2_ERR_NO_CREDENTIALS]: 'no-credentials',
  [CtapStatusCode.CTAP2_ERR_OPERATION_DENIED]: 'denied',
  [CtapStatusCode.CTAP2_ERR_NOT_ALLOWED]: 'denied',
};

const MESSAGES: Partial<Record<HostErrorCode, string>> = {
  'pin-invalid': 'Wrong PIN for your security key.',
  'pin-blocked':
    'Your security key’s PIN is blocked after too many wrong tries. Reset the key to use it again (this deletes its passkeys).',
  'pin-auth-blocked': 'Too many wrong PINs in a row: unplug your security key and plug it in again, then retry.',
  'pin-required': 'Your security key has a PIN: enter it to go on.',
  cancelled: 'The request to the security key was cancelled.',
  timeout: 'The security key was not touched in time.',
  excluded: 'This security key already holds a passkey for this account.',
  'no-credentials': 'This security key holds no passkey for this site.',
  denied: 'The security key refused the request.',
};

export function createBridgeHost({ backend, send, idleTimeoutMs, problem }: BridgeHostOptions) {
  let running: { id: HostRequest['id']; controller: AbortController; done: Promise<void> } | null = null;

  async function withKeys<T>(work: (keys: KeySession[]) => Promise<T>): Promise<T> {
    const sessions = await openKeys(backend, idleTimeoutMs);
    try {
      return await work(sessions);
    } finally {
      await closeKeys(sessions);
    }
  }

  async function retriesAfterWrongPin(): Promise<number | undefined> {
    try {
      return await withKeys(async (keys) => (keys[0] ? (await summarize(keys[0])).pinRetries : undefined));
    } catch {
      return undefined;
    }
  }

  async function toHostError(error: unknown): Promise<HostError> {
    if (error instanceof NoKeysError) return { code: 'no-keys', message: error.message };
    if (error instanceof PinRequiredError) return { code: 'pin-required', message: error.message };
    if (error instanceof TransportError)
      return { code: 'unplugged', message: `The security key stopped answering (was it unplugged?): ${error.message}` };
    if (error instanceof CtapHidTimeout) return { code: 'timeout', message: error.message };
    if (error instanceof CtapHidError) return { code: 'ctap', message: error.message };
    if (error instanceof CtapStatusError) {
      const code = STATUS_ERRORS[error.status] ?? 'ctap';
      if (code === 'pin-invalid') {
        const retries = await retriesAfterWrongPin();
        return {
          code,
          message: `${MESSAGES[code]}${retries !== undefined ? ` ${retries} ${retries === 1 ? 'try' : 'tries'} left.` : ''}`,
          ...(retries !== undefined ? { retries } : {}),
        };
      }
      return { code, message: MESSAGES[code] ?? `The security key answered ${statusName(error.status)}.` };
    }
    if (error instanceof RangeError) return { code: 'malformed', message: error.message };
    return {
      code: 'internal',
      message: `The bridge failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
    };
  }

  async function run(request: Exclude<HostRequest, { kind: 'cancel' }>, signal: AbortSignal): Promise<unknown> {
    const transact = {
      signal,
      ...(idleTimeoutMs ? { idleTimeoutMs } : {}),
      onKeepalive: (status: number) => {
        if (status === KeepaliveStatus.UPNEEDED) send({ id: request.id, progress: 'touch' });
      },
    };
    switch (request.kind) {
      case 'keys':
        return withKeys(async (keys) => ({ keys: await Promise.all(keys.map(summarize)), ...(problem ? { problem } : {}) }));
      case 'makeCredential':
        return withKeys(async (keys) => {
          const { result } = await registerOnKey(
            keys,
            {
              clientDataHash: fromBase64url(request.clientDataHash),
              rp: request.rp,
              user: { ...request.user, id: fromBase64url(request.user.id) },
              pubKeyCredParams: request.pubKeyCredParams,
              excludeList: request.excludeList.map((id) => ({ type: 'public-key' as const, id: fromBase64url(id) })),
              options: { rk: request.residentKey },
            },
            request.pin,
            transact,
          );
          return {
            fmt: result.fmt,
            authData: toBase64url(result.authData),
            attStmt: toBase64url(encodeCanonical(result.attStmt as CborValue)),
          };
        });
      case 'getAssertion':
        return withKeys(async (keys) => {
          const { result } = await signInWithKey(
            keys,
            {
              rpId: request.rpId,
              clientDataHash: fromBase64url(request.clientDataHash),
              allowList: request.allowList.map((id) => ({ type: 'public-key' as const, id: fromBase64url(id) })),
            },
            request.pin,
            transact,
          );
          // Several discoverable credentials: the first the key returned (the key's own order).
          const first = result[0]!;
          return {
            credentialId: toBase64url(first.credential.id),
            authData: toBase64url(first.authData),
            signature: toBase64url(first.signature),
            ...(first.user ? { userHandle: toBase64url(first.user.id) } : {}),
          };
        });
      case 'credentials.list':
        return withKeys(async (keys) => {
          const { session, credentials } = await listOnKey(keys, request.pin, request.path);
          return {
            credentials: credentials.map((c) => ({
              path: session.device.path,
              rpId: c.rpId,
              credentialId: toBase64url(c.credentialId),
              userId: toBase64url(c.user.id),
              userName: c.user.name ?? '',
              userDisplayName: c.user.displayName ?? '',
            })),
          };
        });
      case 'credentials.delete':
        return withKeys(async (keys) => {
          await deleteOnKey(keys, request.pin, fromBase64url(request.credentialId), request.path);
          return { deleted: true };
        });
    }
  }

  return {
    /** One decoded message from the extension. Resolves once it is answered. */
    async handle(message: unknown): Promise<void> {
      const parsed = hostRequest.safeParse(message);
      const messageId = (message as { id?: unknown } | null)?.id;
      const replyId = typeof messageId === 'string' || typeof messageId === 'number' ? messageId : null;
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        send({
          id: replyId,
          ok: false,
          error: {
            code: 'malformed',
            message: `Malformed request: ${issue ? `${issue.path.join('.') || 'message'}: ${issue.message}` : 'invalid'}`,
          },
        });
        return;
      }
      const request = parsed.data;
      if (request.kind === 'cancel') {
        running?.controller.abort(new Error('cancelled'));
        send({ id: request.id, ok: true, result: { cancelled: running !== null } });
        return;
      }
      if (running) {
        send({
          id: request.id,
          ok: false,
          error: { code: 'busy', message: 'The bridge is already talking to the security key; cancel that request first.' },
        });
        return;
      }
      const controller = new AbortController();
      const done = (async () => {
        try {
          send({ id: request.id, ok: true, result: await run(request, controller.signal) });
        } catch (error) {
          send({ id: request.id, ok: false, error: await toHostError(error) });
        }
      })();
      running = { id: request.id, controller, done };
      try {
        await done;
      } finally {
        running = null;
      }
    },
    /** A framing problem on the way in (oversize, truncated, invalid JSON): answered without an id. */
    reject(code: 'oversize' | 'malformed', message: string): void {
      send({ id: null, ok: false, error: { code, message } });
    },
    /** The extension went away: stop the running request (CTAPHID_CANCEL) and let go of the keys. */
    async shutdown(): Promise<void> {
      // The key answers the cancel with CTAP2_ERR_KEEPALIVE_CANCEL; the request then lets go of the keys itself.
      running?.controller.abort(new Error('the extension disconnected'));
      await running?.done;
    },
  };
}
