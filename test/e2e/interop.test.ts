/**
 * Interop matrix: for every algorithm Latchkey offers and every attestation preference, a
 * registration and an authentication made by the built extension in Chromium are verified on
 * the server side by two independent relying-party libraries, @simplewebauthn/server and
 * @passwordless-id/webauthn. The page is the demo RP's blank page, so the origin and rpId are
 * the real ones a site on localhost would see.
 */
import { server as passwordless } from '@passwordless-id/webauthn';
import { verifyAuthenticationResponse, verifyRegistrationResponse } from '@simplewebauthn/server';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoRelyingParty, startDemoRelyingParty } from '../../demo/createDemoServer';
import { launchBrowser, type LatchkeyBrowser } from '../../src/testing/launchBrowser';
import { toBase64url } from '../../src/webauthn/base64url';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '../../src/webauthn/types';

let rp: DemoRelyingParty;
let latchkey: LatchkeyBrowser;
let page: Page;

beforeAll(async () => {
  rp = await startDemoRelyingParty();
  latchkey = await launchBrowser();
  await latchkey.setTesterMode(true);
  page = await latchkey.browser.newPage();
  await page.goto(`${rp.url}blank`);
});

afterAll(async () => {
  await latchkey?.close();
  await rp?.close();
});

const ALGORITHMS = [
  ['ES256', -7],
  ['EdDSA', -8],
  ['RS256', -257],
] as const;
const ATTESTATIONS = ['none', 'indirect', 'direct', 'enterprise'] as const;

function challenge(): string {
  return toBase64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** navigator.credentials.create()/get() in the page from JSON options (parsed by the page's own parse*FromJSON), answered as credential.toJSON(). */
function inPage<T>(operation: 'create' | 'get', options: object): Promise<T> {
  return page.evaluate(
    async (op, json) => {
      const credential = (
        op === 'create'
          ? await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(json as PublicKeyCredentialCreationOptionsJSON) })
          : await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(json as PublicKeyCredentialRequestOptionsJSON) })
      ) as PublicKeyCredential;
      return credential.toJSON() as unknown;
    },
    operation,
    options,
  ) as Promise<T>;
}

function register(alg: number, attestation: string, challengeB64: string): Promise<RegistrationResponseJSON> {
  return inPage('create', {
    rp: { id: 'localhost', name: 'Interop' },
    user: { id: toBase64url(crypto.getRandomValues(new Uint8Array(16))), name: 'interop', displayName: 'Interop' },
    challenge: challengeB64,
    pubKeyCredParams: [{ type: 'public-key', alg }],
    authenticatorSelection: { residentKey: 'required', userVerification: 'discouraged' },
    attestation,
  });
}

function authenticate(credentialId: string, challengeB64: string): Promise<AuthenticationResponseJSON> {
  return inPage('get', { challenge: challengeB64, rpId: 'localhost', allowCredentials: [{ type: 'public-key', id: credentialId }], userVerification: 'discouraged' });
}

describe.each(ALGORITHMS)('interop: %s credentials', (algorithmName, alg) => {
  it.each(ATTESTATIONS)(`attestation %s: registration and authentication verify with @simplewebauthn/server and @passwordless-id/webauthn`, async (attestation) => {
    const registrationChallenge = challenge();
    const registration = await register(alg, attestation, registrationChallenge);
    expect(registration.response.publicKeyAlgorithm).toBe(alg);

    const simple = await verifyRegistrationResponse({
      response: registration as Parameters<typeof verifyRegistrationResponse>[0]['response'],
      expectedChallenge: registrationChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: 'localhost',
      requireUserVerification: false,
      supportedAlgorithmIDs: [alg],
    });
    expect(simple.verified).toBe(true);
    // "none" for none; a packed self attestation for the others (indirect as Chromium passes it on).
    expect(simple.registrationInfo!.fmt).toBe(attestation === 'none' ? 'none' : 'packed');
    expect(simple.registrationInfo!.aaguid).toBe('42e2403e-79f9-c37b-9c87-6017e09ed8e0');

    const other = await passwordless.verifyRegistration(
      { ...registration, user: { id: 'interop', name: 'interop' } } as Parameters<typeof passwordless.verifyRegistration>[0],
      { challenge: registrationChallenge, origin: rp.origin },
    );
    expect(other.credential).toMatchObject({ id: registration.id, algorithm: algorithmName });

    const authenticationChallenge = challenge();
    const assertion = await authenticate(registration.id, authenticationChallenge);
    const simpleAuth = await verifyAuthenticationResponse({
      response: assertion as Parameters<typeof verifyAuthenticationResponse>[0]['response'],
      expectedChallenge: authenticationChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: 'localhost',
      credential: { id: registration.id, publicKey: simple.registrationInfo!.credential.publicKey, counter: 0 },
      requireUserVerification: false,
    });
    expect(simpleAuth.verified).toBe(true);

    const checks = { challenge: authenticationChallenge, origin: rp.origin, userVerified: false };
    if (alg === -8) {
      // @passwordless-id/webauthn 2.4 verifies ES256 and RS256 signatures only: its EdDSA answer is a refusal, not a verdict.
      await expect(passwordless.verifyAuthentication(assertion as never, other.credential, checks)).rejects.toThrow(/Only 'RS256' and 'ES256' are supported/);
    } else {
      const otherAuth = await passwordless.verifyAuthentication(assertion as never, other.credential, checks);
      expect(otherAuth).toMatchObject({ credentialId: registration.id, userVerified: false });
    }
  });
});
