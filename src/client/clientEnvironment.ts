import type { AuthenticatorEnvironment } from '../authenticator/types';
import type { OrphanDetector } from '../orphans/detector';

/** What the client needs besides the authenticator's environment. */
export interface ClientEnvironment extends AuthenticatorEnvironment {
  /** Told what relying parties send about the passkeys they know (absent in tests that do not need it). */
  orphans?: OrphanDetector;
}

/** Evidence gathering must never fail a ceremony: a detector error only loses that evidence. */
export async function observe(work: Promise<void> | undefined): Promise<void> {
  await work?.catch(() => undefined);
}
