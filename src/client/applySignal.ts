import type { CredentialStore } from '../vault/credentialRecord';
import type { OrphanDetector } from '../orphans/detector';
import { fromBase64url } from '../webauthn/base64url';
import { equalBytes } from '../webauthn/bytes';
import type { PageRequest } from '../webauthn/messages';
import type { CallerContext } from './ceremony';
import { resolveRpId } from './rpId';

export type SignalRequest = Extract<
  PageRequest,
  { kind: 'signal-unknown-credential' | 'signal-all-accepted-credentials' | 'signal-current-user-details' }
>;

/**
 * The Signal API's client steps (WebAuthn L3 §5.1.10): "If rpId is not a registrable domain
 * suffix of and is not equal to the caller's effective domain, throw a SecurityError" — then
 * the authenticator acts on it. The page's promise says nothing about what was found or changed.
 */
export async function applySignal(
  request: SignalRequest,
  caller: CallerContext,
  /** The vault's store while it is unlocked; null while locked (a rename then waits for another signal). */
  store: CredentialStore | null,
  orphans: OrphanDetector,
): Promise<void> {
  const rpId = resolveRpId(caller.origin, request.rpId);
  switch (request.kind) {
    case 'signal-unknown-credential':
      // "the authenticator SHOULD hide or remove the credential": Latchkey hides it; the user removes it.
      await orphans.signalUnknownCredential({ rpId, credentialId: request.credentialId, origin: caller.origin });
      return;
    case 'signal-all-accepted-credentials':
      await orphans.signalAllAcceptedCredentials({
        rpId,
        userHandle: fromBase64url(request.userId),
        acceptedIds: request.allAcceptedCredentialIds,
        origin: caller.origin,
      });
      return;
    case 'signal-current-user-details': {
      // "update the name and displayName of every credential with the given rpId and user handle".
      if (!store) return;
      const userHandle = fromBase64url(request.userId);
      const matching = (await store.listByRpId(rpId)).filter((record) => equalBytes(record.userHandle, userHandle));
      for (const record of matching) {
        await store.update(record.id, (current) => ({
          ...current,
          userName: request.name,
          userDisplayName: request.displayName,
        }));
      }
      return;
    }
  }
}
