/**
 * A ceremony answered by a virtual authenticator: its credentials, its abilities (resident
 * keys, user verification), its simulated user (presence and verification as the test set
 * them) and the failures the test injected.
 */
import type { UserDecision, UserInterface } from '../authenticator/types';
import type { ClientEnvironment } from '../client/clientEnvironment';
import { CeremonyError } from '../webauthn/errors';
import type { Hub, VirtualAuthenticatorView } from './hub';

function never(signal: AbortSignal | undefined): Promise<never> {
  // No simulated presence: like a person who never touches the key, until the ceremony times out.
  return new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason), { once: true }));
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });
}

function simulatedUser(hub: Hub, authenticator: VirtualAuthenticatorView): UserInterface {
  const { options } = authenticator;
  return {
    async prompt(request, signal) {
      // One injected failure per ceremony, taken at its first prompt.
      const injected = await hub.takeInjection(authenticator.authenticatorId);
      switch (injected?.kind) {
        case 'cancel':
          return { outcome: 'cancel' };
        case 'timeout':
          throw new CeremonyError('timed-out', 'injected by a test');
        case 'error':
          throw new CeremonyError('injected-by-tester', injected.message, injected.name);
        case 'delay':
          await sleep(injected.ms, signal);
          break;
        default:
          break;
      }
      if (!options.automaticPresenceSimulation) return never(signal);
      const verified = injected?.kind !== 'uv-fails' && options.hasUserVerification && options.isUserVerified;
      const decision: UserDecision =
        request.kind === 'request-existing-credential'
          ? { outcome: 'approve', verified, credentialId: request.candidates[0]?.id }
          : request.kind === 'inform-no-credentials-found'
            ? { outcome: 'cancel' }
            : { outcome: 'approve', verified };
      return decision;
    },
  };
}

export function virtualEnvironment(
  hub: Hub,
  authenticator: VirtualAuthenticatorView,
  base: Pick<ClientEnvironment, 'randomBytes' | 'now' | 'aaguid'>,
): ClientEnvironment {
  const { options, overrides } = authenticator;
  return {
    ...base,
    store: hub.storeFor(authenticator.authenticatorId),
    ui: simulatedUser(hub, authenticator),
    userVerificationAvailable: options.hasUserVerification,
    residentKeyAvailable: options.hasResidentKey,
    backupEligible: options.defaultBackupEligibility,
    backupState: options.defaultBackupState,
    responseOverrides: { badUP: overrides.isBadUP, badUV: overrides.isBadUV, bogusSignature: overrides.isBogusSignature },
  };
}
