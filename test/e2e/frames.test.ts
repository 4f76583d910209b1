/**
 * Cross-origin frames, in each browser: a frame of another site may use passkeys only when the
 * page delegates `publickey-credentials-get` / `-create` to it (`allow=` on the iframe), and then
 * its clientDataJSON says `crossOrigin: true` with the page's `topOrigin`. Chromium's documents
 * tell Latchkey their policy; Firefox's cannot, so there the worker reads the iframe's `allow`
 * attribute through the bridge of the parent frame (background/framePolicy.ts).
 */
import type { Frame, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoRelyingParty, startDemoRelyingParty } from '../../demo/createDemoServer';
import { browsersUnderTest, launchBrowser, type LatchkeyBrowser } from '../../src/testing/launchBrowser';
import { openDemo } from '../../src/testing/pages';

describe.each(browsersUnderTest())('%s: cross-origin frames and the permissions policy', (browserName) => {
  let top: DemoRelyingParty;
  let framed: DemoRelyingParty;
  let latchkey: LatchkeyBrowser;
  let page: Page;

  beforeAll(async () => {
    top = await startDemoRelyingParty();
    framed = await startDemoRelyingParty({ rpId: 'frames.localhost' });
    latchkey = await launchBrowser({ browser: browserName });
    await latchkey.setTesterMode(true);
    // A passkey of the framed site, made on that site itself, for the framed sign-ins.
    const own = await openDemo(latchkey.browser, `${framed.url}register`);
    expect(await own.evaluate(() => window.demo.register('framed-user'))).toMatchObject({ ok: true });
    await own.close();
    page = await openDemo(latchkey.browser, `${top.url}login`);
  });

  afterAll(async () => {
    await latchkey?.close();
    await framed?.close();
    await top?.close();
  });

  /** The framed site's login page in an iframe of the top site, with `allow` when given. */
  async function frameWith(allow: string | null): Promise<Frame> {
    await page.goto(`${top.url}login`);
    await page.evaluate(
      (src, attribute) => {
        const iframe = document.createElement('iframe');
        if (attribute !== null) iframe.setAttribute('allow', attribute);
        iframe.src = src;
        document.body.append(iframe);
      },
      `${framed.url}login`,
      allow,
    );
    const frame = await page.waitForFrame((candidate) => candidate.url().startsWith(framed.url));
    await frame.waitForFunction(() => typeof window.demo === 'object');
    return frame;
  }

  /** A username-less sign-in in the frame: the clientData it signed, or the error's name. */
  const signInFrom = (frame: Frame) =>
    frame.evaluate(async () => {
      try {
        const credential = (await navigator.credentials.get({
          publicKey: { challenge: new Uint8Array(32), rpId: 'frames.localhost', timeout: 10_000 },
        })) as PublicKeyCredential;
        return JSON.parse(new TextDecoder().decode(credential.response.clientDataJSON)) as Record<string, unknown>;
      } catch (error) {
        return (error as Error).name;
      }
    });

  it('without allow=, a sign-in from the cross-origin frame is refused with NotAllowedError', async () => {
    expect(await signInFrom(await frameWith(null))).toBe('NotAllowedError');
  });

  it('allow= of another feature only is refused too', async () => {
    expect(await signInFrom(await frameWith('publickey-credentials-create; camera'))).toBe('NotAllowedError');
  });

  it('with allow="publickey-credentials-get", it signs in, and clientData says crossOrigin with the top origin', async () => {
    expect(await signInFrom(await frameWith('publickey-credentials-get'))).toMatchObject({
      type: 'webauthn.get',
      origin: framed.origin,
      crossOrigin: true,
      topOrigin: top.origin,
    });
  });
});
