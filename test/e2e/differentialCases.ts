/**
 * The differential suite's request cases (see differential.test.ts). Each `run` is serialized
 * into the page and called with the page helpers installed by `installPageHelpers`, so it may
 * use only browser globals and `h` — nothing from this module's scope.
 */

/** What a case's script gets in the page. Options objects are fresh and may be mutated. */
export interface PageHelpers {
  /** A valid PublicKeyCredentialCreationOptions for rpId localhost: ES256, random user id and challenge. */
  creation(): any;
  /** A valid PublicKeyCredentialRequestOptions for rpId localhost. */
  request(): any;
  /** A valid request whose allowCredentials names a credential just registered (discoverable unless told). */
  requestFor(residentKey?: string, extensions?: Record<string, unknown>): Promise<any>;
  /** navigator.credentials.create({ publicKey, ...extra }), described: alg, fmt, flags, extension results. */
  create(publicKey: any, extra?: Record<string, unknown>): Promise<string>;
  /** navigator.credentials.get({ publicKey, ...extra }), described: flags, user handle, extension results. */
  get(publicKey: any, extra?: Record<string, unknown>): Promise<string>;
  /** Creates a credential (discoverable unless told) and returns its raw id. */
  register(residentKey?: string, extensions?: Record<string, unknown>): Promise<Uint8Array>;
  bytes(length: number, fill?: number): Uint8Array;
  /** Runs a case: 'ok' plus its details, or the error's name. */
  outcome(run: (h: PageHelpers) => Promise<string | void>): Promise<string>;
}

export interface DifferentialCase {
  name: string;
  run: (h: PageHelpers) => Promise<string | void>;
  /** A pattern Chromium's outcome must match, so a case cannot pass by both sides failing alike by accident. */
  expect?: RegExp;
  /** Nobody answers: the control gets no user presence and Latchkey's prompt stays unanswered. */
  userAbsent?: boolean;
  /**
   * Run in an iframe of the test page: same-origin, or of another origin (a.localhost) with or
   * without `allow="publickey-credentials-get; publickey-credentials-create"`.
   */
  frame?: 'same' | 'cross' | 'cross-allowed';
  /** A deliberate difference: what each side answers, and why. */
  differs?: { chromium: string; latchkey: string; why: string };
}

declare global {
  interface Window {
    __diff: PageHelpers;
  }
}

/** Runs in the page (serialized by page.evaluate): installs `window.__diff`. */
export function installPageHelpers(): void {
  const flagNames: [number, string][] = [
    [0x01, 'UP'],
    [0x04, 'UV'],
    [0x08, 'BE'],
    [0x10, 'BS'],
    [0x40, 'AT'],
    [0x80, 'ED'],
  ];
  const flagsOf = (authData: ArrayBuffer): string =>
    flagNames
      .filter(([bit]) => (new Uint8Array(authData)[32]! & bit) !== 0)
      .map(([, name]) => name)
      .join('+');
  const fmtOf = (attestationObject: ArrayBuffer): string => {
    const bytes = new Uint8Array(attestationObject);
    for (let i = 0; i < bytes.length - 4; i++) {
      if (bytes[i] === 0x63 && bytes[i + 1] === 0x66 && bytes[i + 2] === 0x6d && bytes[i + 3] === 0x74) {
        const length = bytes[i + 4]! & 0x1f;
        return new TextDecoder().decode(bytes.subarray(i + 5, i + 5 + length));
      }
    }
    return '?';
  };
  const extensionsOf = (credential: PublicKeyCredential): string => {
    const results = credential.getClientExtensionResults() as Record<string, unknown>;
    const describe = (value: unknown): unknown => {
      if (value instanceof ArrayBuffer) return `bytes${value.byteLength}`;
      if (value && typeof value === 'object') {
        return Object.fromEntries(Object.keys(value).sort().map((key) => [key, describe((value as Record<string, unknown>)[key])]));
      }
      return value;
    };
    return JSON.stringify(describe(results));
  };
  const helpers: PageHelpers = {
    creation: () => ({
      rp: { name: 'Differential' },
      user: { id: crypto.getRandomValues(new Uint8Array(16)), name: 'diff', displayName: 'Diff' },
      challenge: crypto.getRandomValues(new Uint8Array(32)),
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
      timeout: 10_000,
    }),
    request: () => ({ challenge: crypto.getRandomValues(new Uint8Array(32)), rpId: 'localhost', timeout: 10_000 }),
    create: async (publicKey, extra) => {
      const credential = (await navigator.credentials.create({ publicKey, ...extra })) as PublicKeyCredential;
      const response = credential.response as AuthenticatorAttestationResponse;
      return [
        `alg=${response.getPublicKeyAlgorithm()}`,
        `fmt=${fmtOf(response.attestationObject)}`,
        `flags=${flagsOf(response.getAuthenticatorData())}`,
        `attachment=${credential.authenticatorAttachment}`,
        `ext=${extensionsOf(credential)}`,
      ].join(' ');
    },
    get: async (publicKey, extra) => {
      const credential = (await navigator.credentials.get({ publicKey, ...extra })) as PublicKeyCredential;
      const response = credential.response as AuthenticatorAssertionResponse;
      return [
        `flags=${flagsOf(response.authenticatorData)}`,
        `userHandle=${response.userHandle ? 'yes' : 'no'}`,
        `ext=${extensionsOf(credential)}`,
      ].join(' ');
    },
    register: async (residentKey = 'required', extensions) => {
      const publicKey = helpers.creation();
      publicKey.authenticatorSelection = { residentKey, userVerification: 'discouraged' };
      if (extensions) publicKey.extensions = extensions;
      const credential = (await navigator.credentials.create({ publicKey })) as PublicKeyCredential;
      return new Uint8Array(credential.rawId);
    },
    requestFor: async (residentKey, extensions) => {
      const id = await helpers.register(residentKey, extensions);
      return { ...helpers.request(), allowCredentials: [{ type: 'public-key', id }] };
    },
    bytes: (length, fill = 1) => new Uint8Array(length).fill(fill),
    outcome: async (run) => {
      try {
        const details = await run(helpers);
        return details ? `ok ${details}` : 'ok';
      } catch (error) {
        if (error instanceof Error || error instanceof DOMException) return error.name;
        return `rejected with ${typeof error}`;
      }
    },
  };
  window.__diff = helpers;
}

type Run = DifferentialCase['run'];
const c = (name: string, run: Run, more: Omit<DifferentialCase, 'name' | 'run'> = {}): DifferentialCase => ({ name, run, ...more });
const OK = /^ok/;
const TYPE_ERROR = /^TypeError$/;

const createArguments: DifferentialCase[] = [
  c('create: valid ES256 request', (h) => h.create(h.creation()), { expect: /^ok alg=-7 fmt=none flags=UP\+AT / }),
  c('create: publicKey null', (h) => h.create(null), { expect: TYPE_ERROR }),
  c('create: no publicKey, password or federated member', () => navigator.credentials.create({}).then(String), { expect: /Error$/ }),
  c('create: missing challenge', (h) => { const o = h.creation(); delete o.challenge; return h.create(o); }, { expect: TYPE_ERROR }),
  c('create: challenge is a string', (h) => { const o = h.creation(); o.challenge = 'abc'; return h.create(o); }, { expect: TYPE_ERROR }),
  c('create: empty challenge', (h) => { const o = h.creation(); o.challenge = new Uint8Array(0); return h.create(o); }),
  c('create: missing rp', (h) => { const o = h.creation(); delete o.rp; return h.create(o); }, { expect: TYPE_ERROR }),
  c('create: missing rp.name', (h) => { const o = h.creation(); o.rp = {}; return h.create(o); }, { expect: TYPE_ERROR }),
  c('create: rp is a string', (h) => { const o = h.creation(); o.rp = 'localhost'; return h.create(o); }, { expect: TYPE_ERROR }),
  c('create: missing user', (h) => { const o = h.creation(); delete o.user; return h.create(o); }, { expect: TYPE_ERROR }),
  c('create: missing user.id', (h) => { const o = h.creation(); delete o.user.id; return h.create(o); }, { expect: TYPE_ERROR }),
  c('create: missing user.name', (h) => { const o = h.creation(); delete o.user.name; return h.create(o); }, { expect: TYPE_ERROR }),
  c('create: missing user.displayName', (h) => { const o = h.creation(); delete o.user.displayName; return h.create(o); }, { expect: TYPE_ERROR }),
  c('create: user.id is a string', (h) => { const o = h.creation(); o.user.id = 'alice'; return h.create(o); }, { expect: TYPE_ERROR }),
  c('create: user.id empty', (h) => { const o = h.creation(); o.user.id = new Uint8Array(0); return h.create(o); }, {
    differs: {
      chromium: 'ok alg=-7 fmt=none flags=UP+AT attachment=platform ext={}',
      latchkey: 'TypeError',
      why: 'WebAuthn L3 §5.1.3 step 5 says "If the length of options.user.id is not between 1 and 64 bytes (inclusive) then throw a TypeError"; Chromium 156 accepts an empty one. Latchkey follows the spec: an empty user handle cannot name the account at username-less sign-in.',
    },
  }),
  c('create: user.id 65 bytes', (h) => { const o = h.creation(); o.user.id = h.bytes(65); return h.create(o); }, { expect: TYPE_ERROR }),
  c('create: user.id 64 bytes', (h) => { const o = h.creation(); o.user.id = h.bytes(64); return h.create(o); }, { expect: OK }),
  c('create: user.id as an ArrayBuffer', (h) => { const o = h.creation(); o.user.id = h.bytes(8).buffer; return h.create(o); }, { expect: OK }),
  c('create: missing pubKeyCredParams', (h) => { const o = h.creation(); delete o.pubKeyCredParams; return h.create(o); }, { expect: TYPE_ERROR }),
  c('create: pubKeyCredParams not a sequence', (h) => { const o = h.creation(); o.pubKeyCredParams = { type: 'public-key', alg: -7 }; return h.create(o); }, { expect: TYPE_ERROR }),
  c('create: pubKeyCredParams entry without alg', (h) => { const o = h.creation(); o.pubKeyCredParams = [{ type: 'public-key' }]; return h.create(o); }, { expect: TYPE_ERROR }),
  c('create: pubKeyCredParams entry without type', (h) => { const o = h.creation(); o.pubKeyCredParams = [{ alg: -7 }]; return h.create(o); }, { expect: TYPE_ERROR }),
  c('create: pubKeyCredParams entry is a number', (h) => { const o = h.creation(); o.pubKeyCredParams = [-7]; return h.create(o); }, { expect: TYPE_ERROR }),
  c('create: pubKeyCredParams of an unknown type only', (h) => { const o = h.creation(); o.pubKeyCredParams = [{ type: 'password', alg: -7 }]; return h.create(o); }),
  c('create: pubKeyCredParams unknown type then public-key', (h) => { const o = h.creation(); o.pubKeyCredParams = [{ type: 'password', alg: -8 }, { type: 'public-key', alg: -7 }]; return h.create(o); }),
  c('create: pubKeyCredParams empty (ES256 and RS256 by default)', (h) => { const o = h.creation(); o.pubKeyCredParams = []; return h.create(o); }, { expect: /^ok alg=-7/ }),
  c('create: only an algorithm nobody serves (ES384)', (h) => { const o = h.creation(); o.pubKeyCredParams = [{ type: 'public-key', alg: -35 }]; return h.create(o); }, { expect: /^NotAllowedError$/ }),
  c('create: only an unassigned algorithm', (h) => { const o = h.creation(); o.pubKeyCredParams = [{ type: 'public-key', alg: 12345 }]; return h.create(o); }, { expect: /^NotAllowedError$/ }),
  c('create: unassigned algorithm then ES256', (h) => { const o = h.creation(); o.pubKeyCredParams = [{ type: 'public-key', alg: 12345 }, { type: 'public-key', alg: -7 }]; return h.create(o); }, { expect: /^ok alg=-7/ }),
  c('create: alg is a numeric string', (h) => { const o = h.creation(); o.pubKeyCredParams = [{ type: 'public-key', alg: '-7' }]; return h.create(o); }, { expect: /^ok alg=-7/ }),
  c('create: excludeCredentials entry without id', (h) => { const o = h.creation(); o.excludeCredentials = [{ type: 'public-key' }]; return h.create(o); }, { expect: TYPE_ERROR }),
  c('create: excludeCredentials not a sequence', (h) => { const o = h.creation(); o.excludeCredentials = 5; return h.create(o); }, { expect: TYPE_ERROR }),
  c('create: extensions is a number', (h) => { const o = h.creation(); o.extensions = 5; return h.create(o); }, { expect: TYPE_ERROR }),
  c('create: unknown mediation value', (h) => h.create(h.creation(), { mediation: 'bogus' }), { expect: TYPE_ERROR }),
  c('create: rp.id of another site', (h) => { const o = h.creation(); o.rp.id = 'example.com'; return h.create(o); }, { expect: /^SecurityError$/ }),
  c('create: rp.id localhost', (h) => { const o = h.creation(); o.rp.id = 'localhost'; return h.create(o); }, { expect: OK }),
  c('create: rp.id a public suffix', (h) => { const o = h.creation(); o.rp.id = 'com'; return h.create(o); }, { expect: /^SecurityError$/ }),
  c('create: rp.id empty', (h) => { const o = h.creation(); o.rp.id = ''; return h.create(o); }, { expect: /^SecurityError$/ }),
];

const algorithmOrders: DifferentialCase[] = [
  [-7, -8, -257],
  [-8, -7, -257],
  [-257, -7, -8],
  [-8],
  [-257],
  [-35, -257, -8],
].map((algs) =>
  c(
    `create: pubKeyCredParams [${algs.join(', ')}] picks the first supported`,
    new Function('h', `const o = h.creation(); o.pubKeyCredParams = ${JSON.stringify(algs.map((alg) => ({ type: 'public-key', alg })))}; return h.create(o);`) as Run,
    { expect: OK },
  ),
);

const selections: DifferentialCase[] = [
  ...['required', 'preferred', 'discouraged', 'bogus'].map((residentKey) =>
    c(
      `create: residentKey ${residentKey} with credProps`,
      new Function('h', `const o = h.creation(); o.authenticatorSelection = { residentKey: '${residentKey}' }; o.extensions = { credProps: true }; return h.create(o);`) as Run,
      { expect: OK },
    ),
  ),
  c('create: requireResidentKey true with credProps', (h) => { const o = h.creation(); o.authenticatorSelection = { requireResidentKey: true }; o.extensions = { credProps: true }; return h.create(o); }, { expect: /rk":true/ }),
  c('create: requireResidentKey false and no residentKey, with credProps', (h) => { const o = h.creation(); o.authenticatorSelection = { requireResidentKey: false }; o.extensions = { credProps: true }; return h.create(o); }, { expect: OK }),
  ...['preferred', 'discouraged', 'bogus'].map((userVerification) =>
    c(
      `create: userVerification ${userVerification}`,
      new Function('h', `const o = h.creation(); o.authenticatorSelection = { userVerification: '${userVerification}' }; return h.create(o);`) as Run,
      { expect: OK },
    ),
  ),
  c('create: userVerification required on an authenticator that cannot verify', (h) => { const o = h.creation(); o.authenticatorSelection = { userVerification: 'required' }; return h.create(o); }, { expect: /^NotAllowedError$/ }),
  ...['none', 'indirect', 'direct', 'enterprise', 'bogus'].map((attestation) =>
    c(
      `create: attestation ${attestation}`,
      new Function('h', `const o = h.creation(); o.attestation = '${attestation}'; return h.create(o);`) as Run,
      { expect: OK },
    ),
  ),
  c('create: authenticatorAttachment platform', (h) => { const o = h.creation(); o.authenticatorSelection = { authenticatorAttachment: 'platform' }; return h.create(o); }, { expect: OK }),
  c('create: hints security-key (hints do not filter)', (h) => { const o = h.creation(); o.hints = ['security-key']; return h.create(o); }, { expect: OK }),
];

const exclusions: DifferentialCase[] = [
  c('create: excludeCredentials lists a credential this authenticator holds', async (h) => { const id = await h.register(); const o = h.creation(); o.excludeCredentials = [{ type: 'public-key', id }]; return h.create(o); }, { expect: /^InvalidStateError$/ }),
  c('create: excludeCredentials lists a non-discoverable credential it holds', async (h) => { const id = await h.register('discouraged'); const o = h.creation(); o.excludeCredentials = [{ type: 'public-key', id }]; return h.create(o); }, { expect: /^InvalidStateError$/ }),
  c('create: excludeCredentials lists unknown ids only', (h) => { const o = h.creation(); o.excludeCredentials = [{ type: 'public-key', id: h.bytes(32, 9) }]; return h.create(o); }, { expect: OK }),
  c('create: excludeCredentials entry of an unknown type', async (h) => { const id = await h.register(); const o = h.creation(); o.excludeCredentials = [{ type: 'bogus', id }]; return h.create(o); }),
];

const createTimeoutsAndAborts: DifferentialCase[] = [
  // Not 0 or 1: Chromium skips its [10 s, 10 min] clamp while a CDP virtual authenticator is on
  // (AdjustTimeout), so such timeouts race the virtual authenticator there and nowhere else.
  ...[10_000, 600_000, 4_294_967_295, -1].map((timeout) =>
    c(`create: timeout ${timeout}`, new Function('h', `const o = h.creation(); o.timeout = ${timeout}; return h.create(o);`) as Run, { expect: OK }),
  ),
  c('create: signal aborted before the call', (h) => { const controller = new AbortController(); controller.abort(); return h.create(h.creation(), { signal: controller.signal }); }, { expect: /^AbortError$/ }),
  // "During": nobody answers (no user presence for the control, an unanswered prompt for Latchkey), so the abort lands mid-ceremony on both.
  c('create: signal aborted during the call', async (h) => {
    const controller = new AbortController();
    const o = h.creation();
    o.timeout = 60_000;
    setTimeout(() => controller.abort(), 500);
    return h.create(o, { signal: controller.signal });
  }, { userAbsent: true, expect: /^AbortError$/ }),
  c('create: aborted during the call with a reason of its own rejects with that very reason', async (h) => {
    const controller = new AbortController();
    const reason = new DOMException('mine', 'SyntaxError');
    const o = h.creation();
    o.timeout = 60_000;
    setTimeout(() => controller.abort(reason), 500);
    try { await h.create(o, { signal: controller.signal }); return 'resolved'; } catch (error) { if (error === reason) throw error; return 'another error'; }
  }, { userAbsent: true, expect: /^SyntaxError$/ }),
  c('create: nobody answers before the timeout', (h) => { const o = h.creation(); o.timeout = 1; return h.create(o); }, { userAbsent: true, expect: /^NotAllowedError$/ }),
];

const createExtensions: DifferentialCase[] = [
  c('create: an unknown extension is ignored', (h) => { const o = h.creation(); o.extensions = { notAnExtension: { x: 1 } }; return h.create(o); }, { expect: OK }),
  c('create: credProps false gives no credProps result', (h) => { const o = h.creation(); o.extensions = { credProps: false }; return h.create(o); }, { expect: OK }),
  c('create: prf with no eval reports enabled', (h) => { const o = h.creation(); o.extensions = { prf: {} }; return h.create(o); }, { expect: /"prf":\{"enabled":true\}/ }),
  c('create: largeBlob support preferred', (h) => { const o = h.creation(); o.authenticatorSelection = { residentKey: 'required' }; o.extensions = { largeBlob: { support: 'preferred' } }; return h.create(o); }, { expect: /"largeBlob":\{"supported":true\}/ }),
  c('create: largeBlob with read at create is NotSupportedError', (h) => { const o = h.creation(); o.extensions = { largeBlob: { support: 'preferred', read: true } }; return h.create(o); }, { expect: /^NotSupportedError$/ }),
];

const DISCOVERABLE_WHY =
  'Chromium offers discoverable credentials (an empty allowCredentials) only from authenticators that can verify the user; the control authenticator, like Latchkey today, cannot (no PIN yet). Latchkey answers discoverable requests with user presence, as passkey providers do, so username-less sign-in works.';

const PRF_RESULTS_WHY =
  'Chromium answers prf: {} without results from the control authenticator (internal CTAP 2.1 with hmac-secret, without user verification or PIN), so there is nothing to compare the outputs with; Latchkey evaluates the PRF (CTAP hmac-secret under a per-credential secret), and the unit tests check its outputs against the spec\u2019s prf test vectors.';

const getCases: DifferentialCase[] = [
  c('get: discoverable credential, no allowCredentials', async (h) => { await h.register(); return h.get(h.request()); }, {
    differs: { chromium: 'NotAllowedError', latchkey: 'ok flags=UP userHandle=yes ext={}', why: DISCOVERABLE_WHY },
  }),
  c('get: discoverable credential, empty allowCredentials', async (h) => { await h.register(); const o = h.request(); o.allowCredentials = []; return h.get(o); }, {
    differs: { chromium: 'NotAllowedError', latchkey: 'ok flags=UP userHandle=yes ext={}', why: DISCOVERABLE_WHY },
  }),
  c('get: allowCredentials names a discoverable credential', async (h) => h.get(await h.requestFor()), { expect: /^ok flags=UP userHandle=yes/ }),
  c('get: allowCredentials names a non-discoverable credential', async (h) => h.get(await h.requestFor('discouraged')), { expect: /^ok flags=UP userHandle=no/ }),
  c('get: allowCredentials names the credential among unknown ones', async (h) => { const o = await h.requestFor(); o.allowCredentials.unshift({ type: 'public-key', id: h.bytes(32, 9) }); return h.get(o); }, { expect: OK }),
  c('get: allowCredentials entry of an unknown type only', async (h) => { const o = await h.requestFor(); o.allowCredentials[0].type = 'bogus'; return h.get(o); }),
  c('get: only a non-discoverable credential and no allowCredentials', async (h) => { await h.register('discouraged'); return h.get(h.request()); }, { expect: /^NotAllowedError$/ }),
  c('get: no credential at all', (h) => h.get(h.request()), { expect: /^NotAllowedError$/ }),
  c('get: allowCredentials names unknown ids only', async (h) => { await h.register(); const o = h.request(); o.allowCredentials = [{ type: 'public-key', id: h.bytes(32, 9) }]; return h.get(o); }, { expect: /^NotAllowedError$/ }),
  c('get: allowCredentials entry without id', (h) => { const o = h.request(); o.allowCredentials = [{ type: 'public-key' }]; return h.get(o); }, { expect: TYPE_ERROR }),
  c('get: allowCredentials not a sequence', (h) => { const o = h.request(); o.allowCredentials = 'abc'; return h.get(o); }, { expect: TYPE_ERROR }),
  c('get: missing challenge', (h) => { const o = h.request(); delete o.challenge; return h.get(o); }, { expect: TYPE_ERROR }),
  c('get: challenge is a string', (h) => { const o = h.request(); o.challenge = 'abc'; return h.get(o); }, { expect: TYPE_ERROR }),
  c('get: publicKey null', (h) => h.get(null), { expect: TYPE_ERROR }),
  c('get: rpId of another site', async (h) => { const o = await h.requestFor(); o.rpId = 'example.com'; return h.get(o); }, { expect: /^SecurityError$/ }),
  c('get: rpId a public suffix', async (h) => { const o = await h.requestFor(); o.rpId = 'com'; return h.get(o); }, { expect: /^SecurityError$/ }),
  c('get: rpId omitted', async (h) => { const o = await h.requestFor(); delete o.rpId; return h.get(o); }, { expect: OK }),
  c('get: userVerification required on an authenticator that cannot verify', async (h) => { const o = await h.requestFor(); o.userVerification = 'required'; return h.get(o); }, { expect: /^NotAllowedError$/ }),
  ...['preferred', 'discouraged', 'bogus'].map((userVerification) =>
    c(
      `get: userVerification ${userVerification}`,
      new Function('h', `return h.requestFor().then((o) => { o.userVerification = '${userVerification}'; return h.get(o); });`) as Run,
      { expect: OK },
    ),
  ),
  ...[10_000, 600_000, 4_294_967_295].map((timeout) =>
    c(`get: timeout ${timeout}`, new Function('h', `return h.requestFor().then((o) => { o.timeout = ${timeout}; return h.get(o); });`) as Run, { expect: OK }),
  ),
  c('get: signal aborted before the call', async (h) => { const o = await h.requestFor(); const controller = new AbortController(); controller.abort(); return h.get(o, { signal: controller.signal }); }, { expect: /^AbortError$/ }),
  c('get: signal aborted during the call', async (h) => {
    const o = h.request();
    o.timeout = 60_000;
    o.allowCredentials = [{ type: 'public-key', id: h.bytes(16) }];
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 500);
    return h.get(o, { signal: controller.signal });
  }, { userAbsent: true, expect: /^AbortError$/ }),
  c('get: aborted during the call with a reason of its own rejects with that very reason', async (h) => {
    const o = h.request();
    o.timeout = 60_000;
    o.allowCredentials = [{ type: 'public-key', id: h.bytes(16) }];
    const controller = new AbortController();
    const reason = new DOMException('mine', 'DataError');
    setTimeout(() => controller.abort(reason), 500);
    try { await h.get(o, { signal: controller.signal }); return 'resolved'; } catch (error) { if (error === reason) throw error; return 'another error'; }
  }, { userAbsent: true, expect: /^DataError$/ }),
  c('get: nobody answers before the timeout', async (h) => { const o = h.request(); o.timeout = 1; o.allowCredentials = [{ type: 'public-key', id: h.bytes(16) }]; return h.get(o); }, { userAbsent: true, expect: /^NotAllowedError$/ }),
  c('get: unknown mediation value', (h) => h.get(h.request(), { mediation: 'bogus' }), { expect: TYPE_ERROR }),
  c('get: mediation required', async (h) => h.get(await h.requestFor(), { mediation: 'required' }), { expect: OK }),
  c('get: mediation optional', async (h) => h.get(await h.requestFor(), { mediation: 'optional' }), { expect: OK }),
  c('get: mediation silent', async (h) => h.get(await h.requestFor(), { mediation: 'silent' })),
  c('create: mediation silent', (h) => h.create(h.creation(), { mediation: 'silent' })),
  c('create: mediation required', (h) => h.create(h.creation(), { mediation: 'required' }), { expect: OK }),
  c('create: mediation conditional without a saved password', (h) => h.create(h.creation(), { mediation: 'conditional' })),
  c('get: an unknown extension is ignored', async (h) => { const o = await h.requestFor(); o.extensions = { notAnExtension: true }; return h.get(o); }, { expect: OK }),
  c('get: credProps at get is NotSupportedError', async (h) => { const o = await h.requestFor(); o.extensions = { credProps: true }; return h.get(o); }, { expect: /^NotSupportedError$/ }),
  c('get: prf eval on a credential made with prf', async (h) => { const o = await h.requestFor('required', { prf: {} }); o.extensions = { prf: { eval: { first: h.bytes(32, 1) } } }; return h.get(o); }, {
    differs: { chromium: 'ok flags=UP userHandle=yes ext={"prf":{}}', latchkey: 'ok flags=UP userHandle=yes ext={"prf":{"results":{"first":"bytes32"}}}', why: PRF_RESULTS_WHY },
  }),
  c('get: prf eval with first and second', async (h) => { const o = await h.requestFor('required', { prf: {} }); o.extensions = { prf: { eval: { first: h.bytes(32, 1), second: h.bytes(5, 2) } } }; return h.get(o); }, {
    differs: { chromium: 'ok flags=UP userHandle=yes ext={"prf":{}}', latchkey: 'ok flags=UP userHandle=yes ext={"prf":{"results":{"first":"bytes32","second":"bytes32"}}}', why: PRF_RESULTS_WHY },
  }),
  c('get: prf evalByCredential naming the allowed credential', async (h) => {
    const o = await h.requestFor('required', { prf: {} });
    const id = btoa(String.fromCharCode(...new Uint8Array(o.allowCredentials[0].id))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    o.extensions = { prf: { evalByCredential: { [id]: { first: h.bytes(32, 3) } } } };
    return h.get(o);
  }, { differs: { chromium: 'ok flags=UP userHandle=yes ext={"prf":{}}', latchkey: 'ok flags=UP userHandle=yes ext={"prf":{"results":{"first":"bytes32"}}}', why: PRF_RESULTS_WHY } }),
  c('get: prf evalByCredential without allowCredentials is NotSupportedError', async (h) => { const o = h.request(); o.extensions = { prf: { evalByCredential: { AAAA: { first: h.bytes(32) } } } }; return h.get(o); }, { expect: /^NotSupportedError$/ }),
  c('get: prf evalByCredential with a key that is not base64url is SyntaxError', async (h) => { const o = await h.requestFor(); o.extensions = { prf: { evalByCredential: { 'not base64url!': { first: h.bytes(32) } } } }; return h.get(o); }),
  c('get: largeBlob read', async (h) => { const o = await h.requestFor('required', { largeBlob: { support: 'preferred' } }); o.extensions = { largeBlob: { read: true } }; return h.get(o); }, { expect: OK }),
  c('get: largeBlob write then read', async (h) => {
    const o = await h.requestFor('required', { largeBlob: { support: 'preferred' } });
    o.extensions = { largeBlob: { write: new TextEncoder().encode('hello blob') } };
    const written = await h.get(o);
    const again = { ...h.request(), allowCredentials: o.allowCredentials, extensions: { largeBlob: { read: true } } };
    return `${written} / ${await h.get(again)}`;
  }, { expect: /"written":true.*"blob":"bytes10"/ }),
  c('get: largeBlob read and write together is NotSupportedError', async (h) => { const o = await h.requestFor(); o.extensions = { largeBlob: { read: true, write: h.bytes(4) } }; return h.get(o); }, { expect: /^NotSupportedError$/ }),
];

/** The shape of a JSON value: its keys, recursively, with leaves reduced to their type. */
const shapeOf = new Function('value', `
  const shape = (v) => v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, shape(v[k])])) : typeof v;
  return JSON.stringify(shape(value));
`) as (value: unknown) => string;

const staticsAndJSON: DifferentialCase[] = [
  c('static: isUserVerifyingPlatformAuthenticatorAvailable', () => PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable().then(String)),
  c('static: isConditionalMediationAvailable', () => PublicKeyCredential.isConditionalMediationAvailable().then(String), {
    differs: {
      chromium: 'ok false',
      latchkey: 'ok true',
      why: 'Latchkey offers its passkeys in its own autofill dropdown, so it answers true wherever it runs. The control browser runs with a CDP virtual authenticator environment, under which Chromium answers false (the same Chromium without one answers true).',
    },
  }),
  c('static: getClientCapabilities names the same capabilities', () =>
    (PublicKeyCredential as unknown as { getClientCapabilities(): Promise<Record<string, boolean>> }).getClientCapabilities().then((caps) => Object.keys(caps).sort().join(',')),
  ),
  c('static: getClientCapabilities reports prf, largeBlob and credProps', () =>
    (PublicKeyCredential as unknown as { getClientCapabilities(): Promise<Record<string, boolean>> })
      .getClientCapabilities()
      .then((caps) => ['extension:prf', 'extension:largeBlob', 'extension:credProps'].map((key) => `${key}=${caps[key]}`).join(' ')),
  ),
  c('static: parseCreationOptionsFromJSON with a challenge that is not base64url', async () => {
    PublicKeyCredential.parseCreationOptionsFromJSON({ rp: { name: 'x' }, user: { id: 'AQ', name: 'a', displayName: 'a' }, challenge: 'a+b/', pubKeyCredParams: [] });
  }, { expect: /^EncodingError$/ }),
  c('static: parseRequestOptionsFromJSON with an allowCredentials id that is not base64url', async () => {
    PublicKeyCredential.parseRequestOptionsFromJSON({ challenge: 'AA', allowCredentials: [{ type: 'public-key', id: '!!' }] });
  }, { expect: /^EncodingError$/ }),
  c('static: options parsed from JSON create a credential', (h) =>
    h.create(PublicKeyCredential.parseCreationOptionsFromJSON({ rp: { name: 'x' }, user: { id: 'AQID', name: 'a', displayName: 'a' }, challenge: 'AAAA', pubKeyCredParams: [{ type: 'public-key', alg: -7 }], extensions: { credProps: true } })),
  { expect: OK }),
  c('json: registration toJSON() has the browser\u2019s shape', async (h) => {
    const o = h.creation();
    o.extensions = { credProps: true };
    const credential = (await navigator.credentials.create({ publicKey: o })) as PublicKeyCredential;
    return (window as unknown as { __shapeOf(v: unknown): string }).__shapeOf(credential.toJSON());
  }, { expect: /clientExtensionResults/ }),
  c('json: assertion toJSON() has the browser\u2019s shape', async (h) => {
    const credential = (await navigator.credentials.get({ publicKey: await h.requestFor() })) as PublicKeyCredential;
    return (window as unknown as { __shapeOf(v: unknown): string }).__shapeOf(credential.toJSON());
  }, { expect: /userHandle/ }),
];

/** The frame members of the clientDataJSON of a credential made or used in the page. */
const CLIENT_DATA_FRAME_MEMBERS = `JSON.stringify((({ origin, crossOrigin, topOrigin }) => ({ origin: origin.replace(/:\\d+$/, ''), crossOrigin, topOrigin: topOrigin && topOrigin.replace(/:\\d+$/, '') }))(JSON.parse(new TextDecoder().decode(credential.response.clientDataJSON))))`;

const frames: DifferentialCase[] = [
  c('frame: create in a same-origin iframe', (h) => h.create(h.creation()), { frame: 'same', expect: OK }),
  c('frame: create in a cross-origin iframe without permission', (h) => h.create(h.creation()), { frame: 'cross', expect: /^NotAllowedError$/ }),
  c('frame: get in a cross-origin iframe without permission', (h) => { const o = h.request(); delete o.rpId; return h.get(o); }, { frame: 'cross', expect: /^NotAllowedError$/ }),
  c('frame: create in a cross-origin iframe with allow=', (h) => h.create(h.creation()), { frame: 'cross-allowed', expect: OK }),
  c(
    'frame: clientDataJSON of a create in a cross-origin iframe with allow= names crossOrigin and topOrigin',
    new Function('h', `return navigator.credentials.create({ publicKey: h.creation() }).then((credential) => ${CLIENT_DATA_FRAME_MEMBERS});`) as Run,
    { frame: 'cross-allowed', expect: /"crossOrigin":true,"topOrigin":"http:\/\/localhost"/ },
  ),
  c(
    'frame: get in a cross-origin iframe with allow=',
    new Function('h', `return h.register().then((id) => navigator.credentials.get({ publicKey: { challenge: new Uint8Array(32), allowCredentials: [{ type: 'public-key', id }], timeout: 10000 } })).then((credential) => ${CLIENT_DATA_FRAME_MEMBERS});`) as Run,
    { frame: 'cross-allowed', expect: /"crossOrigin":true/ },
  ),
];

export { shapeOf };

export const differentialCases: DifferentialCase[] = [
  ...staticsAndJSON,
  ...frames,
  ...createArguments,
  ...algorithmOrders,
  ...selections,
  ...exclusions,
  ...createTimeoutsAndAborts,
  ...createExtensions,
  ...getCases,
];
