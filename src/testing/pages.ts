/** Helpers for the demo RP's page API and Latchkey's own windows. */
import type { Browser, CDPSession, Page } from 'puppeteer-core';
import type { CeremonyRecord } from '../diagnostics/record';
import type { PasskeyView } from '../webauthn/messages';
import type { LatchkeyBrowser } from './launchBrowser';

export interface DemoResult {
  ok: boolean;
  text: string;
  error?: { name: string; message: string };
}

declare global {
  interface Window {
    demo: {
      register(username: string, options?: Record<string, unknown>): Promise<DemoResult>;
      loginWithUsername(username: string, options?: Record<string, unknown>): Promise<DemoResult>;
      loginUsernameless(options?: Record<string, unknown>): Promise<DemoResult>;
    };
  }
}

/** Waits for Latchkey's prompt window and returns it as a page, ready to click. */
export async function waitForPrompt(latchkey: LatchkeyBrowser): Promise<Page> {
  const page = await latchkey.waitForExtensionPage('/extension/prompt/index.html');
  await page.waitForSelector('[data-testid="cancel"], [data-testid="approve"], [data-testid="account"]');
  return page;
}

/** Closed, or no longer reachable: Firefox's WebDriver BiDi does not always report extension windows closing. */
async function isGone(page: Page): Promise<boolean> {
  return page.isClosed() || page.evaluate(() => false).catch(() => true);
}

async function closedWithin(page: Page, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await isGone(page)) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return isGone(page);
}

/**
 * Clicks in the prompt and waits for the window to close, as it does once answered (so the
 * next waitForPrompt cannot find this one). The close may cut the click's own round trip short.
 */
export async function answerPrompt(prompt: Page, selector: string): Promise<void> {
  try {
    await prompt.click(selector);
  } catch (error) {
    if (!(await closedWithin(prompt, 2_000))) throw error;
  }
  if (!(await closedWithin(prompt, 10_000))) throw new Error(`the prompt stayed open after clicking ${selector}`);
}

export async function openDemo(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => typeof window.demo === 'object');
  return page;
}

/** The passkeys Latchkey holds, as its popup lists them (asked from one of the extension's own pages). */
export async function storedPasskeys(latchkey: LatchkeyBrowser): Promise<PasskeyView[]> {
  const page = await latchkey.extensionPage();
  const reply = await page.evaluate(() => chrome.runtime.sendMessage({ kind: 'passkeys.list' }));
  if (!reply?.passkeys) throw new Error(`passkeys.list failed: ${JSON.stringify(reply)}`);
  return reply.passkeys;
}

/** A ceremony started in a page that waits until the test aborts it (a hand-over, an autofill request). */
export interface AbortableCeremony {
  /** 'ok' or the error's name, once it has settled. */
  settled(): Promise<string>;
  abort(): Promise<void>;
}

let abortableCount = 0;

/**
 * Starts `call` in the page — an expression of `signal` (an AbortSignal), such as
 * `navigator.credentials.get({ publicKey: …, mediation: 'conditional', signal })` — without waiting for it.
 */
export async function startAbortable(page: Page, call: string): Promise<AbortableCeremony> {
  const slot = `__latchkeyAbortable${++abortableCount}`;
  await page.evaluate(`(() => {
    const controller = new AbortController();
    const signal = controller.signal;
    const state = { settled: '', controller };
    window[${JSON.stringify(slot)}] = state;
    Promise.resolve()
      .then(() => ${call})
      .then(() => (state.settled = 'ok'), (error) => (state.settled = error.name));
  })()`);
  return {
    async settled() {
      await page.waitForFunction(`window[${JSON.stringify(slot)}].settled !== ''`);
      return (await page.evaluate(`window[${JSON.stringify(slot)}].settled`)) as string;
    },
    async abort() {
      await page.evaluate(`window[${JSON.stringify(slot)}].controller.abort()`);
    },
  };
}

/** Latchkey's ceremony log, newest first (of one tab with `tabId`), as its diagnostics page reads it. */
export async function diagnosticRecords(latchkey: LatchkeyBrowser, tabId?: number): Promise<CeremonyRecord[]> {
  const page = await latchkey.extensionPage();
  const reply = await page.evaluate(
    (tab) => chrome.runtime.sendMessage({ kind: 'diagnostics.list', ...(tab !== undefined ? { tabId: tab } : {}) }),
    tabId,
  );
  if (!reply?.records) throw new Error(`diagnostics.list failed: ${JSON.stringify(reply)}`);
  return reply.records;
}

/** The newest record that matches, once there is one: the worker writes the log after it has answered the page. */
export async function waitForRecord(
  latchkey: LatchkeyBrowser,
  matches: (record: CeremonyRecord) => boolean,
  timeoutMs = 10_000,
): Promise<CeremonyRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const records = await diagnosticRecords(latchkey);
    const found = records.find(matches);
    if (found) return found;
    if (Date.now() > deadline) {
      throw new Error(`no matching ceremony record within ${timeoutMs} ms; newest: ${JSON.stringify(records.slice(0, 3))}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The browser's own authenticator for one tab (Chromium): a CDP virtual authenticator, a CTAP2
 * USB key with resident keys and user verification that answers at once unless told otherwise.
 * What "use another device or security key" reaches in tests.
 */
export async function addBrowserAuthenticator(
  page: Page,
  options: { automaticPresenceSimulation?: boolean; isUserVerified?: boolean } = {},
): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.createCDPSession();
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'usb',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: options.isUserVerified ?? true,
      automaticPresenceSimulation: options.automaticPresenceSimulation ?? true,
    },
  });
  return { cdp, authenticatorId };
}
