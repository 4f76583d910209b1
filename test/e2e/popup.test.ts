/** The popup with thousands of passkeys: virtualised, grouped by site, searchable, keyboard-usable. */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type LatchkeyBrowser } from '../../src/testing/launchBrowser';
import { seedPasskeys } from '../../src/testing/seedPasskeys';

const COUNT = 2_000;
let latchkey: LatchkeyBrowser;
let popup: Page;

beforeAll(async () => {
  latchkey = await launchBrowser();
  await seedPasskeys(await latchkey.worker(), COUNT);
  popup = await latchkey.openExtensionPage('popup/index.html');
  await popup.waitForSelector('[data-complete="true"]');
});

afterAll(async () => {
  await latchkey?.close();
});

const focusedId = () => popup.evaluate(() => document.activeElement?.getAttribute('data-passkey-id') ?? null);
const focusedText = () => popup.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText ?? '');

describe('popup with 2,000 passkeys', () => {
  it('says how many there are and renders only the rows in view, grouped by site', async () => {
    expect(await popup.$eval('.count', (el) => (el as HTMLElement).innerText)).toBe(`${COUNT} passkeys`);
    const rendered = await popup.$$eval('[data-testid="passkey-row"]', (rows) => rows.length);
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(60);
    const firstHeader = await popup.$eval('.site-header', (el) => (el as HTMLElement).innerText);
    expect(firstHeader).toMatch(/^site000\.example \(5\)$/);
  });

  it('filters by account', async () => {
    await popup.type('[data-testid="search"]', 'user1999@');
    await popup.waitForFunction(() => document.querySelectorAll('[data-testid="passkey-row"]').length === 1);
    expect(await popup.$eval('[data-testid="passkey-row"]', (el) => (el as HTMLElement).innerText)).toContain('user1999@');
    await popup.click('[data-testid="search"]', { count: 3 });
    await popup.keyboard.press('Backspace');
    await popup.waitForFunction(() => document.querySelectorAll('[data-testid="passkey-row"]').length > 1);
  });

  it('moves through the list with the keyboard, to rows not rendered yet', async () => {
    await popup.focus('[data-testid="search"]');
    await popup.keyboard.press('ArrowDown');
    await popup.waitForFunction(() => document.activeElement?.matches('[data-testid="passkey-row"]'));
    expect(await focusedText()).toContain('site000.example');
    await popup.keyboard.press('ArrowDown');
    const second = await focusedId();
    expect(second).not.toBeNull();
    await popup.keyboard.press('End');
    await popup.waitForFunction(() => (document.activeElement as HTMLElement | null)?.innerText.includes('site399.example'));
    await popup.keyboard.press('Home');
    await popup.waitForFunction(() => (document.activeElement as HTMLElement | null)?.innerText.includes('site000.example'));
    await popup.keyboard.press('ArrowUp');
    expect(await popup.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('search');
  });

  it('shows a passkey’s details', async () => {
    await popup.click('[data-testid="passkey-row"] [data-testid="toggle-details"]');
    const facts = await popup.waitForSelector('[data-testid="passkey-facts"]');
    const text = await facts!.evaluate((el) => (el as HTMLElement).innerText);
    for (const label of ['Created', 'Last used', 'Algorithm', 'ES256', 'Signature counter', 'Discoverable', 'Backup eligible', 'AAGUID']) {
      expect(text).toContain(label);
    }
  });
});
