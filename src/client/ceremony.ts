import { AnotherAuthenticatorChosen, CtapError, type CtapStatus } from '../authenticator/types';
import { CeremonyError, type FailureCode } from '../webauthn/errors';

/** Who is asking, as the browser reported it (MessageSender), never as the page claimed. */
export interface CallerContext {
  /** The requesting frame's origin. */
  origin: string;
  /** The top-level origin of the tab. */
  topOrigin: string;
  /** False when any ancestor frame is of another origin. */
  sameOriginWithAncestors: boolean;
}

/** What the client hands back to the page. */
export type CeremonyOutcome<T> = { kind: 'credential'; credential: T } | { kind: 'fallback' };

export { clampTimeout, TIMEOUT_RANGE } from '../webauthn/timeout';

/**
 * Whether to ask the authenticator for user verification: always for "required", for
 * "preferred" when it can verify, never for "discouraged" (or a value the client does not know).
 */
export function wantsUserVerification(requirement: string | undefined, userVerificationAvailable: boolean): boolean {
  const value = requirement ?? 'preferred';
  return value === 'required' || (value === 'preferred' && userVerificationAvailable);
}

const CTAP_FAILURES: Record<CtapStatus, FailureCode> = {
  CTAP2_ERR_CREDENTIAL_EXCLUDED: 'credential-excluded',
  CTAP2_ERR_UNSUPPORTED_ALGORITHM: 'no-common-algorithm',
  CTAP2_ERR_OPERATION_DENIED: 'user-cancelled',
  CTAP2_ERR_NO_CREDENTIALS: 'no-credentials',
  CTAP2_ERR_UNSUPPORTED_OPTION: 'user-verification-unavailable',
  CTAP2_ERR_KEEPALIVE_CANCEL: 'user-cancelled',
  CTAP2_ERR_PUAT_REQUIRED: 'user-verification-unavailable',
  CTAP1_ERR_INVALID_PARAMETER: 'internal',
};

class TimeoutReached extends Error {}

/**
 * Runs one authenticator operation under the ceremony's timeout and the page's abort signal,
 * and turns every way it can end into a CeremonyOutcome or a CeremonyError.
 */
export async function runCeremony<R, T>(
  timeoutMs: number,
  pageSignal: AbortSignal | undefined,
  operation: (signal: AbortSignal) => Promise<R>,
  toCredential: (result: R) => T | Promise<T>,
): Promise<CeremonyOutcome<T>> {
  if (pageSignal?.aborted) throw new CeremonyError('aborted');
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new TimeoutReached()), timeoutMs);
  const onPageAbort = () => controller.abort(pageSignal?.reason);
  pageSignal?.addEventListener('abort', onPageAbort, { once: true });
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
  });
  try {
    const result = await Promise.race([operation(controller.signal), aborted]);
    return { kind: 'credential', credential: await toCredential(result) };
  } catch (error) {
    if (error instanceof AnotherAuthenticatorChosen) return { kind: 'fallback' };
    if (error instanceof CeremonyError) throw error;
    if (error instanceof CtapError) throw new CeremonyError(CTAP_FAILURES[error.status], error.message);
    if (controller.signal.aborted) {
      throw new CeremonyError(controller.signal.reason instanceof TimeoutReached ? 'timed-out' : 'aborted');
    }
    throw new CeremonyError('internal', error instanceof Error ? error.message : String(error));
  } finally {
    clearTimeout(timer);
    pageSignal?.removeEventListener('abort', onPageAbort);
  }
}
