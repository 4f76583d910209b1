/**
 * MAIN world, document_start, every frame: replaces navigator.credentials.create/get
 * before any page script runs. Public-key requests go to the ISOLATED bridge over a
 * MessagePort that only this closure holds; everything else (password, federated,
 * otp), and whatever the user hands back to the browser, goes to the browser's own
 * implementation captured here first.
 */
import {
  allAcceptedCredentialsOptions,
  creationOptionsToJSON,
  currentUserDetailsOptions,
  mediationOf,
  requestOptionsToJSON,
  unknownCredentialOptions,
} from '../src/webauthn/convertOptions';
import type { PageReply, PageRequest } from '../src/webauthn/messages';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '../src/webauthn/types';
import { BRIDGE_HELLO, type PortReply } from './channel';
import { assertionCredential, registrationCredential } from './credentialObjects';

(() => {
  // navigator.credentials is [SecureContext]: nothing to wrap elsewhere.
  if (typeof CredentialsContainer === 'undefined' || !('credentials' in navigator)) return;

  // Captured before any page script can replace them.
  const proto = CredentialsContainer.prototype;
  const nativeCreate = proto.create;
  const nativeGet = proto.get;
  const randomUUID = crypto.randomUUID.bind(crypto);
  const channel = new MessageChannel();
  const port = channel.port1;
  const send = MessagePort.prototype.postMessage.bind(port) as (message: unknown) => void;
  const pending = new Map<string, (reply: PageReply) => void>();
  const FOCUS_WAIT_MS = 1_000;

  port.onmessage = (event: MessageEvent<PortReply>) => {
    const settle = pending.get(event.data?.requestId);
    if (!settle) return;
    pending.delete(event.data.requestId);
    settle(event.data.reply);
  };
  // Delivered as a task, before which only document_start scripts have run: the bridge's
  // capturing listener takes the port and stops the event (see bridge.iife.ts).
  window.postMessage({ type: BRIDGE_HELLO }, '*', [channel.port2]);

  function ask(request: PageRequest, signal: AbortSignal | undefined): Promise<PageReply> {
    return new Promise((resolve, reject) => {
      pending.set(request.requestId, resolve);
      send({ request });
      signal?.addEventListener(
        'abort',
        () => {
          // "If options.signal is aborted, reject promise with options.signal's abort reason."
          pending.delete(request.requestId);
          send({ request: { kind: 'abort', requestId: request.requestId } });
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  /**
   * Diagnostics: tells the worker how a ceremony the browser's own WebAuthn took ended (the worker
   * records it; only the record of this frame's request id can change). The page gets the
   * browser's own result, untouched; a reporting failure changes nothing for it.
   */
  function reported<T>(requestId: string, result: Promise<T>, passThrough?: Extract<PageRequest, { kind: 'report' }>['passThrough']): Promise<T> {
    const report = (outcome: Extract<PageRequest, { kind: 'report' }>['outcome']) => {
      try {
        send({ request: { kind: 'report', requestId, outcome, ...(passThrough ? { passThrough } : {}) } satisfies PageRequest });
      } catch {
        // Nothing the page should notice.
      }
      passThrough = undefined;
    };
    if (passThrough) report({ status: 'pending' });
    result.then(
      (credential) => {
        let response: unknown;
        try {
          response = (credential as { toJSON?: () => unknown } | null)?.toJSON?.();
        } catch {
          response = undefined;
        }
        report(response ? { status: 'success', response: response as never } : { status: 'success' });
      },
      (error: unknown) =>
        report({
          status: 'error',
          name: error instanceof Error || error instanceof DOMException ? error.name : 'Error',
          message: error instanceof Error || error instanceof DOMException ? String(error.message).slice(0, 2_000) : String(error).slice(0, 2_000),
        }),
    );
    return result;
  }

  /** Resolves once this document has focus again, or after FOCUS_WAIT_MS (the browser then decides). */
  function focusReturned(): Promise<void> {
    if (document.hasFocus()) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        window.removeEventListener('focus', done);
        resolve();
      };
      const timer = setTimeout(done, FOCUS_WAIT_MS);
      window.addEventListener('focus', done);
    });
  }

  function errorFor(reply: Extract<PageReply, { kind: 'error' }>): Error {
    return reply.name === 'TypeError' ? new TypeError(reply.message) : new DOMException(reply.message, reply.name);
  }

  function prefixed(operation: string, error: unknown): unknown {
    if (error instanceof TypeError) {
      return new TypeError(`Failed to execute '${operation}' on 'CredentialsContainer': ${error.message}`);
    }
    return error;
  }

  type Options = Record<string, unknown> & { publicKey?: unknown; signal?: AbortSignal };

  async function ceremony(
    operation: 'create' | 'get',
    container: CredentialsContainer,
    options: Options,
    native: typeof nativeCreate,
  ): Promise<Credential | null> {
    let request: PageRequest;
    try {
      const mediation = mediationOf(options, operation);
      request =
        operation === 'create'
          ? { kind: 'create', requestId: randomUUID(), options: creationOptionsToJSON(options.publicKey), mediation }
          : { kind: 'get', requestId: randomUUID(), options: requestOptionsToJSON(options.publicKey), mediation };
    } catch (error) {
      throw prefixed(operation, error);
    }
    const signal = options.signal;
    if (signal?.aborted) throw signal.reason;
    const reply = await ask(request, signal);
    switch (reply.kind) {
      case 'credential':
        return operation === 'create'
          ? registrationCredential(reply.credential as RegistrationResponseJSON)
          : assertionCredential(reply.credential as AuthenticationResponseJSON);
      case 'fallback':
        // "Use another device or security key": the exact original request, to the browser. Browsers
        // refuse WebAuthn to a document without focus, and the focus was in Latchkey's window until
        // a moment ago: the worker gives it back to this tab, and the request waits for it.
        await focusReturned();
        return reported(request.requestId, native.call(container, options as CredentialCreationOptions));
      case 'error':
        throw errorFor(reply);
      case 'done':
      case 'alive':
        throw new DOMException('Latchkey answered a ceremony with the wrong kind of reply.', 'UnknownError');
    }
  }

  /**
   * The Signal API (WebAuthn L3 §5.1.10). Latchkey acts on the signals for its own passkeys and
   * also hands them to the browser's own implementation where there is one, so platform and
   * synced passkeys hear them too. The promise tells the page nothing about what was changed.
   */
  const nativeSignals = {
    signalUnknownCredential: (PublicKeyCredential as unknown as Record<string, unknown>).signalUnknownCredential,
    signalAllAcceptedCredentials: (PublicKeyCredential as unknown as Record<string, unknown>).signalAllAcceptedCredentials,
    signalCurrentUserDetails: (PublicKeyCredential as unknown as Record<string, unknown>).signalCurrentUserDetails,
  };

  async function signal(name: keyof typeof nativeSignals, options: unknown, toRequest: (requestId: string) => PageRequest): Promise<undefined> {
    let request: PageRequest;
    try {
      request = toRequest(randomUUID());
    } catch (error) {
      throw error instanceof TypeError ? new TypeError(`Failed to execute '${name}' on 'PublicKeyCredential': ${error.message}`) : error;
    }
    const reply = await ask(request, undefined);
    if (reply.kind === 'error') throw errorFor(reply);
    const native = nativeSignals[name];
    if (typeof native === 'function') {
      // The browser's own answer does not change Latchkey's: its authenticators may not know the passkey.
      Promise.resolve(native.call(PublicKeyCredential, options)).catch(() => undefined);
    }
    return undefined;
  }

  const signals = {
    signalUnknownCredential(options: unknown): Promise<undefined> {
      return signal('signalUnknownCredential', options, (requestId) => ({
        kind: 'signal-unknown-credential',
        requestId,
        ...unknownCredentialOptions(options),
      }));
    },
    signalAllAcceptedCredentials(options: unknown): Promise<undefined> {
      return signal('signalAllAcceptedCredentials', options, (requestId) => ({
        kind: 'signal-all-accepted-credentials',
        requestId,
        ...allAcceptedCredentialsOptions(options),
      }));
    },
    signalCurrentUserDetails(options: unknown): Promise<undefined> {
      return signal('signalCurrentUserDetails', options, (requestId) => ({
        kind: 'signal-current-user-details',
        requestId,
        ...currentUserDetailsOptions(options),
      }));
    },
  };
  for (const name of Object.keys(signals) as (keyof typeof signals)[]) {
    Object.defineProperty(PublicKeyCredential, name, { value: signals[name], writable: true, enumerable: true, configurable: true });
  }

  function isOurs(container: unknown, options: unknown): options is Options {
    return container instanceof CredentialsContainer && typeof options === 'object' && options !== null && (options as Options).publicKey !== undefined;
  }

  const replacements = {
    create(this: CredentialsContainer, options?: CredentialCreationOptions): Promise<Credential | null> {
      if (!isOurs(this, options)) return nativeCreate.call(this, options);
      return ceremony('create', this, options, nativeCreate);
    },
    get(this: CredentialsContainer, options?: CredentialRequestOptions): Promise<Credential | null> {
      if (!isOurs(this, options)) return nativeGet.call(this, options);
      // Passkey autofill stays with the browser until Latchkey renders its own (conformance issue).
      if ((options as Options).mediation === 'conditional') {
        let passThrough: Extract<PageRequest, { kind: 'report' }>['passThrough'];
        try {
          passThrough = { operation: 'get', options: requestOptionsToJSON((options as Options).publicKey), mediation: 'conditional' };
        } catch {
          // Malformed: the browser says so itself.
          return nativeGet.call(this, options);
        }
        return reported(randomUUID(), nativeGet.call(this, options), passThrough);
      }
      return ceremony('get', this, options, nativeGet as typeof nativeCreate);
    },
  };
  for (const name of ['create', 'get'] as const) {
    Object.defineProperty(proto, name, { value: replacements[name], writable: true, enumerable: true, configurable: true });
  }
})();
