/**
 * Launches a browser with the built extension loaded — Debian's Chromium (RECIPES.md) or
 * Firefox ESR — and gives tests one way into both: the extension's own pages, which hold
 * the same privileges as its background and can be driven from Node.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page, type WebWorker } from 'puppeteer-core';
import type { VaultStatusView } from '../webauthn/messages';

/** The passphrase launchBrowser gives a new profile's vault unless told otherwise. */
export const TEST_PASSPHRASE = 'latchkey test passphrase';

export type { VaultStatusView };

export type BrowserName = 'chromium' | 'firefox';

export const DIST_DIR = path.resolve(import.meta.dirname, '../../dist');
export const extensionDir = (name: BrowserName): string => path.join(DIST_DIR, name);

/** Firefox gives each installed extension a random moz-extension:// host; a pref fixes it for tests. */
const FIREFOX_EXTENSION_ID = 'latchkey@latchkey.invalid';
const FIREFOX_EXTENSION_UUID = '5f1e0f4a-6f4e-4d5b-9a51-3c3f5a7c0b11';

const EXECUTABLES: Record<BrowserName, { env: string; path: string; install: string }> = {
  chromium: { env: 'CHROME_PATH', path: '/usr/bin/chromium', install: 'sudo apt-get install -y chromium' },
  firefox: { env: 'FIREFOX_PATH', path: '/usr/bin/firefox-esr', install: 'sudo apt-get install -y firefox-esr' },
};

export function browserPath(name: BrowserName): string {
  const { env, path: fallback, install } = EXECUTABLES[name];
  const candidate = process.env[env] ?? fallback;
  if (!existsSync(candidate)) {
    throw new Error(`${name} was not found at ${candidate}. Install it with: ${install} (or set ${env}).`);
  }
  return candidate;
}

/** Kept for callers that only know Chromium. */
export const chromiumPath = (): string => browserPath('chromium');

/** Flags that keep Chromium quiet on a machine without a network (RECIPES.md). */
export const QUIET_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-features=Translate,OptimizationHints,MediaRouter',
];

/** Firefox's twins of those flags: no updates, telemetry or remote settings on a closed network. */
const QUIET_FIREFOX_PREFS = {
  'app.update.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
  'browser.shell.checkDefaultBrowser': false,
  'extensions.update.enabled': false,
  'services.settings.server': 'http://127.0.0.1:9/',
};

export interface LaunchOptions {
  browser?: BrowserName;
  /** Load the Latchkey extension (default true). */
  extension?: boolean;
  /** Reuse a profile folder (for restart tests); a fresh temporary one otherwise. Chromium only. */
  userDataDir?: string;
  headless?: boolean;
  /**
   * Latchkey stores no passkey without a vault passphrase. On a profile without a vault,
   * launchBrowser creates one with this passphrase (default TEST_PASSPHRASE), so tests can
   * register at once; `null` leaves the profile without a vault (the first ceremony then asks
   * for a passphrase). An existing vault is left as it is (locked after a restart).
   */
  vaultPassphrase?: string | null;
}

export interface LatchkeyBrowser {
  name: BrowserName;
  browser: Browser;
  /** The extension's id ('' without the extension). */
  extensionId: string;
  /** chrome-extension://<id>/ or moz-extension://<uuid>/ */
  extensionOrigin: string;
  /** Chromium's extension service worker. Firefox runs the same code as an event page, which no driver reaches. */
  worker(): Promise<WebWorker>;
  /** A page of the extension's own, for reading and changing its state as its own UI does. */
  extensionPage(): Promise<Page>;
  /** Tester mode on or off, set as the extension's settings do (never through a web page). */
  setTesterMode(on: boolean): Promise<void>;
  /**
   * Sends one request from an extension page to the worker, as the popup does
   * (e.g. `{ kind: 'vault.setPin', pin: '2468' }`); throws with the worker's error.
   */
  sendFromExtensionPage<T = unknown>(message: Record<string, unknown>): Promise<T>;
  vaultStatus(): Promise<VaultStatusView>;
  /** Opens one of the extension's pages (e.g. 'popup/index.html') in a new tab. */
  openExtensionPage(pagePath: string): Promise<Page>;
  /** Waits for a page of the extension whose URL contains `fragment` (a window it opened itself). */
  waitForExtensionPage(fragment: string, timeoutMs?: number): Promise<Page>;
  close(): Promise<void>;
}

/** The page's real location: Firefox's WebDriver BiDi reports extension pages as about:blank. */
async function locationOf(page: Page): Promise<string> {
  if (page.isClosed()) return '';
  // Evaluated even where page.url() looks right, so that a window already closed (which BiDi
  // may still list) is not taken for a live one.
  return page.evaluate(() => location.href).catch(() => '');
}

export async function launchBrowser(options: LaunchOptions = {}): Promise<LatchkeyBrowser> {
  const name = options.browser ?? 'chromium';
  const withExtension = options.extension ?? true;
  const dir = extensionDir(name);
  if (withExtension && !existsSync(path.join(dir, 'manifest.json'))) {
    throw new Error(`The extension is not built (${dir}). Run: npm run build`);
  }
  const headless = options.headless ?? !process.env.LATCHKEY_HEADFUL;
  const temporaryProfile = options.userDataDir ? null : mkdtempSync(path.join(tmpdir(), `latchkey-${name}-`));
  const userDataDir = options.userDataDir ?? temporaryProfile!;

  let browser: Browser;
  let extensionId = '';
  let extensionOrigin = '';
  if (name === 'chromium') {
    browser = await puppeteer.launch({
      executablePath: browserPath('chromium'),
      headless,
      userDataDir,
      ignoreDefaultArgs: ['--disable-extensions'],
      args: [...QUIET_FLAGS, ...(withExtension ? [`--disable-extensions-except=${dir}`, `--load-extension=${dir}`] : [])],
    });
    if (withExtension) {
      const target = await browser.waitForTarget(
        (candidate) => candidate.type() === 'service_worker' && candidate.url().startsWith('chrome-extension://'),
        { timeout: 30_000 },
      );
      extensionId = new URL(target.url()).host;
      extensionOrigin = `chrome-extension://${extensionId}/`;
    }
  } else {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: browserPath('firefox'),
      headless,
      userDataDir,
      extraPrefsFirefox: {
        ...QUIET_FIREFOX_PREFS,
        'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_EXTENSION_ID]: FIREFOX_EXTENSION_UUID }),
      },
    });
    if (withExtension) {
      extensionId = await browser.installExtension(dir);
      extensionOrigin = `moz-extension://${FIREFOX_EXTENSION_UUID}/`;
    }
  }

  async function waitForExtensionPage(fragment: string, timeoutMs = 20_000): Promise<Page> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const page of await browser.pages()) {
        const href = await locationOf(page);
        if (href.startsWith(extensionOrigin) && href.includes(fragment)) return page;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no extension page with "${fragment}" opened within ${timeoutMs} ms`);
  }

  let control: Page | undefined;
  async function extensionPage(): Promise<Page> {
    if (control && !control.isClosed()) return control;
    // A first install opens the welcome tab (background/service-worker.ts); it is the way in for Firefox.
    control = name === 'firefox' ? await waitForExtensionPage('popup/index.html') : await openPage('popup/index.html');
    return control;
  }

  async function openPage(pagePath: string): Promise<Page> {
    if (name === 'chromium') {
      const page = await browser.newPage();
      await page.goto(`${extensionOrigin}${pagePath}`);
      return page;
    }
    // WebDriver BiDi may not navigate to extension pages; the extension opens its own tab.
    const marker = `latchkey-tab=${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const url = `${extensionOrigin}${pagePath}${pagePath.includes('?') ? '&' : '?'}${marker}`;
    await (await extensionPage()).evaluate((target) => chrome.tabs.create({ url: target }).then(() => undefined), url);
    const page = await waitForExtensionPage(marker);
    await page.waitForFunction(() => document.readyState === 'complete');
    return page;
  }

  async function sendFromExtensionPage<T>(message: Record<string, unknown>): Promise<T> {
    const reply = await (await extensionPage()).evaluate((request) => chrome.runtime.sendMessage(request), message);
    if (reply && typeof reply === 'object' && 'error' in reply) throw new Error(String((reply as { error: unknown }).error));
    return reply as T;
  }

  if (withExtension && options.vaultPassphrase !== null) {
    const { vault } = await sendFromExtensionPage<{ vault: VaultStatusView }>({ kind: 'vault.status' });
    if (!vault.exists)
      await sendFromExtensionPage({ kind: 'vault.create', passphrase: options.vaultPassphrase ?? TEST_PASSPHRASE });
  }

  return {
    name,
    browser,
    sendFromExtensionPage,
    async vaultStatus() {
      return (await sendFromExtensionPage<{ vault: VaultStatusView }>({ kind: 'vault.status' })).vault;
    },
    extensionId,
    extensionOrigin,
    async worker() {
      if (name !== 'chromium')
        throw new Error('Firefox runs the background as an event page, which no driver reaches: use extensionPage()');
      const target = await browser.waitForTarget(
        (candidate) => candidate.type() === 'service_worker' && candidate.url().startsWith(extensionOrigin),
        { timeout: 30_000 },
      );
      const handle = (await target.worker())!;
      // The target appears before chrome.* is bound: poll with separate evaluate calls (RECIPES.md).
      for (let attempt = 0; attempt < 100; attempt++) {
        if (await handle.evaluate(() => typeof chrome !== 'undefined' && !!chrome.storage?.local)) return handle;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error('the extension service worker never bound chrome.*');
    },
    extensionPage,
    async setTesterMode(on) {
      const page = await extensionPage();
      await page.evaluate(async (value) => {
        const current = (await chrome.storage.local.get('settings')).settings ?? {};
        await chrome.storage.local.set({ settings: { ...current, testerAutoApprove: value } });
      }, on);
      // The background applies settings from its storage.onChanged listener; the TEST badge shows when it has.
      const expected = on ? 'TEST' : '';
      for (let attempt = 0; attempt < 200; attempt++) {
        if ((await page.evaluate(() => chrome.action.getBadgeText({}))) === expected) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`tester mode ${on ? 'on' : 'off'} was not applied: the badge never read "${expected}"`);
    },
    openExtensionPage: openPage,
    waitForExtensionPage,
    async close() {
      const process = browser.process();
      const exited = process && process.exitCode === null ? new Promise((resolve) => process.once('exit', resolve)) : null;
      await browser.close();
      // Until the process has exited, the profile's databases may still be written (tests read them).
      await exited;
      if (temporaryProfile) rmSync(temporaryProfile, { recursive: true, force: true });
    },
  };
}

/** The browsers the end-to-end suite runs in: LATCHKEY_BROWSERS=chromium,firefox (the default is both). */
export function browsersUnderTest(): BrowserName[] {
  const names = (process.env.LATCHKEY_BROWSERS ?? 'chromium,firefox').split(',').map((name) => name.trim());
  for (const name of names) {
    if (name !== 'chromium' && name !== 'firefox') throw new Error(`LATCHKEY_BROWSERS: unknown browser "${name}"`);
  }
  return names as BrowserName[];
}
