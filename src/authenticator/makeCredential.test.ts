import { describe, expect, it } from 'vitest';
import { approve, fedRandomBytes, scriptedUser, testEnvironment } from '../../test/authenticatorEnvironment';
import { verifyES256 } from '../../test/verifyES256';
import { toBase64url } from '../webauthn/base64url';
import { parseAuthenticatorData } from '../webauthn/authenticatorData';
import { sha256, utf8 } from '../webauthn/bytes';
import { decode } from '../webauthn/cbor';
import { coseKeyAlgorithm } from '../webauthn/cose';
import { es256 } from './keys';
import { makeCredential } from './makeCredential';
import { AnotherAuthenticatorChosen, type MakeCredentialRequest } from './types';

const userId = new Uint8Array([1, 2, 3, 4]);

function request(overrides: Partial<MakeCredentialRequest> = {}): MakeCredentialRequest {
  return {
    clientDataHash: sha256(utf8('{"type":"webauthn.create"}')),
    rp: { id: 'example.org', name: 'Example' },
    user: { id: userId, name: 'ada@example.org', displayName: 'Ada' },
    pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
    options: { rk: true, uv: false },
    ...overrides,
  };
}

const ctap = (status: string) => expect.objectContaining({ name: 'CtapError', status });

describe('makeCredential', () => {
  it('creates an ES256 credential, stores it and attests with "none"', async () => {
    const ui = scriptedUser(approve());
    const env = testEnvironment({ ui });
    const result = await makeCredential(env, request());

    expect(result.algorithm).toBe(-7);
    expect(result.credentialId).toHaveLength(32);
    expect(result.residentKey).toBe(true);

    const authData = parseAuthenticatorData(result.authenticatorData);
    expect(authData.rpIdHash).toEqual(sha256(utf8('example.org')));
    expect(authData.flags).toBe(0x41); // UP | AT
    expect(authData.signCount).toBe(0);
    expect(authData.attestedCredentialData).toEqual({
      aaguid: env.aaguid,
      credentialId: result.credentialId,
      credentialPublicKey: result.publicKeyCose,
    });

    const attestationObject = decode(result.attestationObject) as Map<string, unknown>;
    expect(attestationObject).toEqual(new Map<string, unknown>([['fmt', 'none'], ['attStmt', new Map()], ['authData', result.authenticatorData]]));

    const record = await env.store.get(toBase64url(result.credentialId));
    expect(record).toMatchObject({
      credentialId: result.credentialId,
      rpId: 'example.org',
      userHandle: userId,
      userName: 'ada@example.org',
      userDisplayName: 'Ada',
      name: 'Example (ada@example.org)',
      algorithm: -7,
      publicKeyCose: result.publicKeyCose,
      signCount: 0,
      discoverable: true,
      backupEligible: false,
      backupState: false,
      lastUsedAt: null,
    });

    expect(ui.prompts).toEqual([
      {
        kind: 'request-new-credential',
        rpId: 'example.org',
        rpName: 'Example',
        userName: 'ada@example.org',
        userDisplayName: 'Ada',
        suggestedName: 'Example (ada@example.org)',
        userVerification: false,
      },
    ]);
  });

  it('returns an SPKI public key that verifies the new private key', async () => {
    const env = testEnvironment({ ui: scriptedUser(approve()) });
    const result = await makeCredential(env, request());
    const record = (await env.store.get(toBase64url(result.credentialId)))!;
    const message = new Uint8Array([1, 2, 3]);
    expect(await verifyES256(result.publicKeySpki, await es256.sign(record.privateKeyPkcs8, message), message)).toBe(true);
  });

  it('draws the private key first, then the credential id', async () => {
    const privateKey = new Uint8Array(32).fill(7);
    const credentialId = new Uint8Array(32).fill(9);
    const env = testEnvironment({ ui: scriptedUser(approve()), randomBytes: fedRandomBytes(privateKey, credentialId) });
    const result = await makeCredential(env, request());
    expect(result.credentialId).toEqual(credentialId);
  });

  it('sets UV only when the user was verified', async () => {
    const verified = await makeCredential(testEnvironment({ ui: scriptedUser(approve(true)) }), request({ options: { rk: true, uv: true } }));
    expect(verified.authenticatorData[32]).toBe(0x45);
    const unverified = await makeCredential(testEnvironment({ ui: scriptedUser(approve(false)) }), request());
    expect(unverified.authenticatorData[32]).toBe(0x41);
  });

  it('ends with CTAP2_ERR_OPERATION_DENIED when verification was required and not done, storing nothing', async () => {
    const env = testEnvironment({ ui: scriptedUser(approve(false)) });
    await expect(makeCredential(env, request({ options: { rk: true, uv: true } }))).rejects.toThrow(ctap('CTAP2_ERR_OPERATION_DENIED'));
    expect(await env.store.list()).toEqual([]);
  });

  it('refuses uv when the authenticator cannot verify users, before prompting', async () => {
    const ui = scriptedUser();
    const env = testEnvironment({ ui, userVerificationAvailable: false });
    await expect(makeCredential(env, request({ options: { rk: true, uv: true } }))).rejects.toThrow(ctap('CTAP2_ERR_UNSUPPORTED_OPTION'));
    expect(ui.prompts).toEqual([]);
  });

  it('takes the first supported public-key algorithm in the RP order', async () => {
    const env = testEnvironment({ ui: scriptedUser(approve()) });
    const result = await makeCredential(
      env,
      request({
        pubKeyCredParams: [
          { type: 'public-key', alg: -35 },
          { type: 'future-type', alg: -7 },
          { type: 'public-key', alg: -257 },
          { type: 'public-key', alg: -7 },
        ],
      }),
    );
    expect(result.algorithm).toBe(-257);
  });

  it.each([
    [[-7, -8, -257], -7],
    [[-8, -7, -257], -8],
    [[-257, -8, -7], -257],
  ])('with pubKeyCredParams %j makes a %i credential whose COSE key names that algorithm', async (algs, expected) => {
    const env = testEnvironment({ ui: scriptedUser(approve()) });
    const result = await makeCredential(env, request({ pubKeyCredParams: algs.map((alg) => ({ type: 'public-key', alg })) }));
    expect(result.algorithm).toBe(expected);
    expect(coseKeyAlgorithm(result.publicKeyCose)).toBe(expected);
  });

  it('ends with CTAP2_ERR_UNSUPPORTED_ALGORITHM when no algorithm is supported, before prompting', async () => {
    const ui = scriptedUser();
    const env = testEnvironment({ ui });
    const params = [{ type: 'public-key', alg: -35 }, { type: 'public-key', alg: -36 }];
    await expect(makeCredential(env, request({ pubKeyCredParams: params }))).rejects.toThrow(ctap('CTAP2_ERR_UNSUPPORTED_ALGORITHM'));
    await expect(makeCredential(env, request({ pubKeyCredParams: [] }))).rejects.toThrow(ctap('CTAP2_ERR_UNSUPPORTED_ALGORITHM'));
    expect(ui.prompts).toEqual([]);
  });

  it('ends a cancel with CTAP2_ERR_OPERATION_DENIED and "use another device" with AnotherAuthenticatorChosen', async () => {
    const env = testEnvironment({ ui: scriptedUser({ outcome: 'cancel' }, { outcome: 'use-another-authenticator' }) });
    await expect(makeCredential(env, request())).rejects.toThrow(ctap('CTAP2_ERR_OPERATION_DENIED'));
    await expect(makeCredential(env, request())).rejects.toThrow(AnotherAuthenticatorChosen);
    expect(await env.store.list()).toEqual([]);
  });

  it('stores nothing when the client cancelled while the user was deciding', async () => {
    const controller = new AbortController();
    const env = testEnvironment({
      ui: scriptedUser(() => {
        controller.abort();
        return { outcome: 'approve', verified: false };
      }),
    });
    await expect(makeCredential(env, request({ signal: controller.signal }))).rejects.toThrow(ctap('CTAP2_ERR_KEEPALIVE_CANCEL'));
    expect(await env.store.list()).toEqual([]);
  });

  it('uses the name the user gave, and the RP id when the RP has no name', async () => {
    const named = testEnvironment({ ui: scriptedUser({ outcome: 'approve', verified: false, name: '  Work laptop ' }) });
    const result = await makeCredential(named, request());
    expect((await named.store.get(toBase64url(result.credentialId)))!.name).toBe('Work laptop');

    const ui = scriptedUser(approve());
    await makeCredential(testEnvironment({ ui }), request({ rp: { id: 'example.org', name: '' } }));
    expect(ui.prompts[0]).toMatchObject({ suggestedName: 'example.org (ada@example.org)' });
  });

  describe('excludeList', () => {
    async function withExisting(otherRp = false) {
      const env = testEnvironment({ ui: scriptedUser(approve()) });
      const existing = await makeCredential(env, request({ rp: { id: otherRp ? 'other.example' : 'example.org', name: 'Example' } }));
      return { env, excludeList: [{ type: 'public-key', id: existing.credentialId }] };
    }

    it('tells the user, then ends with CTAP2_ERR_CREDENTIAL_EXCLUDED once they acknowledge', async () => {
      const { env, excludeList } = await withExisting();
      const ui = scriptedUser(approve());
      env.ui = ui;
      await expect(makeCredential(env, request({ excludeList }))).rejects.toThrow(ctap('CTAP2_ERR_CREDENTIAL_EXCLUDED'));
      expect(ui.prompts).toEqual([
        expect.objectContaining({ kind: 'inform-excluded-credential-found', rpId: 'example.org', credential: expect.objectContaining({ id: toBase64url(excludeList[0]!.id) }) }),
      ]);
      expect(await env.store.list()).toHaveLength(1);
    });

    it('ends with CTAP2_ERR_OPERATION_DENIED when the user does not consent', async () => {
      const { env, excludeList } = await withExisting();
      env.ui = scriptedUser({ outcome: 'cancel' });
      await expect(makeCredential(env, request({ excludeList }))).rejects.toThrow(ctap('CTAP2_ERR_OPERATION_DENIED'));
    });

    it('ignores credentials of another RP and descriptors of another type', async () => {
      const { env, excludeList } = await withExisting(true);
      env.ui = scriptedUser(approve());
      const sameRp = await makeCredential(env, request({ excludeList }));
      env.ui = scriptedUser(approve());
      const unknownType = [{ type: 'future-type', id: sameRp.credentialId }];
      await makeCredential(env, request({ excludeList: unknownType, options: { rk: false, uv: false } }));
      expect(await env.store.list()).toHaveLength(3);
    });
  });

  describe('resident credentials', () => {
    it('replace an existing discoverable credential of the same RP and user, and only that one', async () => {
      const env = testEnvironment({ ui: scriptedUser(approve(), approve(), approve(), approve()) });
      const first = await makeCredential(env, request());
      const nonDiscoverable = await makeCredential(env, request({ options: { rk: false, uv: false } }));
      const otherUser = await makeCredential(env, request({ user: { id: new Uint8Array([5]), name: 'bob', displayName: 'Bob' } }));
      const second = await makeCredential(env, request());

      const ids = (await env.store.list()).map((record) => record.id);
      expect(ids).toEqual([second, otherUser, nonDiscoverable].map((result) => toBase64url(result.credentialId)));
      expect(ids).not.toContain(toBase64url(first.credentialId));
    });

    it('are not replaced by a non-discoverable credential', async () => {
      const env = testEnvironment({ ui: scriptedUser(approve(), approve()) });
      await makeCredential(env, request());
      const result = await makeCredential(env, request({ options: { rk: false, uv: false } }));
      expect(result.residentKey).toBe(false);
      expect((await env.store.list()).map((record) => record.discoverable)).toEqual([false, true]);
    });
  });

  describe('backup flags and counter', () => {
    it('marks a backup-eligible credential BE and BS, and gives it no counter', async () => {
      const env = testEnvironment({ ui: scriptedUser(approve()), backupEligible: true });
      const result = await makeCredential(env, request());
      expect(result.authenticatorData[32]).toBe(0x59);
      expect(await env.store.get(toBase64url(result.credentialId))).toMatchObject({ backupEligible: true, backupState: true, signCount: null });
    });

    it('can start a backup-eligible credential as not yet backed up (BE without BS)', async () => {
      const env = testEnvironment({ ui: scriptedUser(approve()), backupEligible: true, backupState: false });
      expect((await makeCredential(env, request())).authenticatorData[32]).toBe(0x49);
    });

    it('never sets BS without BE', async () => {
      const env = testEnvironment({ ui: scriptedUser(approve()), backupEligible: false, backupState: true });
      expect((await makeCredential(env, request())).authenticatorData[32]).toBe(0x41);
    });
  });
});
