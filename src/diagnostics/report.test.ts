import { describe, expect, it } from 'vitest';
import { webauthnTestVector } from '../../test/vectors';
import { toBase64url } from '../webauthn/base64url';
import { buildReport, hashIdentifier, parseReport } from './report';
import { testRecord } from './testRecord';

const { registration } = webauthnTestVector('none.ES256');
const credentialId = toBase64url(registration.credential_id!);
const userHandle = 'dXNlci1oYW5kbGUtb2YtYWxpY2U';

const registered = testRecord({
  key: '1/0/d/create',
  operation: 'create',
  request: {
    rpId: 'example.org',
    userName: 'alice@example.org',
    userDisplayName: 'Alice Liddell',
    userId: userHandle,
    userIdLength: 20,
    challengeLength: 32,
    excludeCredentials: ['b2xkLXBhc3NrZXk'],
    algorithms: [-7],
    residentKey: 'required',
    userVerification: 'preferred',
    attestation: 'none',
    mediation: 'optional',
    extensions: [],
  },
  outcome: {
    status: 'success',
    response: {
      id: credentialId,
      rawId: credentialId,
      type: 'public-key',
      response: {
        clientDataJSON: toBase64url(registration.clientDataJSON!),
        attestationObject: toBase64url(registration.attestationObject!),
      },
    },
  },
});
const failedSignIn = testRecord({
  key: '1/0/d/get',
  request: { ...testRecord().request, allowCredentials: [credentialId] },
  context: { passkeysForRp: [{ credentialId, health: 'orphaned', reason: 'The site said it no longer knows this passkey.' }] },
});
const secrets = ['alice@example.org', 'Alice Liddell', userHandle, credentialId, 'b2xkLXBhc3NrZXk'];

describe('the diagnostics report', () => {
  it('is redacted by default: no name, user handle or credential ID, hashed where they were', () => {
    const report = buildReport([registered, failedSignIn], { now: Date.UTC(2026, 0, 2) });
    const text = JSON.stringify(report);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(report.redacted).toBe(true);
    expect(report.entries[0]!.record.request.userName).toBe(hashIdentifier('alice@example.org'));
    expect(report.entries[0]!.decoded!.attestationObject!.authData.attestedCredentialData!.credentialId).toEqual({
      base64url: hashIdentifier(credentialId),
      length: registration.credential_id!.length,
    });
    // The same passkey hashes alike everywhere, so support can follow it from entry to entry.
    expect(report.entries[1]!.explanation.evidence.join('\n')).toContain(hashIdentifier(credentialId));
    // What is not identifying stays readable.
    expect(report.entries[0]!.decoded!.attestationObject!.fmt).toBe('none');
    expect(report.entries[0]!.decoded!.clientData!.origin).toBe('https://example.org');
  });

  it('includes names and IDs only when the user opts in', () => {
    const text = JSON.stringify(buildReport([registered], { now: 0, reveal: true }));
    for (const secret of ['alice@example.org', userHandle, credentialId]) expect(text).toContain(secret);
  });

  it('has a text summary on top naming each call and why it failed', () => {
    const { summary } = buildReport([registered, failedSignIn], { now: Date.UTC(2026, 0, 2) });
    const lines = summary.split('\n');
    expect(lines[0]).toBe('Latchkey diagnostics report, 2026-01-02T00:00:00.000Z: 2 call(s), 1 failed.');
    expect(lines[2]).toMatch(/create at https:\/\/example.org .* succeeded$/);
    expect(lines[3]).toMatch(
      /get at https:\/\/example.org .* failed with NotAllowedError — There is no passkey for this account on this device/,
    );
  });

  it('round-trips through a file: what is opened is what was exported', () => {
    const report = buildReport([registered, failedSignIn], { now: 0 });
    expect(parseReport(JSON.stringify(report, null, 2))).toEqual(report);
  });

  it('refuses a file that is not a report, in plain words', () => {
    expect(() => parseReport('not json')).toThrow(/not JSON/);
    expect(() => parseReport('{"format":"something-else"}')).toThrow(/not a Latchkey diagnostics report/);
  });
});
