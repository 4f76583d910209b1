/**
 * prf, largeBlob and credProps through the client: the spec's prf test vectors, each input
 * rule the spec names, and the outputs a page gets.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { approve, scriptedUser, testEnvironment } from '../../test/authenticatorEnvironment';
import { hmacSecretOutputs } from '../authenticator/hmacSecret';
import type { AuthenticatorEnvironment } from '../authenticator/types';
import { toBase64url } from '../webauthn/base64url';
import { concat, fromHex, sha256, toHex, utf8 } from '../webauthn/bytes';
import { CeremonyError } from '../webauthn/errors';
import type { ExtensionInputsJSON, PublicKeyCredentialCreationOptionsJSON } from '../webauthn/types';
import type { CallerContext } from './ceremony';
import { createCredential } from './createCredential';
import { assertionExtensions, creationExtensions, prfSalts } from './extensions';
import { getAssertion } from './getAssertion';

/** The CTAP2 hmac-secret examples of the spec's prf test vectors, by name (the first value of each name). */
function prfCtapVectors(): Record<string, Uint8Array> {
  const text = readFileSync(fileURLToPath(new URL('../../../shared/vectors/webauthn-l3-test-vectors.bs', import.meta.url)), 'utf8');
  const section = text.slice(text.indexOf('#### CTAP2 `hmac-secret` extension'));
  const values: Record<string, Uint8Array> = {};
  for (const match of section.matchAll(/^\s*(\w+) = h'([0-9a-f]+)'/gm)) values[match[1]!] ??= fromHex(match[2]!);
  return values;
}

const caller: CallerContext = { origin: 'https://example.com', topOrigin: 'https://example.com', sameOriginWithAncestors: true };
const b64 = (bytes: Uint8Array | number[]) => toBase64url(new Uint8Array(bytes));

describe('prf: the spec test vectors', () => {
  const vectors = prfCtapVectors();
  const seed = utf8('WebAuthn PRF test vectors');

  it('the vectors are the ones the spec derives from its seed', () => {
    expect(toHex(vectors.prf_eval_first!)).toBe(toHex(concat(seed, new Uint8Array([2]))));
    expect(toHex(vectors.authenticator_cred_random!)).toBe(toHex(sha256(concat(seed, new Uint8Array([6])))));
  });

  it('salt1 and salt2 are SHA-256("WebAuthn PRF" || 0x00 || input)', () => {
    const [salt1, salt2] = prfSalts({ first: b64(vectors.prf_eval_first!), second: b64(vectors.prf_eval_second!) });
    expect(toHex(salt1)).toBe(toHex(vectors.salt1!));
    expect(toHex(salt2!)).toBe(toHex(vectors.salt2!));
  });

  it('hmac-secret outputs are HMAC-SHA-256(CredRandom, salt): output1 and output2', () => {
    const [output1, output2] = hmacSecretOutputs(vectors.authenticator_cred_random!, [vectors.salt1!, vectors.salt2!]);
    expect(toHex(output1!)).toBe(toHex(vectors.output1!));
    expect(toHex(output2!)).toBe(toHex(vectors.output2!));
    expect(toHex(output1!)).toBe(toHex(vectors.prf_results_first!));
  });

  it('the evalByCredential key of the WebAuthn examples is base64url(SHA-256("WebAuthn PRF test vectors" || 0x00))', () => {
    expect(toBase64url(sha256(concat(seed, new Uint8Array([0]))))).toBe('e02eZ9lPp0UdkF4vGRO4-NxlhWBkL1FCmsmb1tTfRyE');
  });
});

function expectCeremonyError(run: () => unknown, name: string): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CeremonyError);
    expect((error as CeremonyError).name).toBe(name);
    return;
  }
  throw new Error(`expected ${name}`);
}

describe('extension input rules', () => {
  const allowed = [{ type: 'public-key', id: 'e02eZ9lPp0UdkF4vGRO4-NxlhWBkL1FCmsmb1tTfRyE' }];
  const values = { first: b64([1, 2, 3, 4]) };

  it.each<[string, ExtensionInputsJSON]>([
    ['prf.evalByCredential', { prf: { evalByCredential: { AAAA: values } } }],
    ['largeBlob.read', { largeBlob: { read: true } }],
    ['largeBlob.write', { largeBlob: { support: 'preferred', write: 'AAAA' } }],
  ])('at registration, %s is NotSupportedError', (_, inputs) => {
    expectCeremonyError(() => creationExtensions(inputs), 'NotSupportedError');
  });

  it.each<[string, ExtensionInputsJSON, typeof allowed, string]>([
    ['evalByCredential without allowCredentials', { prf: { evalByCredential: { [allowed[0]!.id]: values } } }, [], 'NotSupportedError'],
    ['an evalByCredential key that is empty', { prf: { evalByCredential: { '': values } } }, allowed, 'SyntaxError'],
    ['an evalByCredential key that is not base64url', { prf: { evalByCredential: { 'no!': values } } }, allowed, 'SyntaxError'],
    ['an evalByCredential key naming no allowed credential', { prf: { evalByCredential: { AAAA: values } } }, allowed, 'SyntaxError'],
    ['largeBlob.support', { largeBlob: { support: 'required' } }, allowed, 'NotSupportedError'],
    ['largeBlob read and write together', { largeBlob: { read: true, write: 'AAAA' } }, allowed, 'NotSupportedError'],
    ['largeBlob.write without exactly one allowed credential', { largeBlob: { write: 'AAAA' } }, [...allowed, ...allowed], 'NotSupportedError'],
  ])('at authentication, %s is %s', (_, inputs, allowCredentials, name) => {
    expectCeremonyError(() => assertionExtensions(inputs, allowCredentials), name);
  });

  it('evalByCredential picks the salts of the credential that signs, eval the others', () => {
    const extensions = assertionExtensions({ prf: { eval: values, evalByCredential: { [allowed[0]!.id]: { first: b64([9, 10, 11, 12]) } } } }, allowed)!;
    expect(extensions.hmacSecret!(allowed[0]!.id)).toEqual(prfSalts({ first: b64([9, 10, 11, 12]) }));
    expect(extensions.hmacSecret!('AAAA')).toEqual(prfSalts(values));
  });
});

describe('extensions through a registration and sign-in', () => {
  function creationOptions(extensions: ExtensionInputsJSON): PublicKeyCredentialCreationOptionsJSON {
    return {
      rp: { id: 'example.com', name: 'Example' },
      user: { id: b64([1, 2, 3]), name: 'alice', displayName: 'Alice' },
      challenge: b64(new Array(32).fill(7)),
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
      authenticatorSelection: { residentKey: 'required' },
      extensions,
    };
  }

  async function register(env: AuthenticatorEnvironment, extensions: ExtensionInputsJSON) {
    env.ui = scriptedUser(approve());
    const outcome = await createCredential(env, { options: creationOptions(extensions), caller });
    if (outcome.kind !== 'credential') throw new Error('expected a credential');
    return outcome.credential;
  }

  async function signIn(env: AuthenticatorEnvironment, id: string, extensions: ExtensionInputsJSON) {
    env.ui = scriptedUser(approve());
    const options = { challenge: 'AAAA', rpId: 'example.com', allowCredentials: [{ type: 'public-key', id }], extensions };
    const outcome = await getAssertion(env, { options, caller });
    if (outcome.kind !== 'credential') throw new Error('expected a credential');
    return outcome.credential.clientExtensionResults;
  }

  it('prf: enabled at creation; the same input gives the same 32-byte result, another input another', async () => {
    const env = testEnvironment({ userVerificationAvailable: false });
    const created = await register(env, { prf: {} });
    expect(created.clientExtensionResults).toEqual({ prf: { enabled: true } });
    const first = await signIn(env, created.id, { prf: { eval: { first: b64([1]) } } });
    const again = await signIn(env, created.id, { prf: { eval: { first: b64([1]), second: b64([2]) } } });
    expect(first.prf!.results!.first).toHaveLength(43);
    expect(again.prf!.results!.first).toBe(first.prf!.results!.first);
    expect(again.prf!.results!.second).not.toBe(first.prf!.results!.first);
  });

  it('prf: results at creation when eval is given, equal to those at sign-in', async () => {
    const env = testEnvironment({ userVerificationAvailable: false });
    const created = await register(env, { prf: { eval: { first: b64([5]) } } });
    expect(created.clientExtensionResults.prf).toMatchObject({ enabled: true, results: { first: expect.any(String) } });
    const signedIn = await signIn(env, created.id, { prf: { eval: { first: b64([5]) } } });
    expect(signedIn.prf!.results!.first).toBe(created.clientExtensionResults.prf!.results!.first);
  });

  it('prf: results only when asked, and { prf: {} } for a credential made without prf', async () => {
    const env = testEnvironment({ userVerificationAvailable: false });
    const withPrf = await register(env, { prf: {} });
    expect(await signIn(env, withPrf.id, {})).toEqual({});
    const env2 = testEnvironment({ userVerificationAvailable: false });
    const withoutPrf = await register(env2, {});
    expect(withoutPrf.clientExtensionResults).toEqual({});
    expect(await signIn(env2, withoutPrf.id, { prf: { eval: { first: b64([1]) } } })).toEqual({ prf: {} });
  });

  it('largeBlob: supported for a discoverable credential; read gives nothing, then what was written', async () => {
    const env = testEnvironment({ userVerificationAvailable: false });
    const created = await register(env, { largeBlob: { support: 'preferred' } });
    expect(created.clientExtensionResults).toEqual({ largeBlob: { supported: true } });
    expect(await signIn(env, created.id, { largeBlob: { read: true } })).toEqual({ largeBlob: {} });
    expect(await signIn(env, created.id, { largeBlob: { write: b64(utf8('hello blob')) } })).toEqual({ largeBlob: { written: true } });
    expect(await signIn(env, created.id, { largeBlob: { read: true } })).toEqual({ largeBlob: { blob: b64(utf8('hello blob')) } });
  });

  it('largeBlob: a credential made without it cannot be written', async () => {
    const env = testEnvironment({ userVerificationAvailable: false });
    const created = await register(env, {});
    expect(await signIn(env, created.id, { largeBlob: { write: b64([1]) } })).toEqual({ largeBlob: { written: false } });
  });
});
