/**
 * Where Latchkey sits: before the page's first script, in every frame; what it answers for
 * bad requests; what a hostile page can do with its channel (nothing); and how it hands a
 * request to the browser's own WebAuthn.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoRelyingParty, startDemoRelyingParty } from '../../demo/createDemoServer';
import { browsersUnderTest, launchBrowser, type LatchkeyBrowser } from '../../src/testing/launchBrowser';
import { addBrowserAuthenticator, answerPrompt, openDemo, storedPasskeys, waitForPrompt } from '../../src/testing/pages';

describe.each(browsersUnderTest())('%s', (browserName) => {
  let rp: DemoRelyingParty;
  let latchkey: LatchkeyBrowser;

  beforeAll(async () => {
    rp = await startDemoRelyingParty();
    latchkey = await launchBrowser({ browser: browserName });
    await latchkey.setTesterMode(true);
  });

  afterAll(async () => {
    await latchkey?.close();
    await rp?.close();
  });

  async function storedIds(): Promise<string[]> {
    return (await storedPasskeys(latchkey)).map((passkey) => passkey.id).sort();
  }

  async function openBlank(): Promise<Page> {
    const page = await latchkey.browser.newPage();
    await page.goto(`${rp.url}blank`);
    return page;
  }

  /** Runs a script in the page and returns how its promise settled: 'ok' or the error's name. */
  function outcome(page: Page, script: () => Promise<unknown>): Promise<string> {
    return page.evaluate(`(${script.toString()})().then(() => 'ok', (error) => error.name)`) as Promise<string>;
  }

  describe('interception', () => {
    it('replaces navigator.credentials before the page\u2019s first inline script, in the top frame and an iframe', async () => {
      const page = await latchkey.browser.newPage();
      await page.goto(`${rp.url}frame-host`);
      const top = await page.evaluate(
        () => (window as unknown as { __firstScriptSawCredentials: string }).__firstScriptSawCredentials,
      );
      const frame = page.frames().find((candidate) => candidate.url().endsWith('/frame-child'))!;
      await frame.waitForFunction(() => '__firstScriptSawCredentials' in window);
      const child = await frame.evaluate(
        () => (window as unknown as { __firstScriptSawCredentials: string }).__firstScriptSawCredentials,
      );
      for (const seen of [top, child]) {
        expect(seen).toMatch(/^(function )?create\(/);
        expect(seen).not.toContain('[native code]');
      }
      await page.close();
    });

    it('covers srcdoc frames too', async () => {
      const page = await latchkey.browser.newPage();
      await page.goto(`${rp.url}blank`);
      await page.evaluate(() => {
        const frame = document.createElement('iframe');
        frame.srcdoc = '<script>parent.postMessage(String(navigator.credentials.create), "*")</script>';
        const seen = new Promise((resolve) => addEventListener('message', (event) => resolve(event.data), { once: true }));
        (window as unknown as { seen: unknown }).seen = seen;
        document.body.append(frame);
      });
      const seen = await page.evaluate(() => (window as unknown as { seen: Promise<string> }).seen);
      expect(seen).not.toContain('[native code]');
      await page.close();
    });

    it('leaves non-public-key requests to the browser, which answers them itself', async () => {
      const page = await openBlank();
      const answer = await page.evaluate(() =>
        navigator.credentials.create({ password: { id: 'carol', password: 'hunter2' } } as CredentialCreationOptions).then(
          (credential) => `created ${credential?.constructor.name}`,
          (error: Error) => `${error.name}: ${error.message}`,
        ),
      );
      // Each browser's own answer: Chromium makes a PasswordCredential; Firefox has none and says so in its own words.
      expect(answer).toBe(
        browserName === 'chromium'
          ? 'created PasswordCredential'
          : 'NotSupportedError: CredentialsContainer request is not supported.',
      );
      await page.close();
    });
  });

  describe('responses', () => {
    it('returns a credential that behaves as the browser\u2019s own PublicKeyCredential', async () => {
      const page = await openBlank();
      const shape = await page.evaluate(async () => {
        const credential = (await navigator.credentials.create({
          publicKey: {
            rp: { name: 'Shape check' },
            user: { id: new Uint8Array([1, 2, 3]), name: 'shape', displayName: 'Shape' },
            challenge: new Uint8Array(32),
            pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
            authenticatorSelection: { residentKey: 'required' },
            extensions: { credProps: true },
          },
        })) as PublicKeyCredential;
        const response = credential.response as AuthenticatorAttestationResponse;
        const json = credential.toJSON() as { id: string; response: { publicKeyAlgorithm: number; transports: string[] } };
        return {
          instance: credential instanceof PublicKeyCredential,
          tag: Object.prototype.toString.call(credential),
          responseInstance: response instanceof AuthenticatorAttestationResponse,
          rawIdBytes: credential.rawId.byteLength,
          sameRawId: credential.rawId === credential.rawId,
          idMatches: json.id === credential.id,
          type: credential.type,
          attachment: credential.authenticatorAttachment,
          algorithm: response.getPublicKeyAlgorithm(),
          transports: response.getTransports(),
          authDataBytes: response.getAuthenticatorData().byteLength,
          spkiImports: await crypto.subtle
            .importKey('spki', response.getPublicKey()!, { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify'])
            .then(
              () => true,
              () => false,
            ),
          extensions: credential.getClientExtensionResults(),
          jsonAlgorithm: json.response.publicKeyAlgorithm,
        };
      });
      expect(shape).toEqual({
        instance: true,
        tag: '[object PublicKeyCredential]',
        responseInstance: true,
        rawIdBytes: 32,
        sameRawId: true,
        idMatches: true,
        type: 'public-key',
        attachment: 'platform',
        algorithm: -7,
        transports: ['internal'],
        // rpIdHash 32 | flags 1 | counter 4 | AAGUID 16 | id length 2 | id 32 | COSE P-256 key 77
        authDataBytes: 37 + 16 + 2 + 32 + 77,
        spkiImports: true,
        extensions: { credProps: { rk: true } },
        jsonAlgorithm: -7,
      });
      await page.close();
    });
  });

  describe('errors the spec names, with nothing stored', () => {
    it('an excluded credential gives InvalidStateError', async () => {
      const page = await openDemo(latchkey.browser, `${rp.url}register`);
      expect(await page.evaluate(() => window.demo.register('bob'))).toMatchObject({ ok: true });
      const before = await storedIds();
      // The RP now lists bob's passkey in excludeCredentials.
      const again = await page.evaluate(() => window.demo.register('bob'));
      expect(again).toMatchObject({ ok: false, error: { name: 'InvalidStateError' } });
      expect(await storedIds()).toEqual(before);
      await page.close();
    });

    it('an rpId of another site gives SecurityError and stores nothing', async () => {
      const page = await openBlank();
      const before = await storedIds();
      const result = await outcome(page, () =>
        navigator.credentials.create({
          publicKey: {
            rp: { id: 'example.com', name: 'Elsewhere' },
            user: { id: new Uint8Array([7]), name: 'mallory', displayName: 'Mallory' },
            challenge: new Uint8Array(32),
            pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
          },
        }),
      );
      expect(result).toBe('SecurityError');
      const getResult = await outcome(page, () =>
        navigator.credentials.get({ publicKey: { rpId: 'example.com', challenge: new Uint8Array(32) } }),
      );
      expect(getResult).toBe('SecurityError');
      expect(await storedIds()).toEqual(before);
      await page.close();
    });

    it('malformed options give TypeError and no pubKeyCredParams of a known type gives NotSupportedError', async () => {
      const page = await openBlank();
      const before = await storedIds();
      const missingChallenge = await outcome(page, () =>
        navigator.credentials.create({
          publicKey: {
            rp: { name: 'x' },
            user: { id: new Uint8Array([1]), name: 'x', displayName: 'x' },
            pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
          } as unknown as PublicKeyCredentialCreationOptions,
        }),
      );
      const longUserId = await outcome(page, () =>
        navigator.credentials.create({
          publicKey: {
            rp: { name: 'x' },
            user: { id: new Uint8Array(65), name: 'x', displayName: 'x' },
            challenge: new Uint8Array(32),
            pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
          },
        }),
      );
      const unknownType = await outcome(page, () =>
        navigator.credentials.create({
          publicKey: {
            rp: { name: 'x' },
            user: { id: new Uint8Array([1]), name: 'x', displayName: 'x' },
            challenge: new Uint8Array(32),
            pubKeyCredParams: [{ type: 'password', alg: -7 } as unknown as PublicKeyCredentialParameters],
          },
        }),
      );
      expect([missingChallenge, longUserId, unknownType]).toEqual(['TypeError', 'TypeError', 'NotSupportedError']);
      expect(await storedIds()).toEqual(before);
      await page.close();
    });
  });

  describe('a hostile page', () => {
    it('gets nothing by forging bridge messages', async () => {
      const page = await openBlank();
      const before = await storedIds();
      await page.evaluate(() => {
        const forgedOptions = {
          rp: { name: 'Forged' },
          user: { id: 'AQ', name: 'forged', displayName: 'Forged' },
          challenge: 'AAAAAAAAAAAAAAAAAAAAAA',
          pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
        };
        const received: unknown[] = [];
        (window as unknown as { forgedReplies: unknown[] }).forgedReplies = received;
        // A second handshake with the page's own port, and requests on it.
        const channel = new MessageChannel();
        channel.port1.onmessage = (event) => received.push(event.data);
        window.postMessage({ type: 'latchkey/bridge-hello' }, '*', [channel.port2]);
        channel.port1.postMessage({ request: { kind: 'create', requestId: 'forged-1', options: forgedOptions } });
        // Requests shaped like the bridge's own runtime messages, posted to the window.
        window.postMessage(
          { channel: 'latchkey/page', request: { kind: 'create', requestId: 'forged-2', options: forgedOptions } },
          '*',
        );
        window.postMessage({ request: { kind: 'create', requestId: 'forged-3', options: forgedOptions } }, '*');
        addEventListener('message', (event) => {
          if (event.data?.requestId?.startsWith?.('forged')) received.push(event.data);
        });
      });
      // A real ceremony afterwards: had any forged request been relayed, its answer would be back first.
      const real = await outcome(page, () =>
        navigator.credentials.create({
          publicKey: {
            rp: { name: 'Real' },
            user: { id: new Uint8Array([9]), name: 'real', displayName: 'Real' },
            challenge: new Uint8Array(32),
            pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
          },
        }),
      );
      expect(real).toBe('ok');
      expect(await page.evaluate(() => (window as unknown as { forgedReplies: unknown[] }).forgedReplies)).toEqual([]);
      const after = await storedIds();
      expect(after.length).toBe(before.length + 1);
      const names = (await storedPasskeys(latchkey)).map((passkey) => passkey.userName);
      expect(names).not.toContain('forged');
      await page.close();
    });
  });

  describe('"Use another device or security key"', () => {
    if (browserName === 'chromium') {
      it('hands the original request to Chromium\u2019s own WebAuthn, which completes it with its authenticator', async () => {
        await latchkey.setTesterMode(false);
        const page = await openDemo(latchkey.browser, `${rp.url}register`);
        // The browser's own authenticator for this tab: Chromium's virtual authenticator (CDP WebAuthn domain).
        const { cdp, authenticatorId } = await addBrowserAuthenticator(page);
        const before = await storedIds();
        const registration = page.evaluate(() => window.demo.register('dana'));
        const prompt = await waitForPrompt(latchkey);
        await answerPrompt(prompt, '[data-testid="use-another"]');
        expect(await registration).toMatchObject({ ok: true });
        const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
        expect(credentials).toHaveLength(1);
        expect(rp.state.credentialsOf('dana').map((credential) => credential.id)).toEqual([
          Buffer.from(credentials[0]!.credentialId, 'base64').toString('base64url'),
        ]);
        expect(await storedIds()).toEqual(before);
        await latchkey.setTesterMode(true);
        await page.close();
      });
    } else {
      // Firefox has no virtual authenticator (no CDP WebAuthn domain, and geckodriver's is broken), so
      // nothing can complete Firefox's own ceremony here: this checks the hand-over itself.
      it('hands the original request to Firefox\u2019s own WebAuthn, which waits for a security key until the page aborts', async () => {
        await latchkey.setTesterMode(false);
        const page = await openBlank();
        const before = await storedIds();
        await page.evaluate(() => {
          const controller = new AbortController();
          const state = { settled: '', abort: () => controller.abort() };
          (window as unknown as { handOver: typeof state }).handOver = state;
          navigator.credentials
            .create({
              publicKey: {
                rp: { name: 'Hand-over' },
                user: { id: new Uint8Array([5]), name: 'erin', displayName: 'Erin' },
                challenge: new Uint8Array(32),
                pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
              },
              signal: controller.signal,
            })
            .then(
              () => (state.settled = 'ok'),
              (error: Error) => (state.settled = `${error.name}: ${error.message}`),
            );
        });
        const prompt = await waitForPrompt(latchkey);
        await answerPrompt(prompt, '[data-testid="use-another"]');
        // Latchkey answered nothing and stored nothing: the request is Firefox's now.
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        expect(await page.evaluate(() => (window as unknown as { handOver: { settled: string } }).handOver.settled)).toBe('');
        expect(await storedIds()).toEqual(before);
        await page.evaluate(() => (window as unknown as { handOver: { abort(): void } }).handOver.abort());
        await page.waitForFunction(() => (window as unknown as { handOver: { settled: string } }).handOver.settled !== '');
        expect(await page.evaluate(() => (window as unknown as { handOver: { settled: string } }).handOver.settled)).toMatch(
          /^AbortError/,
        );
        await latchkey.setTesterMode(true);
        await page.close();
      });
    }
  });
});
