/**
 * The orphaned-passkey known issue, end to end in each browser: the demo RP deletes a passkey
 * on its side, and Latchkey finds out from the Signal API or, with no signals at all, from what
 * the site sends anyway. Orphaned passkeys leave the account picker and are marked in the
 * popup; nothing is deleted until the user says so.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoRelyingParty, startDemoRelyingParty } from '../../demo/createDemoServer';
import { browsersUnderTest, launchBrowser, type LatchkeyBrowser } from '../../src/testing/launchBrowser';
import { answerPrompt, openDemo, storedPasskeys, waitForPrompt } from '../../src/testing/pages';

describe.each(browsersUnderTest())('%s: orphaned passkeys', (browserName) => {
  let rp: DemoRelyingParty;
  let latchkey: LatchkeyBrowser;
  let page: Page;

  beforeAll(async () => {
    rp = await startDemoRelyingParty();
    latchkey = await launchBrowser({ browser: browserName });
    page = await openDemo(latchkey.browser, `${rp.url}login`);
  });

  afterAll(async () => {
    await latchkey?.close();
    await rp?.close();
  });

  async function register(username: string): Promise<string> {
    await latchkey.setTesterMode(true);
    const result = await page.evaluate((name) => window.demo.register(name), username);
    expect(result).toMatchObject({ ok: true });
    return rp.state.credentialsOf(username).at(-1)!.id;
  }

  /** The accounts Latchkey's picker offers for a username-less sign-in (then cancelled). */
  async function pickerOffers(): Promise<string[]> {
    await latchkey.setTesterMode(false);
    const login = page.evaluate(() => window.demo.loginUsernameless());
    const prompt = await waitForPrompt(latchkey);
    const offered = await prompt.$$eval('[data-testid="account"]', (buttons) =>
      buttons.map((button) => button.getAttribute('data-passkey-id')!),
    );
    await answerPrompt(prompt, '[data-testid="cancel"]');
    await login;
    return offered;
  }

  async function healthOf(id: string): Promise<string | undefined> {
    return (await storedPasskeys(latchkey)).find((passkey) => passkey.id === id)?.health;
  }

  it('signalUnknownCredential after the site rejects a deleted passkey: gone from the picker, orphaned in the popup', async () => {
    const id = await register('olivia');
    rp.state.deleteCredential('olivia', id);
    // The sign-in is rejected by the site, whose page then signals the unknown credential.
    await latchkey.setTesterMode(true);
    const rejected = await page.evaluate(() => window.demo.loginUsernameless({ signalUnknownCredential: true }));
    expect(rejected).toMatchObject({ ok: false, unknownCredential: id, signalled: true });
    expect(await pickerOffers()).not.toContain(id);
    expect(await healthOf(id)).toBe('orphaned');

    const popup = await latchkey.openExtensionPage('popup/index.html');
    const note = await popup.waitForSelector(`[data-passkey-id="${id}"] [data-testid="health"]`);
    expect(await note!.evaluate((element) => (element as HTMLElement).innerText)).toMatch(/no longer knows this passkey/);
    await popup.close();
    // Hidden, not deleted.
    expect((await storedPasskeys(latchkey)).some((passkey) => passkey.id === id)).toBe(true);
  });

  it('signalAllAcceptedCredentials without the passkey hides it; a later list with it brings it back', async () => {
    const id = await register('paul');
    const userId = rp.state.user('paul')!.id;
    const signal = (accepted: string[]) =>
      page.evaluate(
        (user, ids) =>
          PublicKeyCredential.signalAllAcceptedCredentials({ rpId: 'localhost', userId: user, allAcceptedCredentialIds: ids }),
        userId,
        accepted,
      );
    await signal([]);
    expect(await healthOf(id)).toBe('orphaned');
    expect(await pickerOffers()).not.toContain(id);
    await signal([id]);
    expect(await healthOf(id)).toBe('ok');
    expect(await pickerOffers()).toContain(id);
  });

  it('with no signals at all, registering the same account again orphans the passkey the site deleted', async () => {
    const stale = await register('quinn');
    rp.state.deleteCredential('quinn', stale);
    const fresh = await register('quinn');
    expect(fresh).not.toBe(stale);
    expect(await healthOf(stale)).toBe('orphaned');
    expect(await healthOf(fresh)).toBe('ok');
    const offered = await pickerOffers();
    expect(offered).toContain(fresh);
    expect(offered).not.toContain(stale);
    // The user may show it again from the popup: hiding is reversible.
    const popup = await latchkey.openExtensionPage('popup/index.html');
    await popup.click(`[data-passkey-id="${stale}"] [data-testid="show-again"]`);
    await popup.waitForFunction(
      (selector) => !document.querySelector(selector),
      {},
      `[data-passkey-id="${stale}"] [data-testid="health"]`,
    );
    await popup.close();
    expect(await healthOf(stale)).toBe('ok');
  });

  it('signalCurrentUserDetails renames the account on the passkey', async () => {
    const id = await register('rita');
    const userId = rp.state.user('rita')!.id;
    await page.evaluate(
      (user) =>
        PublicKeyCredential.signalCurrentUserDetails({
          rpId: 'localhost',
          userId: user,
          name: 'rita.new@example.com',
          displayName: 'Rita New',
        }),
      userId,
    );
    expect((await storedPasskeys(latchkey)).find((passkey) => passkey.id === id)).toMatchObject({
      userName: 'rita.new@example.com',
      userDisplayName: 'Rita New',
    });
  });

  it('bad signal arguments get the errors the spec names, and change nothing', async () => {
    const before = await storedPasskeys(latchkey);
    const outcomes = await page.evaluate(() =>
      Promise.all(
        [
          () => PublicKeyCredential.signalUnknownCredential({ rpId: 'localhost', credentialId: 'not+base64url' }),
          () => PublicKeyCredential.signalUnknownCredential({ rpId: 'example.com', credentialId: 'AQID' }),
          () =>
            PublicKeyCredential.signalAllAcceptedCredentials({ rpId: 'localhost', userId: '%%', allAcceptedCredentialIds: [] }),
          () =>
            (PublicKeyCredential.signalCurrentUserDetails as (options: unknown) => Promise<void>)({
              rpId: 'localhost',
              userId: 'AQ',
            }),
        ].map((call) =>
          call().then(
            () => 'ok',
            (error: Error) => error.name,
          ),
        ),
      ),
    );
    expect(outcomes).toEqual(['TypeError', 'SecurityError', 'TypeError', 'TypeError']);
    expect(await storedPasskeys(latchkey)).toEqual(before);
  });
});
