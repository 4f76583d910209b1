/**
 * The extension's whole security-key path in Node: the WebAuthn client → the prompt's
 * security-key hook → the native client → native-messaging frames → the bridge host → CTAP2 and
 * CTAPHID → a simulated key. The responses are checked by @simplewebauthn/server, as the demo RP does.
 */
import { verifyAuthenticationResponse, verifyRegistrationResponse } from '@simplewebauthn/server';
import { describe, expect, it } from 'vitest';
import type { UserDecision, UserInterface } from '../authenticator/types';
import { LATCHKEY_AAGUID } from '../authenticator/aaguid';
import { createCredential } from '../client/createCredential';
import type { ClientEnvironment } from '../client/clientEnvironment';
import { getAssertion } from '../client/getAssertion';
import { keyWithPin, simulatedBackend } from '../ctap/testKeys';
import { touchAfter } from '../ctap/simulated/simulatedAuthenticator';
import { createMemoryCredentialStore } from '../vault/memoryCredentialStore';
import { toBase64url } from '../webauthn/base64url';
import { BridgeError, BridgeUnavailableError, createNativeClient } from './nativeClient';
import { securityKeyAuthenticator } from './securityKeyAuthenticator';
import { inProcessBridge } from './testBridge';

const PIN = '7531';
const ORIGIN = 'https://login.example';
const caller = { origin: ORIGIN, topOrigin: ORIGIN, sameOriginWithAncestors: true };
const challenge = toBase64url(crypto.getRandomValues(new Uint8Array(32)));

/** A person who picks "Security key" in every prompt and types `pins` in turn until one works. */
function personUsingKey(pins: string[], errors: string[], touches: { count: number }): UserInterface {
  return {
    async prompt(_request, _signal, securityKey): Promise<UserDecision> {
      if (!securityKey) throw new Error('the prompt offered no security key');
      for (const pin of pins) {
        try {
          await securityKey(pin, () => touches.count++);
          return { outcome: 'used-security-key' };
        } catch (error) {
          errors.push((error as Error).message);
        }
      }
      return { outcome: 'cancel' };
    },
  };
}

/** What the demo RP does with a registration: @simplewebauthn/server, user verification required. */
async function verifiedWithUv(credential: unknown) {
  return verifyRegistrationResponse({
    response: credential as never,
    expectedChallenge: challenge,
    expectedOrigin: ORIGIN,
    expectedRPID: 'login.example',
    requireUserVerification: true,
  });
}

async function environment(ui: UserInterface, bridgeInstalled = true) {
  const key = await keyWithPin(PIN, touchAfter(30));
  const client = createNativeClient(inProcessBridge(bridgeInstalled ? simulatedBackend({ key }) : null));
  const env: ClientEnvironment = {
    store: createMemoryCredentialStore(),
    ui,
    randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)),
    now: () => Date.now(),
    aaguid: LATCHKEY_AAGUID,
    userVerificationAvailable: false,
    securityKey: securityKeyAuthenticator(client),
  };
  return { env, key };
}

describe('security key through the native bridge', () => {
  it('registers and signs in; @simplewebauthn/server verifies both, with UV from the key’s PIN', async () => {
    const errors: string[] = [];
    const touches = { count: 0 };
    const { env, key } = await environment(personUsingKey(['0000', PIN], errors, touches));
    const created = await createCredential(env, {
      caller,
      options: {
        rp: { id: 'login.example', name: 'Login' },
        user: { id: toBase64url(new Uint8Array([9, 9, 9])), name: 'alice', displayName: 'Alice' },
        challenge,
        pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
        // "preferred": Latchkey itself has no PIN here; the key verifies with its own.
        authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
      },
    });
    expect(created.kind).toBe('credential');
    if (created.kind !== 'credential') return;
    expect(errors).toEqual(['Wrong PIN for your security key. 7 tries left.']);
    expect(touches.count).toBeGreaterThan(0);
    expect(created.credential.authenticatorAttachment).toBe('cross-platform');
    expect(created.credential.response.transports).toEqual(['usb']);
    const registration = await verifiedWithUv(created.credential);
    expect(registration.verified).toBe(true);
    // The passkey is on the key, not in Latchkey's store.
    expect(await env.store.list()).toEqual([]);
    expect(await key.authenticator.credentials()).toHaveLength(1);

    const signedIn = await getAssertion(
      { ...env, ui: personUsingKey([PIN], errors, touches) },
      {
        caller,
        options: { challenge, rpId: 'login.example', userVerification: 'preferred' },
      },
    );
    expect(signedIn.kind).toBe('credential');
    if (signedIn.kind !== 'credential') return;
    const info = registration.registrationInfo!;
    const authentication = await verifyAuthenticationResponse({
      response: signedIn.credential as never,
      expectedChallenge: challenge,
      expectedOrigin: ORIGIN,
      expectedRPID: 'login.example',
      credential: { id: info.credential.id, publicKey: info.credential.publicKey, counter: info.credential.counter },
      requireUserVerification: true,
    });
    expect(authentication.verified).toBe(true);
    expect(signedIn.credential.response.userHandle).toBe(toBase64url(new Uint8Array([9, 9, 9])));
  });

  it('a person who gives up after a wrong PIN cancels: NotAllowedError, nothing stored anywhere', async () => {
    const errors: string[] = [];
    const { env, key } = await environment(personUsingKey(['0000'], errors, { count: 0 }));
    await expect(
      createCredential(env, {
        caller,
        options: {
          rp: { name: 'Login' },
          user: { id: toBase64url(new Uint8Array([1])), name: 'bob', displayName: 'Bob' },
          challenge,
          pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
        },
      }),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(errors).toHaveLength(1);
    expect(await key.authenticator.credentials()).toEqual([]);
  });
});

describe('a site that requires user verification, when Latchkey itself has no PIN', () => {
  const options = {
    rp: { name: 'Login' },
    user: { id: toBase64url(new Uint8Array([4])), name: 'carol', displayName: 'Carol' },
    challenge,
    pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
    authenticatorSelection: { userVerification: 'required' },
  };

  it('still gets the prompt when the bridge is installed, and the key verifies with its own PIN', async () => {
    let prompts = 0;
    const errors: string[] = [];
    const inner = personUsingKey([PIN], errors, { count: 0 });
    const { env } = await environment({ prompt: (request, signal, hook) => (prompts++, inner.prompt(request, signal, hook)) });
    const created = await createCredential(env, { caller, options });
    expect(prompts).toBe(1);
    expect(created.kind).toBe('credential');
    if (created.kind !== 'credential') return;
    const registration = await verifiedWithUv(created.credential);
    expect(registration.verified).toBe(true);
  });

  it('is refused with NotAllowedError before any prompt when the bridge is not installed', async () => {
    let prompts = 0;
    const { env } = await environment({ prompt: async () => (prompts++, { outcome: 'cancel' }) }, false);
    await expect(createCredential(env, { caller, options })).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(prompts).toBe(0);
  });
});

describe('the native client', () => {
  it('says the bridge is not installed when the browser finds no host', async () => {
    const client = createNativeClient(inProcessBridge(null));
    await expect(client.request({ kind: 'keys' })).rejects.toBeInstanceOf(BridgeUnavailableError);
  });

  it('keeps the host’s error code and tries left', async () => {
    const client = createNativeClient(inProcessBridge(simulatedBackend({ key: await keyWithPin(PIN) })));
    const error = await client.request({ kind: 'credentials.list', pin: '0000' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BridgeError);
    expect(error).toMatchObject({ code: 'pin-invalid', retries: 7 });
  });

  it('refuses a malformed reply instead of trusting it', async () => {
    const client = createNativeClient({
      lastError: () => undefined,
      connect: () => {
        const listeners: ((message: unknown) => void)[] = [];
        return {
          postMessage: () => queueMicrotask(() => listeners.forEach((listener) => listener({ id: 1, ok: 'yes' }))),
          disconnect: () => undefined,
          onMessage: { addListener: (listener) => listeners.push(listener) },
          onDisconnect: { addListener: () => undefined },
        };
      },
    });
    await expect(client.request({ kind: 'keys' })).rejects.toMatchObject({
      code: 'internal',
      message: expect.stringContaining('malformed'),
    });
  });

  it('aborting a request sends cancel to the host, which cancels the key', async () => {
    const key = await keyWithPin(PIN, {
      touch: (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    });
    const client = createNativeClient(inProcessBridge(simulatedBackend({ key })));
    const controller = new AbortController();
    const pending = client.request({ kind: 'credentials.list', pin: PIN }, { signal: controller.signal });
    await expect(pending).resolves.toMatchObject({ credentials: [] });
    const waiting = client.request(
      {
        kind: 'makeCredential',
        pin: PIN,
        clientDataHash: toBase64url(new Uint8Array(32)),
        rp: { id: 'a.example', name: 'A' },
        user: { id: 'AQ', name: 'u', displayName: 'U' },
        pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
        excludeList: [],
        residentKey: true,
      },
      { signal: controller.signal, onTouch: () => controller.abort(new Error('page aborted')) },
    );
    await expect(waiting).rejects.toThrow('page aborted');
    await expect.poll(() => key.stats.cancels).toBe(1);
  });
});
