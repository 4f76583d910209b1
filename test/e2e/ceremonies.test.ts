/**
 * The foundation's end-to-end flow, in every browser under test (Debian's Chromium and
 * Firefox ESR) with the built extension, against the demo relying party verifying with
 * @simplewebauthn/server. Ceremonies are answered by clicking Latchkey's own prompt window,
 * as a person would, except where tester mode is switched on to show that it works too.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoRelyingParty, startDemoRelyingParty } from '../../demo/createDemoServer';
import { browsersUnderTest, launchBrowser, type LatchkeyBrowser } from '../../src/testing/launchBrowser';
import { answerPrompt, openDemo, storedPasskeys, waitForPrompt } from '../../src/testing/pages';

describe.each(browsersUnderTest())('%s: register and sign in with a Latchkey passkey', (browserName) => {
  let rp: DemoRelyingParty;
  let latchkey: LatchkeyBrowser;
  let page: Page;

  beforeAll(async () => {
    rp = await startDemoRelyingParty();
    latchkey = await launchBrowser({ browser: browserName });
  });

  afterAll(async () => {
    await latchkey?.close();
    await rp?.close();
  });

  it('registers: the save prompt names the site and the account, and the RP verifies the credential', async () => {
    page = await openDemo(latchkey.browser, `${rp.url}register`);
    const registration = page.evaluate(() => window.demo.register('alice'));
    const prompt = await waitForPrompt(latchkey);
    const text = await prompt.$eval('body', (body) => body.innerText);
    expect(text).toContain('localhost');
    expect(text).toContain('alice');
    expect(text).toContain(rp.origin);
    await answerPrompt(prompt, '[data-testid="approve"]');
    expect(await registration).toMatchObject({ ok: true });
    expect(rp.state.credentialsOf('alice')).toHaveLength(1);
    const stored = await storedPasskeys(latchkey);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ rpId: 'localhost', userName: 'alice', id: rp.state.credentialsOf('alice')[0]!.id });
  });

  it('signs in username-first: the account picker offers the passkey and the RP verifies the assertion', async () => {
    page = await openDemo(latchkey.browser, `${rp.url}login`);
    const login = page.evaluate(() => window.demo.loginWithUsername('alice'));
    const prompt = await waitForPrompt(latchkey);
    const accounts = await prompt.$$eval('[data-testid="account"]', (buttons) =>
      buttons.map((b) => (b as HTMLElement).innerText),
    );
    expect(accounts).toHaveLength(1);
    expect(accounts[0]).toContain('alice');
    await answerPrompt(prompt, '[data-testid="account"]');
    expect(await login).toMatchObject({ ok: true, text: 'Signed in as alice' });
    expect(rp.state.credentialsOf('alice')[0]?.counter).toBe(1);
  });

  it('signs in username-less, in tester mode without a window', async () => {
    await latchkey.setTesterMode(true);
    const login = await page.evaluate(() => window.demo.loginUsernameless());
    expect(login).toMatchObject({ ok: true, text: 'Signed in as alice' });
    // The per-credential signature counter went up once more, and the RP checked it.
    expect(rp.state.credentialsOf('alice')[0]?.counter).toBe(2);
    await latchkey.setTesterMode(false);
  });

  it('renames the passkey in the popup, then deletes it after confirmation', async () => {
    const alice = (await storedPasskeys(latchkey)).find((passkey) => passkey.userName === 'alice')!;
    const popup = await latchkey.openExtensionPage('popup/index.html');
    const row = `[data-testid="passkey-row"][data-passkey-id="${alice.id}"]`;
    await popup.waitForSelector(row);
    await popup.click(`${row} [data-testid="rename"]`);
    const input = await popup.waitForSelector(`${row} [data-testid="name-input"]`);
    await input!.click({ count: 3 });
    await input!.type('Work laptop');
    await popup.click(`${row} [data-testid="save-name"]`);
    await popup.waitForFunction((selector) => document.querySelector(selector)?.textContent?.includes('Work laptop'), {}, row);
    expect((await storedPasskeys(latchkey)).find((passkey) => passkey.id === alice.id)?.name).toBe('Work laptop');

    await (await popup.waitForSelector(`${row} [data-testid="delete"]`, { visible: true }))!.click();
    const confirmText = await popup.$eval('body', (body) => body.innerText);
    expect(confirmText).toContain('Work laptop');
    // Visible and still: the confirmation renders inside the virtual list, which may still be
    // laying out, and a click lands where the button was (Firefox's WebDriver BiDi clicks by position).
    const confirm = await popup.waitForSelector('[data-testid="confirm-delete"]', { visible: true });
    await popup.waitForFunction(async () => {
      const place = () => JSON.stringify(document.querySelector('[data-testid="confirm-delete"]')?.getBoundingClientRect());
      const before = place();
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      return before !== undefined && before === place();
    });
    await confirm!.click();
    await popup.waitForFunction((selector) => !document.querySelector(selector), {}, row);
    await popup.close();
    expect((await storedPasskeys(latchkey)).some((passkey) => passkey.id === alice.id)).toBe(false);
  });

  it('after deletion, sign-in offers no Latchkey passkey', async () => {
    const login = page.evaluate(() => window.demo.loginUsernameless());
    const prompt = await waitForPrompt(latchkey);
    expect(await prompt.$('[data-testid="account"]')).toBeNull();
    expect(await prompt.$eval('body', (body) => body.innerText)).toMatch(/no passkey for localhost/i);
    await answerPrompt(prompt, '[data-testid="cancel"]');
    expect(await login).toMatchObject({ ok: false, error: { name: 'NotAllowedError' } });
  });
});
