import type { PasskeyView } from '../src/webauthn/messages';

/** Site, then account, then oldest first: the order a person scans a list of sign-ins in. */
export function sortPasskeys(passkeys: readonly PasskeyView[]): PasskeyView[] {
  return [...passkeys].sort(
    (a, b) =>
      a.rpId.localeCompare(b.rpId) ||
      a.userName.localeCompare(b.userName) ||
      a.createdAt - b.createdAt,
  );
}
