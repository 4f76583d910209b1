import type { CeremonyRecord } from './record';

/** A record as the worker writes it, for tests: a failed get() at https://example.org. */
export function testRecord(overrides: Partial<CeremonyRecord> = {}): CeremonyRecord {
  return {
    key: '1/0/doc/req-1',
    requestId: 'req-1',
    operation: 'get',
    startedAt: Date.UTC(2026, 0, 1),
    durationMs: 12,
    tabId: 1,
    frameId: 0,
    topOrigin: 'https://example.org',
    origin: 'https://example.org',
    sameOriginWithAncestors: true,
    request: {
      rpId: 'example.org',
      challengeLength: 32,
      allowCredentials: [],
      userVerification: 'preferred',
      mediation: 'optional',
      extensions: [],
    },
    answeredBy: 'latchkey',
    outcome: { status: 'error', name: 'NotAllowedError', message: 'no', code: 'no-credentials' },
    ...overrides,
  };
}
