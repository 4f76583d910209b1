/**
 * Crashes: the browser killed outright right after a registration, and a prompt left open past
 * the worker's idle limit. Killing the browser is Chromium-only here (Firefox's temporary
 * add-on does not survive a restart); the idle-limit test runs in both browsers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoRelyingParty, startDemoRelyingParty } from '../../demo/createDemoServer';
import { browsersUnderTest, launchBrowser } from '../../src/testing/launchBrowser';
import { answerPrompt, openDemo, waitForPrompt } from '../../src/testing/pages';

/** Chromium stops an idle extension service worker after 30 s. */
const PAST_IDLE_LIMIT_MS = 35_000;

let rp: DemoRelyingParty;
beforeAll(async () => {
  rp = await startDemoRelyingParty();
});
afterAll(async () => {
  await rp?.close();
});

if (browsersUnderTest().includes('chromium')) {
  describe('chromium: the browser killed', () => {
    it('a passkey registered just before the browser is killed is there after a restart, and signs in', async () => {
      const profile = mkdtempSync(path.join(tmpdir(), 'latchkey-crash-'));
      try {
        const first = await launchBrowser({ userDataDir: profile });
        await first.setTesterMode(true);
        const page = await openDemo(first.browser, `${rp.url}register`);
        expect(await page.evaluate(() => window.demo.register('survivor'))).toMatchObject({ ok: true });
        first.browser.process()!.kill('SIGKILL');
        await new Promise((resolve) => first.browser.process()!.once('exit', resolve));

        const second = await launchBrowser({ userDataDir: profile });
        try {
          await second.setTesterMode(true);
          const again = await openDemo(second.browser, `${rp.url}login`);
          expect(await again.evaluate(() => window.demo.loginWithUsername('survivor'))).toMatchObject({
            ok: true,
            text: 'Signed in as survivor',
          });
        } finally {
          await second.close();
        }
      } finally {
        rmSync(profile, { recursive: true, force: true });
      }
    });
  });
}

describe.each(browsersUnderTest())('%s: a prompt left open past the idle limit', (browserName) => {
  it('still completes when the person answers', async () => {
    const latchkey = await launchBrowser({ browser: browserName });
    try {
      const page = await openDemo(latchkey.browser, `${rp.url}register`);
      const registration = page.evaluate(() => window.demo.register(`patient-${Math.random().toString(36).slice(2)}`));
      const prompt = await waitForPrompt(latchkey);
      await new Promise((resolve) => setTimeout(resolve, PAST_IDLE_LIMIT_MS));
      await answerPrompt(prompt, '[data-testid="approve"]');
      expect(await registration).toMatchObject({ ok: true });
    } finally {
      await latchkey.close();
    }
  }, 120_000);
});
