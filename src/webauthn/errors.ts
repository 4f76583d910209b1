/**
 * The error catalogue: every way a ceremony can fail, mapped to the DOMException
 * name the page gets (WebAuthn L3 §5.1.3 / §5.1.4, and Chromium's behaviour where
 * the spec leaves room) and to a plain-language explanation with a fix. The client
 * raises these; diagnostics will read the same table.
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
    explanation: 'Latchkey has no passkey for this site (or none of the ones the site asked for).',
    fix: 'Use another device or security key, or register a passkey for this site first.',
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
