/**
 * Passkey autofill (mediation "conditional") with Latchkey's own dropdown, end to end in Chromium
 * at the demo RP (verified by @simplewebauthn/server): the dropdown appears under the
 * `autocomplete="username webauthn"` field, a pick signs in, the page can read neither the
 * accounts nor their number, a pick in a dropdown the page has made hard to see is confirmed in
 * Latchkey's window, an abort ends it, and "Other passkey options" hands the request to the
 * browser's own (modal) WebAuthn.
 *
 * Firefox lacks IntersectionObserver v2, so there every pick is confirmed in Latchkey's window;
 * Puppeteer's WebDriver BiDi does not reach extension frames inside a Firefox page, so its test
 * clicks the dropdown by position, as a person would.
 */
import type { Frame, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoRelyingParty, startDemoRelyingParty } from '../../demo/createDemoServer';
import { browsersUnderTest, launchBrowser, type LatchkeyBrowser } from '../../src/testing/launchBrowser';
import {
  addBrowserAuthenticator,
  answerPrompt,
  type DemoResult,
  openDemo,
  waitForPrompt,
  waitForRecord,
} from '../../src/testing/pages';

declare global {
  interface Window {
    __autofill?: { result: Promise<DemoResult>; abort: AbortController };
  }
}

const AUTOFILL_PATH = '/extension/autofill/index.html';

describe.runIf(browsersUnderTest().includes('chromium'))('chromium: passkey autofill', () => {
  let rp: DemoRelyingParty;
  let latchkey: LatchkeyBrowser;
  let page: Page;

  beforeAll(async () => {
    rp = await startDemoRelyingParty();
    latchkey = await launchBrowser({ browser: 'chromium' });
    page = await openDemo(latchkey.browser, `${rp.url}login`);
    await latchkey.setTesterMode(true);
    for (const name of ['ada', 'grace', 'hedy']) {
      expect(await page.evaluate((username) => window.demo.register(username), name)).toMatchObject({ ok: true });
    }
    await latchkey.setTesterMode(false);
  });

  afterAll(async () => {
    await latchkey?.close();
    await rp?.close();
  });

  /** Starts the demo's username-less sign-in as a conditional request, as an autofill page does on load. */
  async function startConditional(site = rp.url): Promise<void> {
    // Focus events reach a page only in a focused window; a Latchkey window may just have closed.
    await page.bringToFront();
    await page.goto(`${site}login`);
    await page.waitForFunction(() => typeof window.demo === 'object');
    await page.evaluate(() => {
      const abort = new AbortController();
      window.__autofill = { abort, result: window.demo.loginUsernameless({ mediation: 'conditional', signal: abort.signal }) };
    });
  }

  async function dropdown(): Promise<Frame> {
    await page.focus('#username');
    const frame = await page.waitForFrame((candidate) => candidate.url().includes(AUTOFILL_PATH));
    await frame.waitForSelector('[data-testid="account"], [data-testid="autofill-empty"]');
    return frame;
  }

  const result = () => page.evaluate(() => window.__autofill!.result);

  /** `step`, or an error that names it after 20 s: a step that hangs says which it was. */
  const within = <T>(step: Promise<T>, what: string): Promise<T> =>
    Promise.race([
      step,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not settle in 20 s`)), 20_000)),
    ]);

  it('a passkey picked in the dropdown signs in, without any Latchkey window', async () => {
    await startConditional();
    const frame = await dropdown();
    const offered = await frame.$$eval('[data-testid="account"] .account-user', (names) => names.map((name) => name.textContent));
    expect(offered.sort()).toEqual(['ada', 'grace', 'hedy']);
    await frame.waitForSelector('main[data-presence-ready="true"]');
    const windowsBefore = (await latchkey.browser.pages()).length;
    await frame.click('[data-testid="account"]');
    const signedIn = await result();
    expect(signedIn).toMatchObject({ ok: true });
    expect(offered).toContain((signedIn as DemoResult & { username: string }).username);
    expect((await latchkey.browser.pages()).length).toBe(windowsBefore);
    // The dropdown is gone once the request ended.
    expect(await page.$('latchkey-autofill')).toBeNull();
  });

  it('the page can read neither the accounts nor how many there are', async () => {
    await startConditional();
    const frame = await dropdown();
    expect(await frame.$$('[data-testid="account"]')).toHaveLength(3);
    const seen = await page.evaluate(() => {
      const host = document.querySelector('latchkey-autofill') as HTMLElement;
      return {
        shadowRoot: host.shadowRoot,
        iframesInDocument: document.querySelectorAll('iframe').length,
        text: document.documentElement.innerText + document.documentElement.outerHTML,
        height: host.getBoundingClientRect().height,
      };
    });
    expect(seen.shadowRoot).toBeNull();
    expect(seen.iframesInDocument).toBe(0);
    for (const name of ['ada', 'grace', 'hedy']) expect(seen.text).not.toContain(name);
    await page.evaluate(() => window.__autofill!.abort.abort());

    // A site for which Latchkey holds no passkey at all: the page sees a frame of the same size.
    const other = await startDemoRelyingParty({ rpId: 'other.localhost' });
    try {
      await startConditional(other.url);
      const empty = await dropdown();
      expect(await empty.$('[data-testid="autofill-empty"]')).not.toBeNull();
      const emptyHeight = await page.evaluate(() => document.querySelector('latchkey-autofill')!.getBoundingClientRect().height);
      expect(emptyHeight).toBe(seen.height);
      await page.evaluate(() => window.__autofill!.abort.abort());
    } finally {
      await other.close();
    }
  });

  it('a pick in a dropdown the page made hard to see is confirmed in Latchkey\u2019s window', async () => {
    await startConditional();
    // A clickjacking page: everything, the dropdown included, at 10 % opacity.
    await page.addStyleTag({ content: 'html { opacity: 0.1 !important; }' });
    const frame = await dropdown();
    // Longer than a visible dropdown needs: this one never becomes ready.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await frame.$eval('main', (main) => main.getAttribute('data-presence-ready'))).toBe('false');
    await frame.click('[data-testid="account"]');
    const prompt = await waitForPrompt(latchkey);
    const confirmable = await prompt.$$('[data-testid="account"]');
    expect(confirmable).toHaveLength(1);
    await answerPrompt(prompt, '[data-testid="account"]');
    expect(await result()).toMatchObject({ ok: true });
  });

  it('an abort removes the dropdown and rejects with AbortError', async () => {
    await startConditional();
    await dropdown();
    await page.evaluate(() => window.__autofill!.abort.abort());
    expect(await result()).toMatchObject({ ok: false, error: { name: 'AbortError' } });
    await page.waitForFunction(() => document.querySelector('latchkey-autofill') === null);
  });

  it('a page that navigates away while its autofill request waits leaves nothing waiting in the worker', async () => {
    await startConditional();
    const pending = await waitForRecord(
      latchkey,
      (record) => record.request.mediation === 'conditional' && record.outcome.status === 'pending',
    );
    await page.goto(`${rp.url}`);
    // The bridge of the old document no longer asks after it: the worker ends it (15 s after the last ask).
    const ended = await waitForRecord(
      latchkey,
      (record) => record.key === pending.key && record.outcome.status === 'error',
      30_000,
    );
    expect(ended.outcome).toMatchObject({ status: 'error', name: 'AbortError' });
  }, 60_000);

  it('"Other passkey options" hands the request to the browser\u2019s own dialog, where a passkey Latchkey lacks signs in', async () => {
    await page.bringToFront();
    const { cdp, authenticatorId } = await addBrowserAuthenticator(page);
    try {
      // A passkey on "another device": registered through Latchkey's "Use another device", so the
      // browser's own WebAuthn (the virtual authenticator) holds it and Latchkey does not.
      await page.goto(`${rp.url}register`);
      await page.waitForFunction(() => typeof window.demo === 'object');
      const registration = page.evaluate(() => window.demo.register('vera'));
      await answerPrompt(await waitForPrompt(latchkey), '[data-testid="use-another"]');
      expect(await within(registration, 'the registration handed to the browser')).toMatchObject({ ok: true });

      await startConditional();
      const frame = await dropdown();
      await frame.click('[data-testid="autofill-other"]');
      // Chromium's own (modal) request, answered by the virtual authenticator, verified by the RP.
      expect(await within(result(), 'the sign-in handed to the browser')).toMatchObject({ ok: true, username: 'vera' });
    } finally {
      await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
      await cdp.detach();
    }
  });
});

describe.runIf(browsersUnderTest().includes('firefox'))('firefox: passkey autofill', () => {
  let rp: DemoRelyingParty;
  let latchkey: LatchkeyBrowser;

  beforeAll(async () => {
    rp = await startDemoRelyingParty();
    latchkey = await launchBrowser({ browser: 'firefox' });
  });

  afterAll(async () => {
    await latchkey?.close();
    await rp?.close();
  });

  it('the dropdown appears under the field, and a pick is confirmed in Latchkey\u2019s window (no IntersectionObserver v2)', async () => {
    const page = await openDemo(latchkey.browser, `${rp.url}login`);
    await latchkey.setTesterMode(true);
    expect(await page.evaluate(() => window.demo.register('fiona'))).toMatchObject({ ok: true });
    await latchkey.setTesterMode(false);
    await page.evaluate(() => {
      const abort = new AbortController();
      window.__autofill = { abort, result: window.demo.loginUsernameless({ mediation: 'conditional', signal: abort.signal }) };
    });
    await page.focus('#username');
    await page.waitForFunction(() => document.querySelector('latchkey-autofill') !== null);
    const [box, field] = await page.evaluate(() =>
      [document.querySelector('latchkey-autofill')!, document.querySelector('#username')!].map((element) => {
        const { left, top, bottom } = element.getBoundingClientRect();
        return { left, top, bottom };
      }),
    );
    expect(box!.top).toBeGreaterThanOrEqual(field!.bottom);
    // The first account sits under the dropdown's header; clicking it before the frame has loaded
    // does nothing, so the click is repeated until Latchkey's window opens.
    const prompt = latchkey.waitForExtensionPage('/extension/prompt/index.html');
    let opened = false;
    void prompt.then(() => (opened = true));
    for (let attempt = 0; attempt < 20 && !opened; attempt++) {
      await page.mouse.click(box!.left + 40, box!.top + 60);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const confirmation = await waitForPrompt(latchkey);
    expect(await confirmation.$$('[data-testid="account"]')).toHaveLength(1);
    await answerPrompt(confirmation, '[data-testid="account"]');
    expect(await page.evaluate(() => window.__autofill!.result)).toMatchObject({ ok: true, username: 'fiona' });
  });
});
