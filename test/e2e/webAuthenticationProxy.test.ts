/**
 * The second interception path, chrome.webAuthenticationProxy (Chromium only: Firefox has no such
 * API), end to end at the demo RP. A page whose `navigator.credentials.create/get` were locked by
 * a script that ran before Latchkey (here: Puppeteer's evaluateOnNewDocument, which runs before
 * content scripts) reaches the browser's own WebAuthn directly. With the setting off, the
 * browser's own WebAuthn takes such a request (headless, with no authenticator, it ends in
 * NotAllowedError at the site's timeout); with it on, Latchkey answers, through the proxy. A
 * request Latchkey's wrapper answers never reaches the proxy, and one it hands to the browser
 * reaches the browser, not Latchkey again: never both.
 *
 * No CDP virtual authenticator here: Chromium gives a page with a virtual authenticator
 * environment to that environment before the proxy (checked by hand: the proxy then sees
 * nothing), which would hide what is under test.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoRelyingParty, startDemoRelyingParty } from '../../demo/createDemoServer';
import type { CeremonyRecord } from '../../src/diagnostics/record';
import { browsersUnderTest, launchBrowser, type LatchkeyBrowser } from '../../src/testing/launchBrowser';
import { answerPrompt, storedPasskeys, waitForPrompt } from '../../src/testing/pages';

const LATCHKEY_AAGUID = '42e2403e-79f9-c37b-9c87-6017e09ed8e0';

/** Locks create/get on navigator.credentials as non-configurable copies of the browser's own, before Latchkey runs. */
const LOCK_BEFORE_LATCHKEY = `(() => {
  const proto = CredentialsContainer.prototype;
  const create = proto.create, get = proto.get;
  window.__lockedBeforeLatchkey = String(create).includes('[native code]');
  Object.defineProperty(navigator.credentials, 'create', { value: (o) => create.call(navigator.credentials, o), configurable: false, writable: false });
  Object.defineProperty(navigator.credentials, 'get', { value: (o) => get.call(navigator.credentials, o), configurable: false, writable: false });
})();`;

describe.runIf(browsersUnderTest().includes('chromium'))('chromium: the WebAuthn proxy path', () => {
  let rp: DemoRelyingParty;
  let latchkey: LatchkeyBrowser;
  let locked: Page;

  beforeAll(async () => {
    rp = await startDemoRelyingParty();
    latchkey = await launchBrowser({ browser: 'chromium' });
    await latchkey.setTesterMode(true);
    locked = await latchkey.browser.newPage();
    await locked.evaluateOnNewDocument(LOCK_BEFORE_LATCHKEY);
  });

  afterAll(async () => {
    await latchkey?.close();
    await rp?.close();
  });

  const setProxy = (on: boolean) =>
    latchkey.sendFromExtensionPage({ kind: 'settings.set', settings: { interceptWithProxy: on } });

  /**
   * Registers at the demo RP. `abortAfterMs`: the page aborts the request after that long, for a
   * request only the browser's own WebAuthn holds (headless, it has no authenticator to answer).
   */
  async function registerOn(page: Page, username: string, abortAfterMs = 0) {
    await page.goto(`${rp.url}register`);
    await page.waitForFunction(() => typeof window.demo === 'object');
    const result = await page.evaluate(
      (name, ms) => window.demo.register(name, ms > 0 ? { signal: AbortSignal.timeout(ms) } : {}),
      username,
      abortAfterMs,
    );
    return { result, aaguid: rp.state.credentialsOf(username).at(-1)?.aaguid };
  }

  const proxiedRecords = async () =>
    (await latchkey.sendFromExtensionPage<{ records: CeremonyRecord[] }>({ kind: 'diagnostics.list' })).records.filter((record) =>
      record.requestId.startsWith('proxy-'),
    );

  it('the lock really bypasses Latchkey\u2019s wrapper: with the setting off, the browser\u2019s own WebAuthn takes the request', async () => {
    await setProxy(false);
    const before = (await storedPasskeys(latchkey)).length;
    const { result } = await registerOn(locked, 'off-user', 2_000);
    expect(await locked.evaluate(() => (window as unknown as { __lockedBeforeLatchkey: boolean }).__lockedBeforeLatchkey)).toBe(
      true,
    );
    // Tester mode is on, so Latchkey would have said yes at once: the browser's own WebAuthn was
    // still waiting for an authenticator when the page gave up.
    expect(result).toMatchObject({ ok: false, error: { name: 'TimeoutError' } });
    expect((await storedPasskeys(latchkey)).length).toBe(before);
    expect(await proxiedRecords()).toEqual([]);
  });

  it('with the setting on, Latchkey answers the bypassing registration and sign-in through the proxy, verified by the RP', async () => {
    await setProxy(true);
    const before = (await storedPasskeys(latchkey)).length;
    const { result, aaguid } = await registerOn(locked, 'proxy-user');
    expect(result).toMatchObject({ ok: true });
    expect(aaguid).toBe(LATCHKEY_AAGUID);
    expect((await storedPasskeys(latchkey)).length).toBe(before + 1);
    const signIn = await locked.evaluate(() => window.demo.loginWithUsername('proxy-user'));
    expect(signIn).toMatchObject({ ok: true, username: 'proxy-user' });
    // Recorded like any request, with the origin the browser named.
    const records = await proxiedRecords();
    expect(records.map((record) => [record.operation, record.origin, record.outcome.status]).sort()).toEqual([
      ['create', rp.origin, 'success'],
      ['get', rp.origin, 'success'],
    ]);
  });

  it('a request the wrapper answers never reaches the proxy: one passkey, no proxied record', async () => {
    await setProxy(true);
    const page = await latchkey.browser.newPage();
    const proxiedBefore = (await proxiedRecords()).length;
    const before = (await storedPasskeys(latchkey)).length;
    const { result, aaguid } = await registerOn(page, 'wrapper-user');
    expect(result).toMatchObject({ ok: true });
    expect(aaguid).toBe(LATCHKEY_AAGUID);
    expect((await storedPasskeys(latchkey)).length).toBe(before + 1);
    expect((await proxiedRecords()).length).toBe(proxiedBefore);
    await page.close();
  });

  it('"use another device" goes to the browser\u2019s own WebAuthn, not back to Latchkey, and the proxy is back afterwards', async () => {
    await setProxy(true);
    await latchkey.setTesterMode(false);
    const page = await latchkey.browser.newPage();
    await page.goto(`${rp.url}register`);
    await page.waitForFunction(() => typeof window.demo === 'object');
    const proxiedBefore = (await proxiedRecords()).length;
    const registration = page.evaluate(() => window.demo.register('handed-over', { signal: AbortSignal.timeout(3_000) }));
    await answerPrompt(await waitForPrompt(latchkey), '[data-testid="use-another"]');
    // Had the proxy still been attached, Latchkey would have taken the request again (a second
    // prompt window, a proxied record). The browser's own WebAuthn waited for an authenticator instead.
    expect(await registration).toMatchObject({ ok: false, error: { name: 'TimeoutError' } });
    expect((await proxiedRecords()).length).toBe(proxiedBefore);
    await page.close();

    // Attached again once the page reported the browser's outcome: the locked page's next request is Latchkey's.
    await latchkey.setTesterMode(true);
    const again = await registerOn(locked, 'proxy-again');
    expect(again.result).toMatchObject({ ok: true });
    expect(again.aaguid).toBe(LATCHKEY_AAGUID);
  });

  it('switched off again in the popup, the locked page is the browser\u2019s once more', async () => {
    const popup = await latchkey.openExtensionPage('popup/index.html');
    const toggle = await popup.waitForSelector('[data-testid="proxy-toggle"]:not([disabled])');
    expect(await toggle!.evaluate((input) => (input as HTMLInputElement).checked)).toBe(true);
    await toggle!.click();
    await popup.waitForFunction(async () => {
      const { settings } = await chrome.storage.local.get('settings');
      return (settings as { interceptWithProxy?: boolean } | undefined)?.interceptWithProxy === false;
    });
    await popup.close();
    const before = (await proxiedRecords()).length;
    const { result } = await registerOn(locked, 'off-again', 2_000);
    expect(result).toMatchObject({ ok: false, error: { name: 'TimeoutError' } });
    expect((await proxiedRecords()).length).toBe(before);
  });
});
