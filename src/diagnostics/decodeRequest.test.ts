import { describe, expect, it } from 'vitest';
import { decodeRequest } from './decodeRequest';

describe('decodeRequest', () => {
  it('a create: rp, user, lengths, lists, algorithms and the effective defaults', () => {
    expect(
      decodeRequest({
        kind: 'create',
        requestId: 'r',
        mediation: undefined,
        options: {
          rp: { name: 'Example' },
          user: { id: 'AQIDBA', name: 'alice', displayName: 'Alice' },
          challenge: 'AAAAAAAAAAAAAAAAAAAAAA',
          pubKeyCredParams: [
            { type: 'public-key', alg: -7 },
            { type: 'public-key', alg: -257 },
          ],
          excludeCredentials: [{ type: 'public-key', id: 'Y3JlZA' }],
          authenticatorSelection: { requireResidentKey: true },
          extensions: { credProps: true },
          timeout: 60_000,
        },
      }),
    ).toEqual({
      rpId: null,
      rpName: 'Example',
      userName: 'alice',
      userDisplayName: 'Alice',
      userId: 'AQIDBA',
      userIdLength: 4,
      challengeLength: 16,
      excludeCredentials: ['Y3JlZA'],
      algorithms: [-7, -257],
      residentKey: 'required',
      userVerification: 'preferred',
      attestation: 'none',
      mediation: 'optional',
      timeout: 60_000,
      extensions: ['credProps'],
    });
  });

  it('a get and a signal', () => {
    expect(
      decodeRequest({
        kind: 'get',
        requestId: 'r',
        mediation: 'conditional',
        options: { challenge: 'AAAA', rpId: 'example.org', userVerification: 'required' },
      }),
    ).toEqual({
      rpId: 'example.org',
      challengeLength: 3,
      allowCredentials: [],
      userVerification: 'required',
      mediation: 'conditional',
      extensions: [],
    });
    expect(
      decodeRequest({ kind: 'signal-unknown-credential', requestId: 'r', rpId: 'example.org', credentialId: 'Y3JlZA' }),
    ).toEqual({
      rpId: 'example.org',
      credentialIds: ['Y3JlZA'],
    });
  });
});
