/**
 * Where to save, per-site choices and the organisation's managed policy, in
 * Chromium with the browser's own authenticator played by its CDP virtual
 * authenticator (as interception.test.ts does).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoRelyingParty, startDemoRelyingParty } from '../../demo/createDemoServer';
import { launchBrowser, type LatchkeyBrowser } from '../../src/testing/launchBrowser';
import { addBrowserAuthenticator, answerPrompt, openDemo, waitForPrompt } from '../../src/testing/pages';

/** Chromium on Linux reads managed policy from here (Debian's chromium package). */
const POLICY_DIR = '/etc/chromium/policies/managed';
let policyFile: string | undefined;
let rp: DemoRelyingParty;
let latchkey: LatchkeyBrowser | undefined;
let promptsOpened = 0;

async function launch(): Promise<LatchkeyBrowser> {
  const launched = await launchBrowser();
  launched.browser.on('targetcreated', (target) => {
    if (target.url().includes('/extension/prompt/index.html')) promptsOpened++;
  });
  return launched;
}

beforeAll(async () => {
  rp = await startDemoRelyingParty();
  latchkey = await launch();
});

afterAll(async () => {
  await latchkey?.close();
  await rp?.close();
  if (policyFile) rmSync(policyFile, { force: true });
});

async function withBrowserAuthenticator(page: Page) {
  const { cdp, authenticatorId } = await addBrowserAuthenticator(page);
  return async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials.length;
}

describe('where to save, remembered per site', () => {
  it('"Another device", remembered: this site is handed to the browser from then on, with no Latchkey window', async () => {
    const page = await openDemo(latchkey!.browser, `${rp.url}register`);
    const browserCredentials = await withBrowserAuthenticator(page);
    const first = page.evaluate(() => window.demo.register('sam'));
    const prompt = await waitForPrompt(latchkey!);
    const text = await prompt.$eval('body', (body) => body.innerText);
    expect(text).toContain('Latchkey in this browser');
    expect(text).toContain('Another device (phone or tablet, by QR code)');
    expect(text).toContain('Security key');
    await prompt.click('[data-testid="remember-site"]');
    await answerPrompt(prompt, '[data-testid="use-another"]');
    expect(await first).toMatchObject({ ok: true });
    expect(await browserCredentials()).toBe(1);

    const opened = promptsOpened;
    expect(await page.evaluate(() => window.demo.register('sam-again'))).toMatchObject({ ok: true });
    expect(await browserCredentials()).toBe(2);
    expect(promptsOpened).toBe(opened);

    const { sites } = await latchkey!.sendFromExtensionPage<{ sites: Record<string, string> }>({ kind: 'sites.list' });
    expect(sites).toEqual({ localhost: 'browser' });
    const popup = await latchkey!.openExtensionPage('popup/index.html');
    const mode = await popup.waitForSelector('[data-testid="site-mode"]');
    expect(await mode!.evaluate((select) => (select as HTMLSelectElement).value)).toBe('browser');
    await popup.close();

    // Back to Latchkey: its prompt shows again.
    await latchkey!.sendFromExtensionPage({ kind: 'sites.set', host: 'localhost', mode: null });
    const third = page.evaluate(() => window.demo.register('sam-latchkey'));
    const again = await waitForPrompt(latchkey!);
    await answerPrompt(again, '[data-testid="approve"]');
    expect(await third).toMatchObject({ ok: true });
    expect(await browserCredentials()).toBe(2);
    await page.close();
  });
});

describe('managed policy (chrome.storage.managed from the policy folder)', () => {
  it('hands policy sites to the browser, fixes the auto-lock time, and the popup shows what is managed', async () => {
    const extensionId = latchkey!.extensionId;
    await latchkey!.close();
    latchkey = undefined;
    mkdirSync(POLICY_DIR, { recursive: true });
    policyFile = path.join(POLICY_DIR, `latchkey-test-${extensionId}.json`);
    writeFileSync(
      policyFile,
      JSON.stringify({
        '3rdparty': {
          extensions: { [extensionId]: { handOverSites: ['localhost'], autoLockMinutes: 5, exportDisabled: true, pinMinLength: 6, syncDisabled: true } },
        },
      }),
    );
    latchkey = await launch();
    const settings = await latchkey.sendFromExtensionPage<{ settings: { autoLockMinutes: number }; policy: Record<string, unknown> }>({
      kind: 'settings.get',
    });
    expect(settings.policy).toMatchObject({ handOverSites: ['localhost'], autoLockMinutes: 5, exportDisabled: true, pinMinLength: 6 });
    expect(settings.settings.autoLockMinutes).toBe(5);
    await expect(latchkey.sendFromExtensionPage({ kind: 'settings.set', settings: { autoLockMinutes: 30 } })).rejects.toThrow(/organisation/);
    await expect(latchkey.sendFromExtensionPage({ kind: 'vault.setPin', pin: '1234' })).rejects.toThrow(/at least 6/);
    await expect(latchkey.sendFromExtensionPage({ kind: 'settings.set', settings: { sync: true } })).rejects.toThrow(/switched sync off/);

    const popup = await latchkey.openExtensionPage('popup/index.html');
    await popup.waitForSelector('[data-testid="managed-auto-lock"]');
    expect(await popup.$eval('[data-testid="auto-lock-minutes"]', (input) => (input as HTMLInputElement).disabled)).toBe(true);
    expect(await popup.$eval('[data-testid="managed-sites"]', (p) => (p as HTMLElement).innerText)).toContain('localhost');
    await popup.waitForSelector('[data-testid="sync-managed"]');
    expect(await popup.$eval('[data-testid="sync-toggle"]', (input) => (input as HTMLInputElement).disabled)).toBe(true);
    await popup.close();

    const page = await openDemo(latchkey.browser, `${rp.url}register`);
    const browserCredentials = await withBrowserAuthenticator(page);
    const opened = promptsOpened;
    expect(await page.evaluate(() => window.demo.register('policy-user'))).toMatchObject({ ok: true });
    expect(await browserCredentials()).toBe(1);
    expect(promptsOpened).toBe(opened);
    await page.close();
  });
});
