/**
 * The error catalogue: every way a ceremony can fail, mapped to the DOMException
 * name the page gets (WebAuthn L3 §5.1.3 / §5.1.4, and Chromium's behaviour where
 * the spec leaves room) and to a plain-language explanation with a fix. The client
 * raises these; diagnostics (`src/diagnostics/explain.ts`) reads the same table, also for
 * failures that happened in the browser's own WebAuthn, where Latchkey only sees the
 * DOMException and the request.
 */

export type PageErrorName =
  | 'NotAllowedError'
  | 'SecurityError'
  | 'InvalidStateError'
  | 'NotSupportedError'
  | 'AbortError'
  | 'TypeError'
  | 'EncodingError'
  | 'ConstraintError'
  | 'SyntaxError'
  | 'UnknownError';

interface FailureEntry {
  name: PageErrorName;
  /** What happened, in words a user or a help desk understands. */
  explanation: string;
  /** What to do about it. */
  fix: string;
}

export const FAILURES = {
  'malformed-options': {
    name: 'TypeError',
    explanation: 'The site passed WebAuthn options that are missing a required member or have one of the wrong type.',
    fix: 'This is a bug in the site; its developers should check the options against the WebAuthn specification.',
  },
  'user-id-length': {
    name: 'TypeError',
    explanation: 'The site gave a user.id that is empty or longer than 64 bytes.',
    fix: 'The site must use a user handle of 1 to 64 bytes.',
  },
  'no-supported-credential-type': {
    name: 'NotSupportedError',
    explanation: 'None of the credential types the site asked for is "public-key".',
    fix: 'The site must list at least one {type: "public-key"} entry in pubKeyCredParams.',
  },
  'no-common-algorithm': {
    name: 'NotAllowedError',
    explanation: 'Latchkey supports none of the signature algorithms the site accepts.',
    fix: 'Use another device or security key, or ask the site to accept ES256 (-7).',
  },
  'extension-not-supported': {
    name: 'NotSupportedError',
    explanation: 'The site combined extension inputs that the WebAuthn specification does not allow together (or in this ceremony).',
    fix: 'This is a bug in the site; its developers should check the prf/largeBlob inputs against the WebAuthn specification.',
  },
  'extension-syntax': {
    name: 'SyntaxError',
    explanation: 'The site named a credential in prf.evalByCredential that is not base64url or not in allowCredentials.',
    fix: 'This is a bug in the site: evalByCredential keys must be base64url ids of credentials listed in allowCredentials.',
  },
  'opaque-origin': {
    name: 'NotAllowedError',
    explanation: 'The request came from a document with an opaque origin (a sandboxed frame or data: URL).',
    fix: 'Passkeys can only be used from a page with a real https (or localhost) origin.',
  },
  'insecure-origin': {
    name: 'SecurityError',
    explanation: 'The page is not served over https (or from localhost), so it may not use passkeys.',
    fix: 'Open the site over https.',
  },
  'rp-id-mismatch': {
    name: 'SecurityError',
    explanation: 'The site asked for a passkey for a relying party ID that is neither its own domain nor a registrable suffix of it.',
    fix: 'This is a configuration error on the site: its rpId must be its own domain or a parent domain that is not a public suffix.',
  },
  'credential-excluded': {
    name: 'InvalidStateError',
    explanation: 'You already have a passkey for this account in Latchkey; the site listed it as already registered.',
    fix: 'Sign in with the passkey you have, or delete it in Latchkey first if the site no longer knows it.',
  },
  'no-credentials': {
    name: 'NotAllowedError',
    explanation:
      'There is no passkey for this account on this device: it was never registered here, it is on another device, or it was removed at the site (an orphaned passkey).',
    fix: 'Use another device or security key that holds the passkey, or register a passkey for this site first; remove an orphaned one in Latchkey.',
  },
  'user-cancelled': {
    name: 'NotAllowedError',
    explanation: 'The request was cancelled in the Latchkey prompt, or the prompt was closed.',
    fix: 'Try again and choose "Save passkey" or an account in the prompt.',
  },
  'timed-out': {
    name: 'NotAllowedError',
    explanation: 'Nobody answered the Latchkey prompt before the site\u2019s timeout ran out.',
    fix: 'Try again and answer the prompt sooner.',
  },
  'user-verification-unavailable': {
    name: 'NotAllowedError',
    explanation: 'The site requires user verification, which Latchkey does with its PIN, and no PIN is set (or your organisation requires one).',
    fix: 'Set a PIN in the Latchkey popup, or use another device or security key that can verify you.',
  },
  aborted: {
    name: 'AbortError',
    explanation: 'The site cancelled its own request (AbortSignal).',
    fix: 'Nothing to do: the site stopped waiting, usually because another sign-in method was chosen.',
  },
  'request-pending': {
    name: 'NotAllowedError',
    explanation:
      'Another passkey request from this page was still waiting for an answer in Latchkey\u2019s window; a page gets one at a time.',
    fix: 'Answer or close the open Latchkey window, then try again.',
  },
  'cross-origin-iframe': {
    name: 'NotAllowedError',
    explanation:
      'The request came from a frame of another origin than the page around it, and the page did not allow passkeys in that frame.',
    fix: 'The site must add allow="publickey-credentials-create; publickey-credentials-get" to the iframe (and the Permissions-Policy header must not forbid it).',
  },
  'related-origins': {
    name: 'SecurityError',
    explanation:
      'The site asked for a passkey of another domain (its rpId), which is only allowed when that domain\u2019s https://<rpId>/.well-known/webauthn file lists this origin, and the file is missing or does not list it.',
    fix: 'The site must list this origin in the "origins" of https://<rpId>/.well-known/webauthn, or use its own domain as the rpId.',
  },
  'conditional-pending': {
    name: 'NotAllowedError',
    explanation:
      'A passkey autofill request (mediation "conditional") is still waiting for you to pick a passkey from the sign-in field; it ends only when you pick one or the site aborts it.',
    fix: 'Click the username field and choose a passkey, or use the site\u2019s "Sign in with a passkey" button.',
  },
  'cross-device-failed': {
    name: 'NotAllowedError',
    explanation:
      'Signing in with another device (a phone by QR code) or a security key did not complete. Cross-device sign-in needs Bluetooth switched on and an internet connection on both this computer and the phone.',
    fix: 'Switch on Bluetooth on both devices, check both are online, keep the phone near the computer and try again; or save a passkey on this device.',
  },
  'browser-failed': {
    name: 'NotAllowedError',
    explanation: 'The browser\u2019s own WebAuthn refused the request.',
    fix: 'Try again; if it repeats, send the Latchkey diagnostics report to support.',
  },
  'injected-by-tester': {
    name: 'UnknownError',
    explanation: 'Tester mode was told to make this ceremony fail.',
    fix: 'Nothing is wrong: a test injected this failure through Latchkey\u2019s testing API.',
  },
  'resident-key-unsupported': {
    name: 'NotAllowedError',
    explanation: 'The site requires a discoverable credential (residentKey: "required"), and the authenticator cannot store one.',
    fix: 'Use an authenticator that keeps discoverable credentials, or ask the site to accept a server-side credential.',
  },
  internal: {
    name: 'UnknownError',
    explanation: 'Latchkey failed unexpectedly while handling the request.',
    fix: 'Try again; if it repeats, open the Latchkey diagnostics and send the report to support.',
  },
} as const satisfies Record<string, FailureEntry>;

export type FailureCode = keyof typeof FAILURES;

/** A ceremony failure the page will see as `FAILURES[code].name`. */
export class CeremonyError extends Error {
  readonly code: FailureCode;
  /** `name` overrides the catalogue's only for failures a tester injects on purpose. */
  constructor(code: FailureCode, detail?: string, name?: PageErrorName) {
    super(detail ? `${FAILURES[code].explanation} (${detail})` : FAILURES[code].explanation);
    this.code = code;
    this.name = code === 'injected-by-tester' && name ? name : FAILURES[code].name;
  }
}
