/**
 * Tester mode: the same scenario suite through Latchkey's testing API, driven by Puppeteer in
 * Chromium, Puppeteer in Firefox ESR and Playwright in Chromium, against the demo RP
 * (@simplewebauthn/server). Each scenario checks what the relying party verified.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoRelyingParty, startDemoRelyingParty } from '../../demo/createDemoServer';
import { LatchkeyTesting } from '../../src/testing/latchkeyTesting';
import { browserPath, browsersUnderTest, extensionDir, launchBrowser, QUIET_FLAGS } from '../../src/testing/launchBrowser';
import type { DemoResult } from '../../src/testing/pages';

/** What the scenarios need from a driver: a page of the RP to run scripts in, and the API. */
interface Driven {
  testing: LatchkeyTesting;
  run<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  /** The toolbar badge text, read from an extension page. */
  badge(): Promise<string>;
  close(): Promise<void>;
}

type Launch = (rp: DemoRelyingParty) => Promise<Driven>;

function puppeteerLaunch(browser: 'chromium' | 'firefox'): Launch {
  return async (rp) => {
    const launched = await launchBrowser({ browser });
    const page = await launched.browser.newPage();
    await page.goto(`${rp.url}login`);
    await page.waitForFunction(() => typeof window.demo === 'object');
    const testing = await LatchkeyTesting.attach(launched);
    return {
      testing,
      run: (fn, arg) => page.evaluate(fn as never, arg) as never,
      badge: async () => (await launched.extensionPage()).evaluate(() => chrome.action.getBadgeText({})),
      async close() {
        testing.stop();
        await launched.close();
      },
    };
  };
}

const playwrightLaunch: Launch = async (rp) => {
  const profile = mkdtempSync(path.join(tmpdir(), 'latchkey-playwright-'));
  const dir = extensionDir('chromium');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: browserPath('chromium'),
    headless: true,
    args: [...QUIET_FLAGS, `--disable-extensions-except=${dir}`, `--load-extension=${dir}`],
  });
  const page = await context.newPage();
  await page.goto(`${rp.url}login`);
  await page.waitForFunction(() => typeof window.demo === 'object');
  const testing = await LatchkeyTesting.attachPlaywright(context);
  return {
    testing,
    run: (fn, arg) => page.evaluate(fn as never, arg) as never,
    async badge() {
      const worker = context.serviceWorkers()[0]!;
      return worker.evaluate(() => chrome.action.getBadgeText({}));
    },
    async close() {
      testing.stop();
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
};

const drivers: [string, Launch][] = [
  ...browsersUnderTest().map((name): [string, Launch] => [`Puppeteer + ${name}`, puppeteerLaunch(name)]),
  ...(browsersUnderTest().includes('chromium') ? [['Playwright + chromium', playwrightLaunch] as [string, Launch]] : []),
];

const register =
  (name: string, options?: Record<string, unknown>) => (arg: { name: string; options?: Record<string, unknown> }) =>
    window.demo.register(arg.name, arg.options);

describe.each(drivers)('%s', (_, launch) => {
  let rp: DemoRelyingParty;
  let driven: Driven;
  let authenticatorId: string;
  const stateFile = path.join(mkdtempSync(path.join(tmpdir(), 'latchkey-state-')), 'credentials.json');

  beforeAll(async () => {
    rp = await startDemoRelyingParty();
    driven = await launch(rp);
  });

  afterAll(async () => {
    await driven?.close();
    await rp?.close();
  });

  const demo = <A>(fn: (arg: A) => Promise<DemoResult>, arg: A) => driven.run(fn, arg);

  it('adds a virtual authenticator, which switches tester mode on visibly', async () => {
    ({ authenticatorId } = await driven.testing.addVirtualAuthenticator({
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    }));
    expect(authenticatorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await driven.badge()).toBe('TEST');
  });

  it('registers: the RP verifies, credentialAdded fires, and getCredentials returns it', async () => {
    const added = driven.testing.waitForEvent('credentialAdded');
    expect(await demo(register('tess'), { name: 'tess' })).toMatchObject({ ok: true });
    const [stored] = rp.state.credentialsOf('tess');
    const event = await added;
    expect(event.authenticatorId).toBe(authenticatorId);
    const { credentials } = await driven.testing.getCredentials({ authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(Buffer.from(credentials[0]!.credentialId, 'base64').toString('base64url')).toBe(stored!.id);
    expect(credentials[0]).toMatchObject({ rpId: 'localhost', isResidentCredential: true, userName: 'tess' });
  });

  it('signs in username-first and username-less; credentialAsserted fires and the counter moves', async () => {
    const asserted = driven.testing.waitForEvent('credentialAsserted');
    expect(await demo((name) => window.demo.loginWithUsername(name), 'tess')).toMatchObject({
      ok: true,
      text: 'Signed in as tess',
    });
    expect((await asserted).credential?.signCount).toBe(1);
    expect(await demo(() => window.demo.loginUsernameless(), undefined)).toMatchObject({ ok: true, text: 'Signed in as tess' });
    expect(rp.state.credentialsOf('tess')[0]?.counter).toBe(2);
  });

  it('an excluded credential gives InvalidStateError', async () => {
    expect(await demo(register('tess'), { name: 'tess' })).toMatchObject({ ok: false, error: { name: 'InvalidStateError' } });
  });

  it('user verification required: verified while isUserVerified, NotAllowedError once it is false', async () => {
    expect(await demo(register('uma'), { name: 'uma', options: { userVerification: 'required' } })).toMatchObject({ ok: true });
    expect(rp.state.credentialsOf('uma')[0]?.userVerified).toBe(true);
    await driven.testing.setUserVerified({ authenticatorId, isUserVerified: false });
    expect(await demo(register('vera'), { name: 'vera', options: { userVerification: 'required' } })).toMatchObject({
      ok: false,
      error: { name: 'NotAllowedError' },
    });
    await driven.testing.setUserVerified({ authenticatorId, isUserVerified: true });
  });

  it('injected failures: a cancel and a timeout give NotAllowedError, a chosen DOMException its name; then it works again', async () => {
    await driven.testing.injectFailure({ authenticatorId, injection: { kind: 'cancel' } });
    expect(await demo((name) => window.demo.loginWithUsername(name), 'tess')).toMatchObject({
      ok: false,
      error: { name: 'NotAllowedError' },
    });
    await driven.testing.injectFailure({ authenticatorId, injection: { kind: 'timeout' } });
    expect(await demo((name) => window.demo.loginWithUsername(name), 'tess')).toMatchObject({
      ok: false,
      error: { name: 'NotAllowedError' },
    });
    await driven.testing.injectFailure({ authenticatorId, injection: { kind: 'error', name: 'SecurityError' } });
    expect(await demo((name) => window.demo.loginWithUsername(name), 'tess')).toMatchObject({
      ok: false,
      error: { name: 'SecurityError' },
    });
    expect(await demo((name) => window.demo.loginWithUsername(name), 'tess')).toMatchObject({ ok: true });
    const outcomes = (await driven.testing.ceremonyLog()).slice(-4).map((ceremony) => ceremony.outcome);
    expect(outcomes).toEqual(['NotAllowedError', 'NotAllowedError', 'SecurityError', 'ok']);
  });

  it('a bogus signature is rejected by the relying party', async () => {
    await driven.testing.setResponseOverrideBits({ authenticatorId, isBogusSignature: true });
    const result = await demo((name) => window.demo.loginWithUsername(name), 'tess');
    await driven.testing.setResponseOverrideBits({ authenticatorId, isBogusSignature: false });
    // @simplewebauthn/server cannot even parse a signature of zeros as ECDSA.
    expect(result).toMatchObject({ ok: false, text: expect.stringMatching(/Authentication verification failed/) });
    expect(await demo((name) => window.demo.loginWithUsername(name), 'tess')).toMatchObject({ ok: true });
  });

  it('addCredential takes a PKCS#8 P-256 key, and the page gets assertions signed with it', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
    const credentialId = randomBytes(16);
    await driven.testing.addCredential({
      authenticatorId,
      credential: {
        credentialId: credentialId.toString('base64'),
        isResidentCredential: false,
        rpId: 'localhost',
        privateKey: pkcs8.toString('base64url'),
        signCount: 7,
      },
    });
    const { credential } = await driven.testing.getCredential({ authenticatorId, credentialId: credentialId.toString('base64') });
    expect(credential).toMatchObject({ rpId: 'localhost', signCount: 7, isResidentCredential: false });
    const assertion = await driven.run(async (id) => {
      const result = (await navigator.credentials.get({
        publicKey: {
          challenge: new Uint8Array(32),
          allowCredentials: [{ type: 'public-key', id: Uint8Array.from(atob(id), (c) => c.charCodeAt(0)) }],
        },
      })) as PublicKeyCredential;
      const response = result.response as AuthenticatorAssertionResponse;
      const b64 = (buffer: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(buffer)));
      return {
        authenticatorData: b64(response.authenticatorData),
        clientDataJSON: b64(response.clientDataJSON),
        signature: b64(response.signature),
      };
    }, credentialId.toString('base64'));
    const authenticatorData = Buffer.from(assertion.authenticatorData, 'base64');
    expect(authenticatorData.readUInt32BE(33)).toBe(8);
    const clientDataHash = (await import('node:crypto'))
      .createHash('sha256')
      .update(Buffer.from(assertion.clientDataJSON, 'base64'))
      .digest();
    const publicKey = createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }));
    expect(
      verify('sha256', Buffer.concat([authenticatorData, clientDataHash]), publicKey, Buffer.from(assertion.signature, 'base64')),
    ).toBe(true);
  });

  it('an authenticator scoped to other origins does not answer; the active one does', async () => {
    const { authenticatorId: elsewhere } = await driven.testing.addVirtualAuthenticator({
      origins: ['http://elsewhere.localhost:1'],
    });
    expect(await demo((name) => window.demo.loginWithUsername(name), 'tess')).toMatchObject({ ok: true });
    expect((await driven.testing.events()).filter((event) => event.type === 'ceremony').at(-1)?.authenticatorId).toBe(
      authenticatorId,
    );
    await driven.testing.removeVirtualAuthenticator({ authenticatorId: elsewhere });
  });

  it('saves the credentials to a file and signs in with them in a new browser', async () => {
    await driven.testing.saveCredentials(stateFile);
    await driven.close();
    driven = await launch(rp);
    expect(await driven.testing.listAuthenticators()).toEqual([]);
    await driven.testing.loadCredentials(stateFile);
    expect(await driven.badge()).toBe('TEST');
    expect(await demo((name) => window.demo.loginWithUsername(name), 'tess')).toMatchObject({
      ok: true,
      text: 'Signed in as tess',
    });
  });
});
