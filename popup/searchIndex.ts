import type { PasskeyView } from '../src/webauthn/messages';

/**
 * filterPasskeys' rule (every word of the query in the site, account or name,
 * ignoring case) with the lower-cased text of each passkey computed once per
 * list instead of once per keystroke, so filtering 10,000 passkeys is one
 * `includes` per word and passkey.
 */
export function createSearchIndex(passkeys: readonly PasskeyView[]): (query: string) => PasskeyView[] {
  const haystacks = passkeys.map((passkey) =>
    [passkey.rpId, passkey.userName, passkey.userDisplayName, passkey.name].join('\n').toLocaleLowerCase(),
  );
  let previous: { words: string[]; hits: number[] } | null = null;
  return (query) => {
    const words = query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
    if (words.length === 0) {
      previous = null;
      return [...passkeys];
    }
    // Typing narrows: when each new word extends an old one, only the old hits need checking.
    const narrowing =
      previous !== null && previous.words.length <= words.length && previous.words.every((word, i) => words[i]!.includes(word));
    const candidates = narrowing ? previous!.hits : haystacks.map((_, i) => i);
    const hits = candidates.filter((i) => words.every((word) => haystacks[i]!.includes(word)));
    previous = { words, hits };
    return hits.map((i) => passkeys[i]!);
  };
}
