import { describe, expect, it } from 'vitest';
import type { PasskeyView } from '../src/webauthn/messages';
import { filterPasskeys } from './filterPasskeys';

function passkey(id: string, rpId: string, userName: string, userDisplayName: string, name: string): PasskeyView {
  return {
    id,
    rpId,
    userName,
    userDisplayName,
    name,
    algorithm: -7,
    discoverable: true,
    backupEligible: false,
    backupState: false,
    signCount: 0,
    createdAt: 0,
    lastUsedAt: null,
    health: 'ok',
    healthReason: '',
  };
}

const all = [
  passkey('a', 'github.com', 'alice', 'Alice Smith', 'Work laptop'),
  passkey('b', 'login.microsoftonline.com', 'alice@contoso.com', 'Alice Smith', 'Latchkey on Linux'),
  passkey('c', 'example.com', 'bob@example.com', 'Bob', 'Phone'),
];
const ids = (list: PasskeyView[]) => list.map((p) => p.id);

describe('filterPasskeys', () => {
  it('keeps every passkey for an empty or blank query', () => {
    expect(ids(filterPasskeys(all, ''))).toEqual(['a', 'b', 'c']);
    expect(ids(filterPasskeys(all, '   '))).toEqual(['a', 'b', 'c']);
  });

  it('matches the site, the account and the name, ignoring case', () => {
    expect(ids(filterPasskeys(all, 'GITHUB'))).toEqual(['a']);
    expect(ids(filterPasskeys(all, 'bob@'))).toEqual(['c']);
    expect(ids(filterPasskeys(all, 'smith'))).toEqual(['a', 'b']);
    expect(ids(filterPasskeys(all, 'linux'))).toEqual(['b']);
  });

  it('needs every word of the query to match somewhere', () => {
    expect(ids(filterPasskeys(all, 'alice laptop'))).toEqual(['a']);
    expect(ids(filterPasskeys(all, 'alice phone'))).toEqual([]);
  });
});
