/**
 * The WebAuthn client over the real authenticator and an in-memory store: what a page gets
 * for each kind of request, and what is stored.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ceremonyFailure } from '../../test/ceremonyFailure';
import { approve, fedRandomBytes, scriptedUser, testEnvironment as coreEnvironment } from '../../test/authenticatorEnvironment';
import { webauthnTestVector } from '../../test/vectors';
import { makeCredential } from '../authenticator/makeCredential';
import type { AuthenticatorEnvironment, UserInterface } from '../authenticator/types';
import { fromBase64url, toBase64url } from '../webauthn/base64url';
import { concat, sha256, toHex } from '../webauthn/bytes';
import { decode } from '../webauthn/cbor';
import { verifyES256 } from '../../test/verifyES256';
import type { PublicKeyCredentialCreationOptionsJSON } from '../webauthn/types';
import type { CallerContext } from './ceremony';
import { createCredential } from './createCredential';
import { getAssertion } from './getAssertion';

const caller: CallerContext = { origin: 'https://login.example.com', topOrigin: 'https://login.example.com', sameOriginWithAncestors: true };

function creationOptions(overrides: Partial<PublicKeyCredentialCreationOptionsJSON> = {}): PublicKeyCredentialCreationOptionsJSON {
  return {
    rp: { id: 'example.com', name: 'Example' },
    user: { id: toBase64url(new Uint8Array([1, 2, 3])), name: 'alice', displayName: 'Alice' },
    challenge: toBase64url(new Uint8Array(32).fill(7)),
    pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
    authenticatorSelection: { residentKey: 'required' },
    ...overrides,
  };
}


/** As in the extension today: no PIN or biometric, so no user verification. */
function testEnvironment(overrides: Partial<AuthenticatorEnvironment> = {}): AuthenticatorEnvironment {
  return coreEnvironment({ userVerificationAvailable: false, ...overrides });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('createCredential', () => {
  it('creates a discoverable ES256 credential whose clientDataJSON names the caller', async () => {
    const env = testEnvironment({ ui: scriptedUser(approve()) });
    const outcome = await createCredential(env, { options: creationOptions({ extensions: { credProps: true } }), caller });
    if (outcome.kind !== 'credential') throw new Error('expected a credential');
    const clientData = JSON.parse(new TextDecoder().decode(fromBase64url(outcome.credential.response.clientDataJSON)));
    expect(clientData).toEqual({
      type: 'webauthn.create',
      challenge: creationOptions().challenge,
      origin: 'https://login.example.com',
      crossOrigin: false,
    });
    expect(outcome.credential.clientExtensionResults).toEqual({ credProps: { rk: true } });
    expect(outcome.credential.response.publicKeyAlgorithm).toBe(-7);
    const [stored] = await env.store.listByRpId('example.com');
    expect(stored).toMatchObject({ id: outcome.credential.id, userName: 'alice', discoverable: true, signCount: 0 });
  });

  it('reports rk: false truthfully when the RP discourages a resident key', async () => {
    const env = testEnvironment({ ui: scriptedUser(approve()) });
    const outcome = await createCredential(env, {
      options: creationOptions({ authenticatorSelection: { residentKey: 'discouraged' }, extensions: { credProps: true } }),
      caller,
    });
    expect(outcome.kind === 'credential' && outcome.credential.clientExtensionResults).toEqual({ credProps: { rk: false } });
  });

  it.each([
    ['no authenticatorSelection', undefined, false],
    ['requireResidentKey true', { requireResidentKey: true }, true],
    ['an unknown residentKey value', { residentKey: 'sometimes' }, false],
    ['an unknown residentKey value with requireResidentKey', { residentKey: 'sometimes', requireResidentKey: true }, true],
    ['residentKey preferred', { residentKey: 'preferred' }, true],
  ])('with %s, makes a discoverable credential: %s (residentKey defaults as §5.4.4 says)', async (_, authenticatorSelection, rk) => {
    const env = testEnvironment({ ui: scriptedUser(approve()) });
    const outcome = await createCredential(env, { options: creationOptions({ authenticatorSelection, extensions: { credProps: true } }), caller });
    expect(outcome.kind === 'credential' && outcome.credential.clientExtensionResults).toEqual({ credProps: { rk } });
    expect((await env.store.list())[0]!.discoverable).toBe(rk);
  });

  it.each([
    ['none', 'none'],
    [undefined, 'none'],
    ['something-new', 'none'],
    ['indirect', 'packed'],
    ['direct', 'packed'],
    ['enterprise', 'packed'],
  ])('attestation %s gives the %s format; packed is a self attestation verifiable with the credential key', async (attestation, fmt) => {
    const env = testEnvironment({ ui: scriptedUser(approve()) });
    const outcome = await createCredential(env, { options: creationOptions({ attestation }), caller });
    if (outcome.kind !== 'credential') throw new Error('expected a credential');
    const attestationObject = decode(fromBase64url(outcome.credential.response.attestationObject)) as Map<string, unknown>;
    expect(attestationObject.get('fmt')).toBe(fmt);
    const attStmt = attestationObject.get('attStmt') as Map<string, unknown>;
    if (fmt === 'none') {
      expect(attStmt.size).toBe(0);
      return;
    }
    expect([...attStmt.keys()]).toEqual(['alg', 'sig']);
    expect(attStmt.get('alg')).toBe(-7);
    const signed = concat(fromBase64url(outcome.credential.response.authenticatorData), sha256(fromBase64url(outcome.credential.response.clientDataJSON)));
    expect(await verifyES256(fromBase64url(outcome.credential.response.publicKey!), attStmt.get('sig') as Uint8Array, signed)).toBe(true);
  });

  it('from a cross-origin iframe, sets crossOrigin and topOrigin', async () => {
    const env = testEnvironment({ ui: scriptedUser(approve()) });
    const framed: CallerContext = { origin: 'https://example.com', topOrigin: 'https://shop.test', sameOriginWithAncestors: false };
    const outcome = await createCredential(env, { options: creationOptions(), caller: framed });
    if (outcome.kind !== 'credential') throw new Error('expected a credential');
    const clientData = JSON.parse(new TextDecoder().decode(fromBase64url(outcome.credential.response.clientDataJSON)));
    expect(clientData).toMatchObject({ crossOrigin: true, topOrigin: 'https://shop.test' });
  });

  it.each([
    ['an empty user.id', 'TypeError', creationOptions({ user: { id: '', name: 'a', displayName: 'a' } })],
    ['a 65-byte user.id', 'TypeError', creationOptions({ user: { id: toBase64url(new Uint8Array(65)), name: 'a', displayName: 'a' } })],
    ['an rpId of another site', 'SecurityError', creationOptions({ rp: { id: 'example.org', name: 'x' } })],
    ['a public suffix as rpId', 'SecurityError', creationOptions({ rp: { id: 'com', name: 'x' } })],
    ['no public-key entry in pubKeyCredParams', 'NotSupportedError', creationOptions({ pubKeyCredParams: [{ type: 'password', alg: -7 }] })],
    ['only algorithms Latchkey cannot serve', 'NotAllowedError', creationOptions({ pubKeyCredParams: [{ type: 'public-key', alg: -35 }] })],
    ['userVerification required without a way to verify', 'NotAllowedError', creationOptions({ authenticatorSelection: { userVerification: 'required' } })],
  ])('%s gives %s and stores nothing', async (_, expected, options) => {
    const env = testEnvironment({ ui: scriptedUser(approve()), userVerificationAvailable: false });
    expect(await ceremonyFailure(createCredential(env, { options, caller }))).toBe(expected);
    expect(await env.store.list()).toEqual([]);
  });

  it('an empty pubKeyCredParams means ES256 and RS256, so ES256 is made', async () => {
    const env = testEnvironment({ ui: scriptedUser(approve()) });
    const outcome = await createCredential(env, { options: creationOptions({ pubKeyCredParams: [] }), caller });
    expect(outcome.kind === 'credential' && outcome.credential.response.publicKeyAlgorithm).toBe(-7);
  });

  it('an excluded credential gives InvalidStateError after the user is told, and stores nothing new', async () => {
    const env = testEnvironment({ ui: scriptedUser(approve(), approve()) });
    const first = await createCredential(env, { options: creationOptions(), caller });
    if (first.kind !== 'credential') throw new Error('expected a credential');
    const exclude = [{ type: 'public-key', id: first.credential.id }];
    expect(await ceremonyFailure(createCredential(env, { options: creationOptions({ excludeCredentials: exclude }), caller }))).toBe(
      'InvalidStateError',
    );
    expect((await env.store.list()).map((record) => record.id)).toEqual([first.credential.id]);
  });

  it('cancel in the prompt gives NotAllowedError', async () => {
    const env = testEnvironment({ ui: scriptedUser({ outcome: 'cancel' }) });
    expect(await ceremonyFailure(createCredential(env, { options: creationOptions(), caller }))).toBe('NotAllowedError');
  });

  it('"use another device or security key" hands the request back for the browser', async () => {
    const env = testEnvironment({ ui: scriptedUser({ outcome: 'use-another-authenticator' }) });
    expect(await createCredential(env, { options: creationOptions(), caller })).toEqual({ kind: 'fallback' });
    expect(await env.store.list()).toEqual([]);
  });

  it('an unanswered prompt ends in NotAllowedError at the (clamped) timeout', async () => {
    vi.useFakeTimers();
    const waiting: UserInterface = { prompt: () => new Promise(() => undefined) };
    const env = testEnvironment({ ui: waiting });
    const result = ceremonyFailure(createCredential(env, { options: creationOptions({ timeout: 1 }), caller }));
    await vi.advanceTimersByTimeAsync(9_999);
    await vi.advanceTimersByTimeAsync(1);
    expect(await result).toBe('NotAllowedError');
  });

  it('a page abort during the prompt gives AbortError and stores nothing', async () => {
    const controller = new AbortController();
    const waiting: UserInterface = {
      prompt: () => {
        controller.abort();
        return new Promise(() => undefined);
      },
    };
    const env = testEnvironment({ ui: waiting });
    expect(await ceremonyFailure(createCredential(env, { options: creationOptions(), caller, signal: controller.signal }))).toBe('AbortError');
    expect(await env.store.list()).toEqual([]);
  });
});

describe('getAssertion', () => {
  async function registered(env: AuthenticatorEnvironment): Promise<string> {
    env.ui = scriptedUser(approve());
    const outcome = await createCredential(env, { options: creationOptions(), caller });
    if (outcome.kind !== 'credential') throw new Error('expected a credential');
    return outcome.credential.id;
  }

  it('signs in username-less with the picked discoverable credential and returns its user handle', async () => {
    const env = testEnvironment();
    const id = await registered(env);
    env.ui = scriptedUser(approve());
    const outcome = await getAssertion(env, { options: { challenge: 'AAAA', rpId: 'example.com' }, caller });
    if (outcome.kind !== 'credential') throw new Error('expected a credential');
    expect(outcome.credential.id).toBe(id);
    expect(outcome.credential.response.userHandle).toBe(toBase64url(new Uint8Array([1, 2, 3])));
  });

  it('with an allowCredentials list naming none of its passkeys, answers NotAllowedError', async () => {
    const env = testEnvironment();
    await registered(env);
    env.ui = scriptedUser({ outcome: 'cancel' });
    const options = { challenge: 'AAAA', rpId: 'example.com', allowCredentials: [{ type: 'public-key', id: 'AQID' }] };
    expect(await ceremonyFailure(getAssertion(env, { options, caller }))).toBe('NotAllowedError');
  });

  it('refuses an rpId the origin may not claim with SecurityError, without asking the user', async () => {
    const env = testEnvironment();
    await registered(env);
    env.ui = scriptedUser();
    expect(await ceremonyFailure(getAssertion(env, { options: { challenge: 'AAAA', rpId: 'example.org' }, caller }))).toBe('SecurityError');
  });

  it('reproduces the none.ES256 authentication vector byte for byte through the whole client', async () => {
    const vector = webauthnTestVector('none.ES256');
    const { registration, authentication } = vector;
    // Registered through the authenticator with the vector's key, id and flags (UV, BE and BS set).
    const env = testEnvironment({
      aaguid: registration.aaguid!,
      userVerificationAvailable: true,
      backupEligible: true,
      randomBytes: fedRandomBytes(registration.credential_private_key!, registration.credential_id!),
      ui: scriptedUser(approve(true)),
    });
    await makeCredential(env, {
      clientDataHash: sha256(registration.clientDataJSON!),
      rp: { id: 'example.org', name: 'Example' },
      user: { id: new Uint8Array([1]), name: 'user', displayName: 'User' },
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
      options: { rk: true, uv: true },
    });
    // auth_data_UV_BS = 0x38: UV clear, BS set — the vector's clientData has no extraData (flags 0x4a).
    env.ui = scriptedUser(approve(false));
    const outcome = await getAssertion(env, {
      options: {
        challenge: toBase64url(authentication.challenge!),
        rpId: 'example.org',
        allowCredentials: [{ type: 'public-key', id: toBase64url(registration.credential_id!) }],
        userVerification: 'discouraged',
      },
      caller: { origin: 'https://example.org', topOrigin: 'https://example.org', sameOriginWithAncestors: true },
    });
    if (outcome.kind !== 'credential') throw new Error('expected a credential');
    expect(toHex(fromBase64url(outcome.credential.response.clientDataJSON))).toBe(toHex(authentication.clientDataJSON!));
    expect(toHex(fromBase64url(outcome.credential.response.authenticatorData))).toBe(toHex(authentication.authenticatorData!));
    expect(toHex(fromBase64url(outcome.credential.response.signature))).toBe(toHex(authentication.signature!));
  });
});
