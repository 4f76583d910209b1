import { describe, expect, it } from 'vitest';
import { approve, scriptedUser, testEnvironment } from '../../test/authenticatorEnvironment';
import { verifyES256 } from '../../test/verifyES256';
import { toBase64url } from '../webauthn/base64url';
import { parseAuthenticatorData } from '../webauthn/authenticatorData';
import { concat, sha256, utf8 } from '../webauthn/bytes';
import { getAssertion } from './getAssertion';
import { makeCredential } from './makeCredential';
import { AnotherAuthenticatorChosen, type AuthenticatorEnvironment, type GetAssertionRequest, type MakeCredentialResult } from './types';

const clientDataHash = sha256(utf8('{"type":"webauthn.get"}'));
const ctap = (status: string) => expect.objectContaining({ name: 'CtapError', status });

function request(overrides: Partial<GetAssertionRequest> = {}): GetAssertionRequest {
  return { rpId: 'example.org', clientDataHash, options: { up: true, uv: false }, ...overrides };
}

async function register(
  env: AuthenticatorEnvironment,
  { rk = true, rpId = 'example.org', user = 1 }: { rk?: boolean; rpId?: string; user?: number } = {},
): Promise<MakeCredentialResult> {
  const ui = env.ui;
  env.ui = scriptedUser(approve());
  const result = await makeCredential(env, {
    clientDataHash: sha256(utf8('create')),
    rp: { id: rpId, name: rpId },
    user: { id: new Uint8Array([user]), name: `user${user}`, displayName: `User ${user}` },
    pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
    options: { rk, uv: false },
  });
  env.ui = ui;
  return result;
}

const allow = (...results: MakeCredentialResult[]) => results.map((result) => ({ type: 'public-key', id: result.credentialId }));

describe('getAssertion', () => {
  it('counts 1, 2, 3 for a device-bound credential, persists the count, and tells the truth in its flags', async () => {
    const env = testEnvironment();
    const created = await register(env);
    env.ui = scriptedUser(approve(false), approve(true), approve(false));

    const flagsSeen: number[] = [];
    for (const expected of [1, 2, 3]) {
      const uv = expected === 2;
      const result = await getAssertion(env, request({ options: { up: true, uv } }));
      const authData = parseAuthenticatorData(result.authenticatorData);
      expect(authData.signCount).toBe(expected);
      expect(authData.attestedCredentialData).toBeUndefined();
      expect((await env.store.get(toId(created)))!.signCount).toBe(expected);
      flagsSeen.push(authData.flags);
      expect(await verifyES256(created.publicKeySpki, result.signature, concat(result.authenticatorData, clientDataHash))).toBe(true);
    }
    // UP always; UV only on the verified second assertion; never AT, BE or BS.
    expect(flagsSeen).toEqual([0x01, 0x05, 0x01]);
  });

  it('returns the credential id and user handle and records when the credential was used', async () => {
    const env = testEnvironment({ ui: scriptedUser(approve()) });
    const created = await register(env, { user: 42 });
    const before = (await env.store.get(toId(created)))!;
    const result = await getAssertion(env, request());
    expect(result.credentialId).toEqual(created.credentialId);
    expect(result.userHandle).toEqual(new Uint8Array([42]));
    const after = (await env.store.get(toId(created)))!;
    expect(after.lastUsedAt).toBeGreaterThan(before.createdAt);
  });

  it('keeps a counter-less credential at 0 and reports its backup flags', async () => {
    const env = testEnvironment({ backupEligible: true, ui: scriptedUser(approve(), approve()) });
    await register(env);
    for (let i = 0; i < 2; i++) {
      const authData = parseAuthenticatorData((await getAssertion(env, request())).authenticatorData);
      expect(authData.signCount).toBe(0);
      expect(authData.flags).toBe(0x19);
    }
  });

  it('spends the counter value before signing, so a failed signature never lets it be reused', async () => {
    const env = testEnvironment({ ui: scriptedUser(approve()) });
    const created = await register(env);
    await env.store.update(toId(created), (record) => ({ ...record, privateKeyPkcs8: new Uint8Array([0]) }));
    await expect(getAssertion(env, request())).rejects.toThrow();
    expect((await env.store.get(toId(created)))!.signCount).toBe(1);
  });

  describe('candidates', () => {
    it('offers only the allowList credentials of this RP, discoverable or not', async () => {
      const ui = scriptedUser(approve());
      const env = testEnvironment({ ui });
      const resident = await register(env, { user: 1 });
      const serverSide = await register(env, { rk: false, user: 2 });
      const unlisted = await register(env, { user: 3 });
      const otherRp = await register(env, { rpId: 'other.example', user: 4 });
      await getAssertion(env, request({ allowList: allow(resident, serverSide, otherRp) }));
      const offered = ui.prompts[0]!.kind === 'request-existing-credential' ? ui.prompts[0]!.candidates.map((c) => c.id) : [];
      expect(offered.sort()).toEqual([toId(resident), toId(serverSide)].sort());
      expect(offered).not.toContain(toId(unlisted));
    });

    it('offers only discoverable credentials when the allowList is empty, newest first', async () => {
      const ui = scriptedUser(approve(), approve());
      const env = testEnvironment({ ui });
      const older = await register(env, { user: 1 });
      await register(env, { rk: false, user: 2 });
      const newer = await register(env, { user: 3 });
      await getAssertion(env, request());
      await getAssertion(env, request({ allowList: [] }));
      for (const prompt of ui.prompts) {
        expect(prompt).toMatchObject({ kind: 'request-existing-credential', rpId: 'example.org', userVerification: false });
        expect(prompt.kind === 'request-existing-credential' && prompt.candidates.map((c) => c.id)).toEqual([toId(newer), toId(older)]);
      }
    });

    it('does not fall back to discoverable credentials when no allowList entry is usable', async () => {
      const env = testEnvironment({ ui: scriptedUser({ outcome: 'cancel' }) });
      const created = await register(env);
      const unknownType = [{ type: 'future-type', id: created.credentialId }];
      await expect(getAssertion(env, request({ allowList: unknownType }))).rejects.toThrow(ctap('CTAP2_ERR_NO_CREDENTIALS'));
    });

    it('tells the user when there is none, then ends with CTAP2_ERR_NO_CREDENTIALS', async () => {
      const ui = scriptedUser({ outcome: 'approve', verified: false });
      const env = testEnvironment({ ui });
      await register(env, { rk: false });
      await expect(getAssertion(env, request())).rejects.toThrow(ctap('CTAP2_ERR_NO_CREDENTIALS'));
      expect(ui.prompts).toEqual([{ kind: 'inform-no-credentials-found', rpId: 'example.org' }]);
    });

    it('lets the user turn to another device when there is none', async () => {
      const env = testEnvironment({ ui: scriptedUser({ outcome: 'use-another-authenticator' }) });
      await expect(getAssertion(env, request())).rejects.toThrow(AnotherAuthenticatorChosen);
    });
  });

  describe('the user’s answer', () => {
    it('must name one of the offered credentials', async () => {
      const env = testEnvironment();
      const otherRp = await register(env, { rpId: 'other.example' });
      await register(env);
      env.ui = scriptedUser({ outcome: 'approve', verified: false, credentialId: toId(otherRp) }, { outcome: 'approve', verified: false });
      // A credential of another RP, then no credential at all.
      await expect(getAssertion(env, request())).rejects.toThrow(ctap('CTAP1_ERR_INVALID_PARAMETER'));
      await expect(getAssertion(env, request())).rejects.toThrow(ctap('CTAP1_ERR_INVALID_PARAMETER'));
    });

    it('ends a cancel with CTAP2_ERR_OPERATION_DENIED and "use another device" with AnotherAuthenticatorChosen, counting nothing', async () => {
      const env = testEnvironment();
      const created = await register(env);
      env.ui = scriptedUser({ outcome: 'cancel' }, { outcome: 'use-another-authenticator' });
      await expect(getAssertion(env, request())).rejects.toThrow(ctap('CTAP2_ERR_OPERATION_DENIED'));
      await expect(getAssertion(env, request())).rejects.toThrow(AnotherAuthenticatorChosen);
      expect((await env.store.get(toId(created)))!.signCount).toBe(0);
    });

    it('must include user verification when it was required', async () => {
      const env = testEnvironment({ ui: scriptedUser(approve(false)) });
      const created = await register(env);
      await expect(getAssertion(env, request({ options: { up: true, uv: true } }))).rejects.toThrow(ctap('CTAP2_ERR_OPERATION_DENIED'));
      expect((await env.store.get(toId(created)))!.signCount).toBe(0);
    });

    it('counts nothing when the client cancelled while the user was deciding', async () => {
      const controller = new AbortController();
      const env = testEnvironment();
      const created = await register(env);
      env.ui = scriptedUser(() => {
        controller.abort();
        return { outcome: 'approve', verified: false, credentialId: toId(created) };
      });
      await expect(getAssertion(env, request({ signal: controller.signal }))).rejects.toThrow(ctap('CTAP2_ERR_KEEPALIVE_CANCEL'));
      expect((await env.store.get(toId(created)))!.signCount).toBe(0);
    });
  });

  describe('options', () => {
    it('refuses uv when the authenticator cannot verify users', async () => {
      const env = testEnvironment({ userVerificationAvailable: false });
      await register(env);
      await expect(getAssertion(env, request({ options: { up: true, uv: true } }))).rejects.toThrow(ctap('CTAP2_ERR_UNSUPPORTED_OPTION'));
    });

    it('refuses uv without up', async () => {
      const env = testEnvironment();
      await register(env);
      await expect(getAssertion(env, request({ options: { up: false, uv: true } }))).rejects.toThrow(ctap('CTAP2_ERR_UNSUPPORTED_OPTION'));
    });

    it('asserts silently without up: no prompt, UP clear', async () => {
      const ui = scriptedUser();
      const env = testEnvironment({ ui });
      const created = await register(env);
      const result = await getAssertion(env, request({ options: { up: false, uv: false }, allowList: allow(created) }));
      expect(result.authenticatorData[32]).toBe(0x00);
      expect(ui.prompts).toEqual([]);
      await expect(getAssertion(env, request({ rpId: 'other.example', options: { up: false, uv: false } }))).rejects.toThrow(
        ctap('CTAP2_ERR_NO_CREDENTIALS'),
      );
      expect(ui.prompts).toEqual([]);
    });
  });

  it('with handOverWithoutCredentials and no matching credential, hands over at once without a prompt', async () => {
    const ui = scriptedUser();
    const env = testEnvironment({ ui });
    await expect(getAssertion(env, { ...request(), handOverWithoutCredentials: true })).rejects.toBeInstanceOf(AnotherAuthenticatorChosen);
    expect(ui.prompts).toEqual([]);
  });
});

function toId(result: MakeCredentialResult): string {
  return toBase64url(result.credentialId);
}
