import type { HealthVerdict } from '../orphans/classify';
import type { PasskeyView } from '../webauthn/messages';
import type { CredentialMetadata } from './vaultDatabase';

/** What extension pages may see of a passkey: never key material or the user handle. */
export function toPasskeyView(record: CredentialMetadata, verdict?: HealthVerdict): PasskeyView {
  return {
    id: record.id,
    rpId: record.rpId,
    userName: record.userName,
    userDisplayName: record.userDisplayName,
    name: record.name,
    algorithm: record.algorithm,
    discoverable: record.discoverable,
    backupEligible: record.backupEligible,
    backupState: record.backupState,
    signCount: record.signCount,
    createdAt: record.createdAt,
    lastUsedAt: record.lastUsedAt,
    health: verdict?.health ?? 'ok',
    healthReason: verdict?.reason ?? '',
  };
}
