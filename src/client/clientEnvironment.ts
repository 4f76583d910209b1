import {
  CtapError,
  SecurityKeyUsed,
  type AuthenticatorEnvironment,
  type GetAssertionRequest,
  type GetAssertionResult,
  type MakeCredentialRequest,
  type MakeCredentialResult,
} from '../authenticator/types';
import type { OrphanDetector } from '../orphans/detector';

/** What the client needs besides the authenticator's environment. */
export interface ClientEnvironment extends AuthenticatorEnvironment {
  /** Told what relying parties send about the passkeys they know (absent in tests that do not need it). */
  orphans?: OrphanDetector;
  /** USB security keys through the native bridge (src/native/), offered in the prompt; absent in tester mode. */
  securityKey?: SecurityKeyAuthenticator;
}

/** A ceremony on a security key: the same requests the software authenticator takes, with the PIN typed in the prompt. */
export interface SecurityKeyAuthenticator {
  /** Whether a key can be reached at all (the bridge is installed); asked only when Latchkey alone cannot serve the request. */
  isAvailable?(): Promise<boolean>;
  makeCredential(request: MakeCredentialRequest, pin: string | undefined, onTouch?: () => void): Promise<MakeCredentialResult>;
  getAssertion(request: GetAssertionRequest, pin: string | undefined, onTouch?: () => void): Promise<GetAssertionResult>;
}

/**
 * Runs `software` with the prompt's security-key hook wired to `onKey`: when the person chooses
 * the security key and it succeeds, the software authenticator stops (SecurityKeyUsed) and the
 * key's result is the ceremony's. Without a security key this is just `software(env)`.
 */
export async function withSecurityKey<R>(
  env: ClientEnvironment,
  onKey: ((key: SecurityKeyAuthenticator, pin: string | undefined, onTouch: () => void) => Promise<R>) | null,
  software: (env: ClientEnvironment) => Promise<R>,
): Promise<R> {
  const key = env.securityKey;
  if (!key || !onKey) return software(env);
  let result: { value: R } | null = null;
  const hook = async (pin: string | undefined, onTouch: () => void) => {
    result = { value: await onKey(key, pin, onTouch) };
  };
  const ui = {
    prompt: (request: Parameters<typeof env.ui.prompt>[0], signal?: AbortSignal) => env.ui.prompt(request, signal, hook),
  };
  const keyResultOr = (error: unknown): R => {
    const done = result as { value: R } | null;
    if (error instanceof SecurityKeyUsed && done) return done.value;
    throw error;
  };
  try {
    return await software({ ...env, ui });
  } catch (error) {
    // The site requires user verification and Latchkey has no PIN to do it, so Latchkey refuses
    // before any prompt. A security key verifies with its own PIN: when the bridge is there, the
    // prompt is shown after all (Latchkey's own choice in it still needs a Latchkey PIN, so it cannot succeed).
    const uvUnavailable =
      error instanceof CtapError && error.status === 'CTAP2_ERR_UNSUPPORTED_OPTION' && !env.userVerificationAvailable;
    if (uvUnavailable && (await key.isAvailable?.().catch(() => false))) {
      return software({ ...env, ui, userVerificationAvailable: true }).catch(keyResultOr);
    }
    return keyResultOr(error);
  }
}

/** Evidence gathering must never fail a ceremony: a detector error only loses that evidence. */
export async function observe(work: Promise<void> | undefined): Promise<void> {
  await work?.catch(() => undefined);
}
