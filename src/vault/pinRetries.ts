/**
 * Wrong-PIN rate limiting, after CTAP 2.1 §6.5.2.2 ("pinRetries"): "the
 * authenticator MUST maintain a pinRetries counter [...] initialized to a
 * maximum value of 8", and once it reaches 0 the PIN is blocked. A software
 * authenticator can add what a token gets from needing a power cycle after 3
 * consecutive wrong PINs: a growing wait. Entering the passphrase (which
 * unlocks everything the PIN does and more) resets the count.
 */
export const MAX_PIN_FAILURES = 8;
/** Wrong PINs allowed in a row before each further try waits. */
const FREE_FAILURES = 3;
const FIRST_WAIT_MS = 1_000;

/** How long to wait after `failures` wrong PINs before the next try: 0, 0, 0, 1 s, 2 s, 4 s, 8 s, 16 s. */
export function pinBackoffMs(failures: number): number {
  return failures < FREE_FAILURES ? 0 : FIRST_WAIT_MS * 2 ** (failures - FREE_FAILURES);
}

export type PinCheck =
  | { ok: true }
  | { ok: false; reason: 'wrong'; triesLeft: number; retryAfterMs: number }
  /** Too soon after a wrong PIN: the PIN was not even tried. */
  | { ok: false; reason: 'wait'; triesLeft: number; retryAfterMs: number }
  /** Eight wrong PINs: blocked until the passphrase is entered. */
  | { ok: false; reason: 'blocked' }
  | { ok: false; reason: 'no-pin' };

export function describePinCheck(check: Exclude<PinCheck, { ok: true }>): string {
  switch (check.reason) {
    case 'wrong':
      return `Wrong PIN. ${check.triesLeft} ${check.triesLeft === 1 ? 'try' : 'tries'} left${
        check.retryAfterMs > 0 ? `; wait ${Math.ceil(check.retryAfterMs / 1000)} s before the next` : ''
      }.`;
    case 'wait':
      return `Too many wrong PINs: wait ${Math.ceil(check.retryAfterMs / 1000)} s, then try again (${check.triesLeft} left).`;
    case 'blocked':
      return 'The PIN is blocked after 8 wrong tries, and Latchkey has locked. Unlock it with your passphrase to use the PIN again.';
    case 'no-pin':
      return 'No PIN is set. Set one in the Latchkey popup.';
  }
}
