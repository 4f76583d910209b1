import { describe, expect, it } from 'vitest';
import { FAILURES, type FailureCode } from '../webauthn/errors';
import { explain } from './explain';
import type { CeremonyRecord } from './record';
import { testRecord } from './testRecord';

const createRequest: CeremonyRecord['request'] = {
  rpId: 'example.org',
  userName: 'alice',
  userDisplayName: 'Alice',
  userId: 'AQID',
  userIdLength: 3,
  challengeLength: 32,
  excludeCredentials: ['Y3JlZA'],
  algorithms: [-257, -8],
  residentKey: 'required',
  userVerification: 'required',
  attestation: 'none',
  mediation: 'optional',
  extensions: [],
};

function failed(name: string, code?: FailureCode, overrides: Partial<CeremonyRecord> = {}): CeremonyRecord {
  return testRecord({ outcome: { status: 'error', name, message: `${name} message`, ...(code ? { code } : {}) }, ...overrides });
}

/** Each failure class: the record that shows it, and the catalogue entry explain() must name. */
const classes: [string, CeremonyRecord, FailureCode, RegExp][] = [
  ['user cancelled', failed('NotAllowedError', 'user-cancelled'), 'user-cancelled', /cancelled/],
  [
    'timed out',
    failed('NotAllowedError', 'timed-out', { request: { ...testRecord().request, timeout: 10_000 } }),
    'timed-out',
    /10000 ms/,
  ],
  [
    'rpId neither the origin\u2019s host nor a registrable suffix',
    failed('SecurityError', 'rp-id-mismatch', {
      origin: 'https://shop.example.org',
      request: { ...testRecord().request, rpId: 'example.com' },
    }),
    'rp-id-mismatch',
    /"example.com" is neither shop.example.org/,
  ],
  [
    'insecure context',
    failed('SecurityError', 'insecure-origin', { origin: 'http://127.0.0.1:8080' }),
    'insecure-origin',
    /IP address/,
  ],
  [
    'cross-origin iframe without the permissions policy (browser)',
    failed('NotAllowedError', undefined, {
      answeredBy: 'browser',
      origin: 'https://idp.example',
      sameOriginWithAncestors: false,
    }),
    'cross-origin-iframe',
    /https:\/\/idp.example, inside a page of https:\/\/example.org/,
  ],
  [
    'credential already registered',
    failed('InvalidStateError', 'credential-excluded', { operation: 'create', request: createRequest }),
    'credential-excluded',
    /1 passkey\(s\)/,
  ],
  [
    'credential already registered (browser)',
    failed('InvalidStateError', undefined, { answeredBy: 'browser', request: createRequest }),
    'credential-excluded',
    /excludeCredentials/,
  ],
  [
    'user verification unavailable',
    failed('NotAllowedError', 'user-verification-unavailable', { request: createRequest }),
    'user-verification-unavailable',
    /"required"/,
  ],
  [
    'resident key unsupported (browser)',
    failed('ConstraintError', undefined, { answeredBy: 'browser', request: createRequest }),
    'resident-key-unsupported',
    /residentKey is "required"/,
  ],
  [
    'no common algorithm',
    failed('NotAllowedError', 'no-common-algorithm', { request: createRequest }),
    'no-common-algorithm',
    /RS256 \(-257\), EdDSA \(-8\)/,
  ],
  [
    'related-origins file missing or not listing the origin (browser)',
    failed('SecurityError', undefined, {
      answeredBy: 'browser',
      origin: 'https://example.co.uk',
      request: { ...testRecord().request, rpId: 'example.com' },
    }),
    'related-origins',
    /well-known\/webauthn listing https:\/\/example.co.uk/,
  ],
  [
    'conditional request still pending',
    testRecord({
      answeredBy: 'browser',
      browserReason: 'pass-through',
      outcome: { status: 'pending' },
      request: { ...testRecord().request, mediation: 'conditional' },
    }),
    'conditional-pending',
    /"conditional"/,
  ],
  [
    'cross-device sign-in failed after "use another device"',
    failed('NotAllowedError', undefined, { answeredBy: 'browser', browserReason: 'user-chose-another-device' }),
    'cross-device-failed',
    /Use another device/,
  ],
];

describe('explain: each failure class maps to its catalogue entry with evidence', () => {
  it.each(classes)('%s', (_, record, code, evidence) => {
    const explanation = explain(record);
    expect(explanation.code).toBe(code);
    expect(explanation.cause).toBe(FAILURES[code].explanation);
    expect(explanation.fix).toBe(FAILURES[code].fix);
    expect(explanation.evidence.join('\n')).toMatch(evidence);
  });

  it('cross-device: the cause names Bluetooth and internet on both devices (the Entra known issue)', () => {
    const { cause } = explain(
      failed('NotAllowedError', undefined, { answeredBy: 'browser', browserReason: 'user-chose-another-device' }),
    );
    expect(cause).toMatch(/Bluetooth/);
    expect(cause).toMatch(/internet connection on both/);
  });

  it('no passkey for this account: not here at all', () => {
    const explanation = explain(testRecord({ context: { passkeysForRp: [] } }));
    expect(explanation.code).toBe('no-credentials');
    expect(explanation.evidence).toContain('Latchkey holds 0 passkey(s) for example.org (0 usable).');
    expect(explanation.evidence.join('\n')).toMatch(/on another device/);
  });

  it('no passkey for this account: orphaned, with the orphan detector\u2019s evidence', () => {
    const explanation = explain(
      testRecord({
        context: {
          passkeysForRp: [
            { credentialId: 'b3JwaGFu', health: 'orphaned', reason: 'The site said it no longer knows this passkey.' },
          ],
        },
      }),
    );
    expect(explanation.code).toBe('no-credentials');
    expect(explanation.evidence).toContain('Passkey b3JwaGFu is orphaned: The site said it no longer knows this passkey.');
    expect(explanation.evidence).toContain('Latchkey holds 1 passkey(s) for example.org (0 usable).');
  });

  it('a success and a plain pending call are not failures', () => {
    expect(explain(testRecord({ outcome: { status: 'success' } })).code).toBeNull();
    expect(explain(testRecord({ outcome: { status: 'pending' } })).code).toBeNull();
  });

  it('every catalogue entry has a cause and a fix in words', () => {
    for (const entry of Object.values(FAILURES)) {
      expect(entry.explanation.length).toBeGreaterThan(20);
      expect(entry.fix.length).toBeGreaterThan(10);
    }
  });
});
