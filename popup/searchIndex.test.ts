import { describe, expect, it } from 'vitest';
import type { PasskeyView } from '../src/webauthn/messages';
import { filterPasskeys } from './filterPasskeys';
import { createSearchIndex } from './searchIndex';

const passkey = (id: string, rpId: string, userName: string, name = ''): PasskeyView => ({
  id,
  rpId,
  userName,
  userDisplayName: '',
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
});

const all = Array.from({ length: 300 }, (_, i) => passkey(`p${i}`, `site${i % 17}.example`, `user${i}`, i % 5 === 0 ? 'Work' : 'Home'));

describe('createSearchIndex', () => {
  it('finds what filterPasskeys finds, for narrowing, widening and unrelated queries in a row', () => {
    const search = createSearchIndex(all);
    for (const query of ['s', 'si', 'site1', 'site1 work', 'site1 wor', 'user2', '', 'HOME user1', 'nothing', 'user']) {
      expect(search(query).map((p) => p.id)).toEqual(filterPasskeys(all, query).map((p) => p.id));
    }
  });
});
