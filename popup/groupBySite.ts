import type { PasskeyView } from '../src/webauthn/messages';

export type ListItem = { kind: 'site'; key: string; rpId: string; count: number } | { kind: 'passkey'; key: string; passkey: PasskeyView };

/** Site headers and rows for a list already sorted by site (sortPasskeys). */
export function groupBySite(passkeys: readonly PasskeyView[]): ListItem[] {
  const items: ListItem[] = [];
  let header: Extract<ListItem, { kind: 'site' }> | undefined;
  for (const passkey of passkeys) {
    if (header === undefined || header.rpId !== passkey.rpId) {
      const next: Extract<ListItem, { kind: 'site' }> = { kind: 'site', key: `site:${passkey.rpId}`, rpId: passkey.rpId, count: 0 };
      items.push(next);
      header = next;
    }
    header.count++;
    items.push({ kind: 'passkey', key: passkey.id, passkey });
  }
  return items;
}
