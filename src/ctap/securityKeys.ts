/**
 * What the native host does with the keys plugged in, above CTAPHID and CTAP2: open every FIDO
 * device, register or sign in on whichever the person touches first (the others get
 * CTAPHID_CANCEL), and list or delete a key's discoverable credentials after the PIN.
 */
import { CtapHidDevice, type TransactOptions } from './ctaphidDevice';
import {
  Ctap2Client,
  Permission,
  pinUvAuthParamFor,
  type AuthenticatorInfo,
  type GetAssertionParams,
  type GetAssertionResponse,
  type MakeCredentialParams,
  type MakeCredentialResponse,
  type ResidentCredential,
} from './ctap2Client';
import { CtapStatusCode, CtapStatusError } from './ctap2Constants';
import type { HidBackend, HidDeviceInfo } from './transport';

export interface KeySession {
  device: HidDeviceInfo;
  hid: CtapHidDevice;
  ctap: Ctap2Client;
  info: AuthenticatorInfo;
}

export interface KeySummary {
  path: string;
  product: string;
  pinSet: boolean;
  /** Tries left before the PIN blocks; absent when the key has no PIN. */
  pinRetries?: number;
  credMgmt: boolean;
}

/** No FIDO key is plugged in (or none could be opened). */
export class NoKeysError extends Error {
  constructor() {
    super('No security key found. Plug your key in and try again.');
    this.name = 'NoKeysError';
  }
}

/** The key has a PIN and the request needs it, but none was given. */
export class PinRequiredError extends Error {
  constructor() {
    super('Your security key has a PIN: enter it to go on.');
    this.name = 'PinRequiredError';
  }
}

const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));

/** Opens every key the backend lists; a key that fails to open or answer is left out. */
export async function openKeys(backend: HidBackend, idleTimeoutMs?: number): Promise<KeySession[]> {
  const sessions: KeySession[] = [];
  for (const device of await backend.list()) {
    try {
      const hid = await CtapHidDevice.open(await backend.open(device.path), random, idleTimeoutMs);
      const ctap = new Ctap2Client(hid, random);
      sessions.push({ device, hid, ctap, info: await ctap.getInfo() });
    } catch {
      // A U2F-only key, or one that went away while we looked: not usable for passkeys.
    }
  }
  return sessions;
}

export async function closeKeys(sessions: KeySession[]): Promise<void> {
  await Promise.all(sessions.map((session) => session.hid.close().catch(() => undefined)));
}

export async function summarize(session: KeySession): Promise<KeySummary> {
  const pinSet = session.info.options.clientPin === true;
  return {
    path: session.device.path,
    product: session.device.product,
    pinSet,
    ...(pinSet ? { pinRetries: await session.ctap.getPinRetries() } : {}),
    credMgmt: session.info.options.credMgmt === true,
  };
}

/**
 * Runs `operation` on every key at once and keeps the first that succeeds, the key the person
 * touched; the others are cancelled (CTAPHID_CANCEL, through their AbortSignal). When every key
 * fails, the first error that is not a cancel is thrown.
 */
export async function firstTouched<T>(
  sessions: KeySession[],
  operation: (session: KeySession, options: TransactOptions) => Promise<T>,
  outer?: TransactOptions,
): Promise<{ session: KeySession; result: T }> {
  if (sessions.length === 0) throw new NoKeysError();
  const controllers = sessions.map(() => new AbortController());
  const onOuterAbort = () => controllers.forEach((c) => c.abort(outer?.signal?.reason));
  outer?.signal?.addEventListener('abort', onOuterAbort, { once: true });
  try {
    return await new Promise((resolve, reject) => {
      const errors: unknown[] = [];
      let settled = false;
      sessions.forEach((session, i) => {
        operation(session, {
          signal: controllers[i]!.signal,
          onKeepalive: outer?.onKeepalive,
          idleTimeoutMs: outer?.idleTimeoutMs,
        }).then(
          (result) => {
            if (settled) return;
            settled = true;
            controllers.forEach((controller, j) => j !== i && controller.abort(new Error('another key was touched')));
            resolve({ session, result });
          },
          (error: unknown) => {
            errors.push(error);
            if (errors.length < sessions.length || settled) return;
            settled = true;
            reject(
              errors.find((e) => !(e instanceof CtapStatusError && e.status === CtapStatusCode.CTAP2_ERR_KEEPALIVE_CANCEL)) ??
                errors[0],
            );
          },
        );
      });
    });
  } finally {
    outer?.signal?.removeEventListener('abort', onOuterAbort);
  }
}

/** A token for `permissions` when the key has a PIN; undefined when it has none. */
async function tokenFor(
  session: KeySession,
  pin: string | undefined,
  permissions: number,
  rpId?: string,
): Promise<Uint8Array | undefined> {
  if (session.info.options.clientPin !== true) return undefined;
  if (pin === undefined) throw new PinRequiredError();
  return session.ctap.pinUvAuthToken(pin, permissions, rpId);
}

/** authenticatorMakeCredential on the key touched first, with a pinUvAuthParam when the key has a PIN. */
export function registerOnKey(
  sessions: KeySession[],
  params: MakeCredentialParams,
  pin: string | undefined,
  options?: TransactOptions,
): Promise<{ session: KeySession; result: MakeCredentialResponse }> {
  return firstTouched(
    sessions,
    async (session, transact) => {
      const token = await tokenFor(session, pin, Permission.MC, params.rp.id);
      return session.ctap.makeCredential(
        {
          ...params,
          options: { ...params.options, uv: undefined },
          ...(token ? { pinUvAuthParam: pinUvAuthParamFor(token, params.clientDataHash) } : {}),
        },
        transact,
      );
    },
    options,
  );
}

/**
 * authenticatorGetAssertion on the key touched first. A PIN is used when given (user
 * verification); without one the key only tests presence. With several discoverable
 * credentials, the key says how many and the others come from GetNextAssertion.
 */
export function signInWithKey(
  sessions: KeySession[],
  params: GetAssertionParams,
  pin: string | undefined,
  options?: TransactOptions,
): Promise<{ session: KeySession; result: GetAssertionResponse[] }> {
  return firstTouched(
    sessions,
    async (session, transact) => {
      const token = pin !== undefined ? await tokenFor(session, pin, Permission.GA, params.rpId) : undefined;
      const first = await session.ctap.getAssertion(
        {
          ...params,
          options: { ...params.options, uv: undefined },
          ...(token ? { pinUvAuthParam: pinUvAuthParamFor(token, params.clientDataHash) } : {}),
        },
        transact,
      );
      const all = [first];
      for (let i = 1; i < (first.numberOfCredentials ?? 1); i++) all.push(await session.ctap.getNextAssertion());
      return all;
    },
    options,
  );
}

function keyAt(sessions: KeySession[], path?: string): KeySession {
  const session = path === undefined ? sessions[0] : sessions.find((s) => s.device.path === path);
  if (!session) throw new NoKeysError();
  return session;
}

/** The discoverable credentials on one key (the first, unless `path` names another), after its PIN. */
export async function listOnKey(
  sessions: KeySession[],
  pin: string,
  path?: string,
): Promise<{ session: KeySession; credentials: ResidentCredential[] }> {
  const session = keyAt(sessions, path);
  if (session.info.options.credMgmt !== true)
    throw new Error('This security key cannot list the passkeys on it (no credential management).');
  const token = await tokenFor(session, pin, Permission.CM);
  if (!token) throw new Error('Set a PIN on this security key first: keys list their passkeys only after the PIN.');
  return { session, credentials: await session.ctap.listCredentials(token) };
}

export async function deleteOnKey(sessions: KeySession[], pin: string, credentialId: Uint8Array, path?: string): Promise<void> {
  const session = keyAt(sessions, path);
  const token = await tokenFor(session, pin, Permission.CM);
  if (!token) throw new Error('Set a PIN on this security key first: keys delete passkeys only after the PIN.');
  await session.ctap.deleteCredential(token, credentialId);
}
