/**
 * Launches Debian's Chromium with the built extension loaded (RECIPES.md), and gives tests
 * the extension's service worker, its id and its pages.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page, type WebWorker } from 'puppeteer-core';
import type { VaultStatusView } from '../webauthn/messages';

export const EXTENSION_DIR = path.resolve(import.meta.dirname, '../../dist');

export function chromiumPath(): string {
  const candidate = process.env.CHROME_PATH ?? '/usr/bin/chromium';
  if (!existsSync(candidate)) {
    throw new Error(`Chromium was not found at ${candidate}. Install it with: sudo apt-get install -y chromium (or set CHROME_PATH).`);
  }
  return candidate;
}

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

export interface LaunchOptions {
  /** Load the Latchkey extension (default true). */
  extension?: boolean;
  /** Reuse a profile folder (for restart tests); a fresh temporary one otherwise. */
  userDataDir?: string;
  headless?: boolean;
  /**
   * Latchkey stores no passkey without a vault passphrase. On a profile without a
   * vault, launchBrowser creates one with this passphrase (default
   * TEST_PASSPHRASE), so tests can register at once; `null` leaves the profile
   * without a vault (the first ceremony then asks for a passphrase).
   */
  vaultPassphrase?: string | null;
}

/** The passphrase launchBrowser gives a new profile's vault unless told otherwise. */
export const TEST_PASSPHRASE = 'latchkey test passphrase';

export type { VaultStatusView };

export interface LatchkeyBrowser {
  browser: Browser;
  /** The extension's id, or '' when launched without it. */
  extensionId: string;
  worker(): Promise<WebWorker>;
  /** Tester mode on or off, set through the service worker (never through a page). */
  setTesterMode(on: boolean): Promise<void>;
  /**
   * Sends one request from an extension page to the worker, as the popup does
   * (e.g. `{ kind: 'vault.setPin', pin: '2468' }`); throws with the worker's error.
   */
  sendFromExtensionPage<T = unknown>(message: Record<string, unknown>): Promise<T>;
  vaultStatus(): Promise<VaultStatusView>;
  /** Opens one of the extension's pages (e.g. 'popup/index.html') in a tab. */
  openExtensionPage(pagePath: string): Promise<Page>;
  close(): Promise<void>;
}

export async function launchBrowser(options: LaunchOptions = {}): Promise<LatchkeyBrowser> {
  const withExtension = options.extension ?? true;
  if (withExtension && !existsSync(path.join(EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`The extension is not built (${EXTENSION_DIR}). Run: npm run build`);
  }
  const temporaryProfile = options.userDataDir ? null : mkdtempSync(path.join(tmpdir(), 'latchkey-profile-'));
  const userDataDir = options.userDataDir ?? temporaryProfile!;
  const browser = await puppeteer.launch({
    executablePath: chromiumPath(),
    headless: options.headless ?? !process.env.LATCHKEY_HEADFUL,
    userDataDir,
    ignoreDefaultArgs: ['--disable-extensions'],
    args: [
      ...QUIET_FLAGS,
      ...(withExtension ? [`--disable-extensions-except=${EXTENSION_DIR}`, `--load-extension=${EXTENSION_DIR}`] : []),
    ],
  });
  let extensionId = '';
  let workerTarget: Awaited<ReturnType<Browser['waitForTarget']>> | null = null;
  if (withExtension) {
    workerTarget = await browser.waitForTarget(
      (target) => target.type() === 'service_worker' && target.url().startsWith('chrome-extension://'),
      { timeout: 30_000 },
    );
    extensionId = new URL(workerTarget.url()).host;
  }

  async function worker(): Promise<WebWorker> {
    const target = await browser.waitForTarget(
      (candidate) => candidate.type() === 'service_worker' && candidate.url().startsWith(`chrome-extension://${extensionId}/`),
      { timeout: 30_000 },
    );
    const handle = (await target.worker())!;
    // The target appears before chrome.* is bound: poll with separate evaluate calls (RECIPES.md).
    for (let attempt = 0; attempt < 100; attempt++) {
      if (await handle.evaluate(() => typeof chrome !== 'undefined' && !!chrome.storage?.local)) return handle;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the extension service worker never bound chrome.*');
  }

  async function sendFromExtensionPage<T>(message: Record<string, unknown>): Promise<T> {
    const page = await browser.newPage();
    try {
      // The prompt page without an id renders nothing but a notice: a quiet place to send from.
      await page.goto(`chrome-extension://${extensionId}/extension/prompt/index.html`);
      const reply = await page.evaluate((request) => chrome.runtime.sendMessage(request), message);
      if (reply && typeof reply === 'object' && 'error' in reply) throw new Error(String((reply as { error: unknown }).error));
      return reply as T;
    } finally {
      await page.close();
    }
  }

  if (withExtension && options.vaultPassphrase !== null) {
    const { vault } = await sendFromExtensionPage<{ vault: VaultStatusView }>({ kind: 'vault.status' });
    if (!vault.exists) await sendFromExtensionPage({ kind: 'vault.create', passphrase: options.vaultPassphrase ?? TEST_PASSPHRASE });
  }

  return {
    browser,
    extensionId,
    worker,
    sendFromExtensionPage,
    async vaultStatus() {
      return (await sendFromExtensionPage<{ vault: VaultStatusView }>({ kind: 'vault.status' })).vault;
    },
    async setTesterMode(on) {
      const handle = await worker();
      await handle.evaluate(async (value) => {
        const current = (await chrome.storage.local.get('settings')).settings ?? {};
        await chrome.storage.local.set({ settings: { ...current, testerAutoApprove: value } });
      }, on);
      // The worker applies settings from its storage.onChanged listener; the TEST badge shows when it has.
      const expected = on ? 'TEST' : '';
      for (let attempt = 0; attempt < 100; attempt++) {
        if ((await handle.evaluate(() => chrome.action.getBadgeText({}))) === expected) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`tester mode ${on ? 'on' : 'off'} was not applied: the badge never read "${expected}"`);
    },
    async openExtensionPage(pagePath) {
      const page = await browser.newPage();
      await page.goto(`chrome-extension://${extensionId}/${pagePath}`);
      return page;
    },
    async close() {
      await browser.close();
      if (temporaryProfile) rmSync(temporaryProfile, { recursive: true, force: true });
    },
  };
}
