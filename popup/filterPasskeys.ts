import type { PasskeyView } from '../src/webauthn/messages';

/**
 * The passkeys whose site (rpId), account (userName, userDisplayName) or name
 * contain every word of the query, ignoring case. An empty query keeps all.
 */
export function filterPasskeys(passkeys: readonly PasskeyView[], query: string): PasskeyView[] {
  const words = query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...passkeys];
  return passkeys.filter((passkey) => {
    const haystack = [passkey.rpId, passkey.userName, passkey.userDisplayName, passkey.name]
      .join('\n')
      .toLocaleLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}
