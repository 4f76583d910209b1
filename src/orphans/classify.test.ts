import { describe, expect, it } from 'vitest';
import { classify } from './classify';
import type { Evidence, EvidenceKind } from './evidence';

const log = (...kinds: EvidenceKind[]): Evidence[] => kinds.map((kind, at) => ({ kind, at, origin: 'https://example.com' }));

describe('classify: a passkey\u2019s health from its evidence', () => {
  it('no evidence is ok', () => {
    expect(classify([]).health).toBe('ok');
  });

  it.each<EvidenceKind>(['signal-unknown', 'not-in-accepted-list', 'missing-from-exclude-list'])(
    '%s alone makes it orphaned',
    (kind) => {
      const verdict = classify(log(kind));
      expect(verdict.health).toBe('orphaned');
      expect(verdict.decidedBy?.kind).toBe(kind);
      expect(verdict.reason).not.toBe('');
    },
  );

  it.each<EvidenceKind>(['missing-from-allow-list', 'asked-again-after-use'])('%s alone makes it only suspected', (kind) => {
    expect(classify(log(kind)).health).toBe('suspected');
  });

  it('strong evidence outweighs weak evidence, whatever the order', () => {
    expect(classify(log('signal-unknown', 'missing-from-allow-list')).health).toBe('orphaned');
    expect(classify(log('missing-from-allow-list', 'signal-unknown')).health).toBe('orphaned');
  });

  it.each<EvidenceKind>(['in-accepted-list', 'in-exclude-list', 'in-allow-list', 'cleared-by-user'])(
    '%s clears what came before it (a hide is reversible)',
    (kind) => {
      expect(classify(log('not-in-accepted-list', 'missing-from-allow-list', kind)).health).toBe('ok');
    },
  );

  it('evidence after a clearing entry counts again', () => {
    expect(classify(log('signal-unknown', 'in-accepted-list', 'not-in-accepted-list')).health).toBe('orphaned');
    expect(classify(log('signal-unknown', 'cleared-by-user', 'asked-again-after-use')).health).toBe('suspected');
  });
});
