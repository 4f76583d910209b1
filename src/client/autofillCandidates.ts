import type { HealthVerdict } from '../orphans/classify';

/**
 * Shown whole and unobscured for at least this long before a trusted click, a pick in the
 * autofill dropdown counts as user presence; otherwise Latchkey's window confirms it.
 */
export const VISIBLE_BEFORE_PICK_MS = 500;

/**
 * The passkeys a conditional (autofill) request may offer. With an empty allowCredentials,
 * "the client … discovers credentials" (WebAuthn L3 §5.1.4.1), so only discoverable
 * passkeys of the rpId; with a list, only the listed ones. A passkey the orphan detector
 * judged orphaned is never offered (it is hidden, not deleted, as in the account picker).
 */
export function autofillCandidates<T extends { id: string; discoverable: boolean }>(
  records: readonly T[],
  allowIds: readonly string[],
  verdicts: ReadonlyMap<string, HealthVerdict>,
): T[] {
  const allowed = new Set(allowIds);
  return records.filter(
    (record) =>
      (allowed.size === 0 ? record.discoverable : allowed.has(record.id)) && verdicts.get(record.id)?.health !== 'orphaned',
  );
}
