/**
 * The example of docs/testing.md, run: one registration test written against Chromium's CDP
 * WebAuthn domain, and the same test ported to Latchkey's testing API by renaming. Both verify
 * against the demo RP; the Latchkey one also runs in Firefox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoRelyingParty, startDemoRelyingParty } from '../../demo/createDemoServer';
import { LatchkeyTesting } from '../../src/testing/latchkeyTesting';
import { browsersUnderTest, launchBrowser } from '../../src/testing/launchBrowser';
import { openDemo } from '../../src/testing/pages';

const OPTIONS = {
  protocol: 'ctap2',
  transport: 'internal',
  hasResidentKey: true,
  hasUserVerification: true,
  isUserVerified: true,
  automaticPresenceSimulation: true,
} as const;

let rp: DemoRelyingParty;
beforeAll(async () => {
  rp = await startDemoRelyingParty();
});
afterAll(async () => {
  await rp?.close();
});

describe('one test, before and after porting', () => {
  if (browsersUnderTest().includes('chromium')) {
    it('CDP: registers with Chromium\u2019s own virtual authenticator', async () => {
      const browser = await launchBrowser({ extension: false });
      try {
        const page = await openDemo(browser.browser, `${rp.url}register`);
        const cdp = await page.createCDPSession();
        await cdp.send('WebAuthn.enable');
        const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', { options: OPTIONS });
        expect(await page.evaluate(() => window.demo.register('cdp-user'))).toMatchObject({ ok: true });
        const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
        expect(credentials).toHaveLength(1);
      } finally {
        await browser.close();
      }
    });
  }

  it.each(browsersUnderTest())('Latchkey in %s: the same test, renamed', async (name) => {
    const browser = await launchBrowser({ browser: name });
    try {
      const page = await openDemo(browser.browser, `${rp.url}register`);
      const latchkey = await LatchkeyTesting.attach(browser);
      const { authenticatorId } = await latchkey.addVirtualAuthenticator(OPTIONS);
      expect(await page.evaluate((user) => window.demo.register(user), `latchkey-user-${name}`)).toMatchObject({ ok: true });
      const { credentials } = await latchkey.getCredentials({ authenticatorId });
      expect(credentials).toHaveLength(1);
    } finally {
      await browser.close();
    }
  });
});
