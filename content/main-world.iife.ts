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
import { installStatics } from './statics';

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
  // Chromium's permissions-policy and ancestor views, captured before page scripts could replace them.
  const featurePolicy = (document as Document & { featurePolicy?: { allowsFeature(feature: string): boolean } }).featurePolicy;
  const allowsFeature = featurePolicy ? featurePolicy.allowsFeature.bind(featurePolicy) : undefined;
  const ancestorOrigins = location.ancestorOrigins ? [...location.ancestorOrigins] : undefined;
  const userActivation = navigator.userActivation;

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
  function reported<T>(
    requestId: string,
    result: Promise<T>,
    passThrough?: Extract<PageRequest, { kind: 'report' }>['passThrough'],
  ): Promise<T> {
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
          message:
            error instanceof Error || error instanceof DOMException
              ? String(error.message).slice(0, 2_000)
              : String(error).slice(0, 2_000),
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
    refuseWithoutFramePermission(operation);
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
        if (reply.modal) {
          // "Other passkey options" from Latchkey's autofill dropdown: the browser's own dialog.
          const { mediation: _conditional, ...modal } = options;
          return reported(request.requestId, native.call(container, modal as CredentialCreationOptions));
        }
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

  async function signal(
    name: keyof typeof nativeSignals,
    options: unknown,
    toRequest: (requestId: string) => PageRequest,
  ): Promise<undefined> {
    let request: PageRequest;
    try {
      request = toRequest(randomUUID());
    } catch (error) {
      throw error instanceof TypeError
        ? new TypeError(`Failed to execute '${name}' on 'PublicKeyCredential': ${error.message}`)
        : error;
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
    Object.defineProperty(PublicKeyCredential, name, {
      value: signals[name],
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }

  /**
   * Frames: "publickey-credentials-create" / "-get" are policy-controlled features whose default
   * allowlist is 'self' (WebAuthn L3 §5.9, §5.10): a cross-origin iframe may use WebAuthn only
   * when its embedder delegates the feature with `allow=`, otherwise NotAllowedError, as
   * Chromium answers. Creating from a cross-origin frame also needs transient user activation
   * (§5.1.3: "If sameOriginWithAncestors is false … if the relevant global object … does not
   * have transient activation: Throw a NotAllowedError"). The service worker still derives the
   * frame's origin and ancestors from the browser for clientData; this check runs here because
   * only the document knows its permissions policy.
   */
  function refuseWithoutFramePermission(operation: 'create' | 'get'): void {
    const feature = operation === 'create' ? 'publickey-credentials-create' : 'publickey-credentials-get';
    if (allowsFeature && !allowsFeature(feature)) {
      throw new DOMException(
        `The '${feature}' feature is not enabled in this document. Permissions Policy may be used to delegate Web Authentication capabilities to cross-origin child frames.`,
        'NotAllowedError',
      );
    }
    const crossOrigin = ancestorOrigins?.some((ancestor) => ancestor !== location.origin) ?? false;
    if (operation === 'create' && crossOrigin && userActivation && !userActivation.isActive) {
      throw new DOMException('A user activation is required to create a credential in a cross-origin iframe.', 'NotAllowedError');
    }
  }

  function isOurs(container: unknown, options: unknown): options is Options {
    return (
      container instanceof CredentialsContainer &&
      typeof options === 'object' &&
      options !== null &&
      (options as Options).publicKey !== undefined
    );
  }

  /**
   * A request Latchkey passes straight to the browser (conditional create), recorded in the
   * diagnostics log with the browser's outcome. A request whose options do not convert is passed
   * on unrecorded: the browser answers it with its own TypeError.
   */
  function passedThrough<T>(
    operation: 'create' | 'get',
    options: Options,
    call: () => Promise<T>,
    toJSON: () => unknown,
  ): Promise<T> {
    let passThrough: Extract<PageRequest, { kind: 'report' }>['passThrough'];
    try {
      passThrough = { operation, options: toJSON(), mediation: 'conditional' } as typeof passThrough;
    } catch {
      return call();
    }
    return reported(randomUUID(), call(), passThrough);
  }

  /**
   * create/get as Latchkey answers them, with `fallbackCreate`/`fallbackGet` for everything it
   * hands over (other credential types, conditional create, "use another device"). Method
   * syntax keeps their names, so `String(navigator.credentials.create)` starts with "create(".
   */
  function replacementsWith(fallbackCreate: typeof nativeCreate, fallbackGet: typeof nativeGet) {
    return {
      create(this: CredentialsContainer, options?: CredentialCreationOptions): Promise<Credential | null> {
        if (!isOurs(this, options)) return fallbackCreate.call(this, options);
        // Conditional create (a passkey offered right after a password sign-in) is the browser's
        // call: it alone knows whether a password was just used. Latchkey hands it over untouched.
        if ((options as Options).mediation === 'conditional') {
          return passedThrough(
            'create',
            options,
            () => fallbackCreate.call(this, options),
            () => creationOptionsToJSON((options as Options).publicKey),
          );
        }
        return ceremony('create', this, options, fallbackCreate);
      },
      get(this: CredentialsContainer, options?: CredentialRequestOptions): Promise<Credential | null> {
        if (!isOurs(this, options)) return fallbackGet.call(this, options);
        // Passkey autofill (mediation "conditional") too: the worker holds it until the person picks
        // in Latchkey's dropdown (content/autofill.ts), or hands it to the browser's own autofill
        // for a site set to the browser.
        return ceremony('get', this, options, fallbackGet as typeof nativeCreate);
      },
    };
  }
  const replacements = replacementsWith(nativeCreate, nativeGet);
  for (const name of ['create', 'get'] as const) {
    Object.defineProperty(proto, name, { value: replacements[name], writable: true, enumerable: true, configurable: true });
  }
  // Coexistence: a script that ran before this one (another password manager's wrapper) may
  // have put its own create/get on the navigator.credentials object itself, shadowing the
  // prototype. Where it left them configurable, Latchkey wraps them in turn, with the other
  // wrapper as its fallback: each request is answered by Latchkey or handed on, never both.
  // A non-configurable own property cannot be wrapped; requests then go to that wrapper.
  const instance = navigator.credentials;
  const own = {
    create: Object.getOwnPropertyDescriptor(instance, 'create'),
    get: Object.getOwnPropertyDescriptor(instance, 'get'),
  };
  const onInstance = replacementsWith(
    typeof own.create?.value === 'function' ? own.create.value : nativeCreate,
    typeof own.get?.value === 'function' ? own.get.value : nativeGet,
  );
  for (const name of ['create', 'get'] as const) {
    const descriptor = own[name];
    if (!descriptor?.configurable || typeof descriptor.value !== 'function') continue;
    Object.defineProperty(instance, name, { ...descriptor, value: onInstance[name] });
  }
  installStatics();
})();
