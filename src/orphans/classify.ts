import type { Evidence, EvidenceKind, Health } from './evidence';

/**
 * The rules that turn a passkey's evidence log into its health. Only evidence after the last
 * clearing entry counts:
 *
 * - **orphaned** when any strong entry stands: the site said it does not know the passkey
 *   (signalUnknownCredential), left it out of its accepted list (signalAllAcceptedCredentials),
 *   or registered the same account again without listing it in excludeCredentials (an empty
 *   list included: a site that still knew it would have listed it, or — without a list — an
 *   authenticator following CTAP would have overwritten it).
 *   Orphaned passkeys are hidden from sign-in (WebAuthn L3 §5.1.10: the authenticator "SHOULD"
 *   hide it) — hidden, never deleted.
 * - **suspected** when only weak entries stand: a user-first sign-in named none of Latchkey's
 *   passkeys for the site, or the site asked again right after this passkey signed in.
 *   Suspected passkeys stay in sign-in with a warning.
 * - **ok** otherwise. Clearing entries: the site listed the passkey (accepted list,
 *   excludeCredentials or allowCredentials), or the user chose to show it again.
 */
export const STRONG: ReadonlySet<EvidenceKind> = new Set(['signal-unknown', 'not-in-accepted-list', 'missing-from-exclude-list']);
export const WEAK: ReadonlySet<EvidenceKind> = new Set(['missing-from-allow-list', 'asked-again-after-use']);
export const CLEARING: ReadonlySet<EvidenceKind> = new Set([
  'in-accepted-list',
  'in-exclude-list',
  'in-allow-list',
  'cleared-by-user',
]);

const REASONS: Record<EvidenceKind, string> = {
  'signal-unknown': 'The site said it no longer knows this passkey.',
  'not-in-accepted-list': 'The site left this passkey out of the list of passkeys it accepts for this account.',
  'missing-from-exclude-list': 'The site registered this account again without listing this passkey among the ones it knows.',
  'missing-from-allow-list': 'The site asked for passkeys of this account and named none of Latchkey\u2019s.',
  'asked-again-after-use': 'The site asked for a passkey again right after this one was used: it may have rejected it.',
  'in-accepted-list': 'The site listed this passkey as accepted.',
  'in-exclude-list': 'The site listed this passkey as registered.',
  'in-allow-list': 'The site asked for this passkey.',
  'cleared-by-user': 'You chose to show this passkey in sign-in again.',
};

export interface HealthVerdict {
  health: Health;
  /** The entry that decided it (null when there is none). */
  decidedBy: Evidence | null;
  /** In plain words. */
  reason: string;
}

export function classify(entries: readonly Evidence[]): HealthVerdict {
  let standing = entries;
  for (let index = entries.length - 1; index >= 0; index--) {
    if (CLEARING.has(entries[index]!.kind)) {
      standing = entries.slice(index + 1);
      break;
    }
  }
  const strong = standing.findLast((entry) => STRONG.has(entry.kind));
  if (strong) return { health: 'orphaned', decidedBy: strong, reason: REASONS[strong.kind] };
  const weak = standing.findLast((entry) => WEAK.has(entry.kind));
  if (weak) return { health: 'suspected', decidedBy: weak, reason: REASONS[weak.kind] };
  return { health: 'ok', decidedBy: null, reason: 'Nothing suggests the site has forgotten this passkey.' };
}
