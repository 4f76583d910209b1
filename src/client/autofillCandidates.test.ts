import { describe, expect, it } from 'vitest';
import type { HealthVerdict } from '../orphans/classify';
import { autofillCandidates } from './autofillCandidates';

const verdict = (health: HealthVerdict['health']): HealthVerdict => ({ health, decidedBy: null, reason: health });

describe('autofillCandidates (passkeys a conditional request offers)', () => {
  const records = [
    { id: 'disc-ok', discoverable: true },
    { id: 'disc-suspected', discoverable: true },
    { id: 'disc-orphaned', discoverable: true },
    { id: 'server-side', discoverable: false },
  ];
  const verdicts = new Map([
    ['disc-suspected', verdict('suspected')],
    ['disc-orphaned', verdict('orphaned')],
  ]);

  it('with an empty allowCredentials offers the discoverable passkeys, suspected ones included, orphaned ones not', () => {
    expect(autofillCandidates(records, [], verdicts).map((record) => record.id)).toEqual(['disc-ok', 'disc-suspected']);
  });

  it('with a list offers only the listed passkeys, discoverable or not', () => {
    expect(autofillCandidates(records, ['server-side', 'disc-ok', 'unknown'], verdicts).map((record) => record.id)).toEqual([
      'disc-ok',
      'server-side',
    ]);
  });

  it('never offers an orphaned passkey, even when the site lists it', () => {
    expect(autofillCandidates(records, ['disc-orphaned'], verdicts)).toEqual([]);
  });
});
