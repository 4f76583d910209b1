import type { PageReply, Settings } from '../src/webauthn/messages';

/**
 * The second interception path (Chromium, a setting): `chrome.webAuthenticationProxy`. While
 * Latchkey is attached, every WebAuthn request of the browser that reaches the browser's own
 * implementation comes here instead, so Latchkey also answers requests its page wrapper cannot
 * see (a page or another extension that locked `navigator.credentials` before Latchkey ran, or
 * called a copy of the browser's functions it kept).
 *
 * Never both: a request the wrapper answers never calls the browser's function, so the proxy
 * never sees it; a request the wrapper hands to the browser ("use another device", a site set to
 * the browser) must reach the browser's own authenticators, so Latchkey detaches before the
 * wrapper hands it over and attaches again once the page reported how it ended.
 *
 * Where the caller comes from (DESIGN invariant 1): Chromium writes the requesting frame's origin
 * into the request's `remoteDesktopClientOverride` extension itself, replacing whatever the page
 * put there (checked in `webAuthenticationProxy.test.ts`).
 */

type ProxyApi = typeof chrome.webAuthenticationProxy;

/** The proxy API, where this browser has it (Chromium 115+), or undefined (Firefox). */
export function proxyApi(): ProxyApi | undefined {
  return typeof chrome !== 'undefined' ? (chrome as { webAuthenticationProxy?: ProxyApi }).webAuthenticationProxy : undefined;
}

/** A proxied request in Latchkey's page protocol, with the caller the browser named. */
export interface ProxiedRequest {
  message: { kind: 'create' | 'get'; requestId: string; options: unknown };
  origin: string;
  sameOriginWithAncestors: boolean;
}

/**
 * Reads a proxied request's `requestDetailsJson`: the options in their JSON form, whose
 * `remoteDesktopClientOverride` extension the browser filled with the caller's origin. That
 * extension is taken out; it is not the relying party's.
 */
export function readProxiedRequest(kind: 'create' | 'get', requestId: number, requestDetailsJson: string): ProxiedRequest {
  const parsed = JSON.parse(requestDetailsJson) as { extensions?: Record<string, unknown> } & Record<string, unknown>;
  const override = parsed.extensions?.remoteDesktopClientOverride as
    { origin?: unknown; sameOriginWithAncestors?: unknown } | undefined;
  if (typeof override?.origin !== 'string') throw new Error('The browser named no origin for this request.');
  const { remoteDesktopClientOverride: _caller, ...extensions } = parsed.extensions ?? {};
  // Validated with the page protocol's schema where it is handled, like a page's request.
  const options = { ...parsed, ...(parsed.extensions ? { extensions } : {}) };
  return {
    message: { kind, requestId: proxiedRequestId(requestId), options },
    origin: override.origin,
    sameOriginWithAncestors: override.sameOriginWithAncestors !== false,
  };
}

/**
 * The sender a proxied request is handled as: the browser-named origin, a top-level frame of no
 * tab, with a document id of its own so that its cancel reaches it and nothing else.
 */
export function proxySender(origin: string, requestId: string): chrome.runtime.MessageSender {
  return { id: chrome.runtime.id, origin, url: `${origin}/`, frameId: 0, documentId: requestId };
}

/** The page protocol's id of the proxy's request `requestId`. */
export const proxiedRequestId = (requestId: number): string => `proxy-${requestId}`;

/** A page reply as the proxy's completion: a credential's JSON, or the DOMException. */
export function completionOf(
  reply: PageReply | undefined,
): { responseJson: string } | { error: { name: string; message: string } } {
  if (reply?.kind === 'credential') return { responseJson: JSON.stringify(reply.credential) };
  if (reply?.kind === 'error') return { error: { name: reply.name, message: reply.message } };
  // "Use another device" cannot reach the browser's authenticators from here: they are behind this proxy.
  return {
    error: {
      name: 'NotAllowedError',
      message:
        'Latchkey answered this request through the WebAuthn proxy, where the browser\u2019s own passkeys (phone, security key) are out of reach. Switch off "Answer requests the page cannot route to Latchkey" in Latchkey\u2019s settings to use them, then try again.',
    },
  };
}

/** Attached while the setting is on, except while the wrapper has handed requests to the browser. */
export function createProxyAttachment(api: ProxyApi | undefined) {
  let wanted = false;
  let attached = false;
  /** Hand-overs to the browser under way (page request keys), with the timer that ends each. */
  const handOvers = new Map<string, ReturnType<typeof setTimeout>>();
  /** A hand-over whose page never reports back ends after this long (the longest ceremony timeout). */
  const HAND_OVER_LIMIT_MS = 10 * 60_000;
  let settled: Promise<void> = Promise.resolve();

  const apply = () => {
    settled = settled.then(async () => {
      const attach = wanted && handOvers.size === 0;
      if (!api || attach === attached) return;
      try {
        if (attach) await api.attach();
        else await api.detach();
        attached = attach;
      } catch {
        // Another extension holds the proxy (attach fails), or it was already detached: either way
        // the state is what the browser says on the next change.
        attached = false;
      }
    });
    return settled;
  };

  return {
    available: api !== undefined,
    isAttached: () => attached,
    /** The setting changed (or the worker started). */
    follow(settings: Pick<Settings, 'interceptWithProxy'>): Promise<void> {
      wanted = settings.interceptWithProxy && api !== undefined;
      return apply();
    },
    /** The wrapper is about to hand the request `key` to the browser: the browser's own must take it. */
    stepAside(key: string): Promise<void> {
      clearTimeout(handOvers.get(key));
      handOvers.set(
        key,
        setTimeout(() => {
          handOvers.delete(key);
          void apply();
        }, HAND_OVER_LIMIT_MS),
      );
      return apply();
    },
    /** The page reported how the browser ended the hand-over `key`. */
    handOverEnded(key: string): Promise<void> {
      const timer = handOvers.get(key);
      if (timer === undefined) return settled;
      clearTimeout(timer);
      handOvers.delete(key);
      return apply();
    },
  };
}
