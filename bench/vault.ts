/**
 * bench/vault: unlock time, and the popup's open-to-first-render and filter
 * time with 100, 1,000 and 10,000 passkeys, in Debian's Chromium with the
 * built extension. Prints medians with their noise (IQR/median) and writes
 * every raw time to bench/results/vault-<timestamp>.json. Never asserts on time.
 *
 * - unlock: an extension page sends `vault.unlock` and waits for the answer
 *   (PBKDF2-SHA256 with 600,000 iterations in the service worker, AES-GCM
 *   unwrap, HKDF); timed in the page with performance.now().
 * - first render: the popup page opened in a tab; performance.now() (from the
 *   page's navigation start) when the first passkey row enters the DOM: script
 *   load, the worker's IndexedDB read of N records, sorting, grouping, render.
 * - from popup script: the same first row, counted from the popup script's
 *   first line (a performance mark): the part Latchkey's code controls, without
 *   the browser's page creation, which a loaded 2-core machine stretches.
 * - whole list: the same clock, until the complete list (not just the first
 *   screen, which the popup asks for separately) is rendered.
 * - filter: one query typed into the search box (an `input` event), timed until
 *   Preact has rendered and the layout is computed (a forced layout read).
 *
 * The seeded passkeys carry metadata like real ones and a random blob where the
 * sealed key would be: the popup never decrypts keys, so it cannot tell.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { launchBrowser, TEST_PASSPHRASE } from '../src/testing/launchBrowser';
import { seedPasskeys } from '../src/testing/seedPasskeys';
import { summarize, type Summary } from './stats';

const SIZES = [100, 1_000, 10_000];
const OPENS = 15;
const FILTER_QUERIES = ['site17', 'user42', 'work', 'site3 user31', 'zz-no-match', ''];
const FILTER_ROUNDS = 5;
const UNLOCKS = 7;

async function main(): Promise<void> {
  const latchkey = await launchBrowser();
  const results: Record<string, { firstRender: number[]; fromScript: number[]; fullList: number[]; filter: number[] }> = {};
  const popupUrl = `chrome-extension://${latchkey.extensionId}/popup/index.html`;
  try {
    const unlock: number[] = [];
    for (let i = 0; i < UNLOCKS; i++) {
      const page = await latchkey.browser.newPage();
      await page.goto(`chrome-extension://${latchkey.extensionId}/extension/prompt/index.html`);
      unlock.push(
        await page.evaluate(async (passphrase) => {
          await chrome.runtime.sendMessage({ kind: 'vault.lock' });
          const start = performance.now();
          const reply = await chrome.runtime.sendMessage({ kind: 'vault.unlock', passphrase });
          const time = performance.now() - start;
          if (reply.error || reply.vault.locked) throw new Error(`unlock failed: ${JSON.stringify(reply)}`);
          return time;
        }, TEST_PASSPHRASE),
      );
      await page.close();
    }

    for (const size of SIZES) {
      await seed(latchkey, size);
      const firstRender: number[] = [];
      const fullList: number[] = [];
      const fromScript: number[] = [];
      for (let i = 0; i < OPENS; i++) {
        const page = await latchkey.browser.newPage();
        await page.evaluateOnNewDocument(() => {
          const marks = window as unknown as { firstRowAt?: number; completeAt?: number };
          new MutationObserver((_, observer) => {
            if (marks.firstRowAt === undefined && document.querySelector('[data-testid="passkey-row"]')) marks.firstRowAt = performance.now();
            if (marks.completeAt === undefined && document.querySelector('[data-complete="true"]')) marks.completeAt = performance.now();
            if (marks.firstRowAt !== undefined && marks.completeAt !== undefined) observer.disconnect();
          }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-complete'] });
        });
        await page.goto(popupUrl);
        await page.waitForFunction(() => (window as unknown as { completeAt?: number }).completeAt !== undefined, { timeout: 60_000 });
        firstRender.push(await page.evaluate(() => (window as unknown as { firstRowAt: number }).firstRowAt));
        fromScript.push(
          await page.evaluate(
            () => (window as unknown as { firstRowAt: number }).firstRowAt - performance.getEntriesByName('latchkey-popup-start')[0]!.startTime,
          ),
        );
        fullList.push(await page.evaluate(() => (window as unknown as { completeAt: number }).completeAt));
        const count = await page.$eval('.count', (el) => (el as HTMLElement).innerText);
        if (!count.startsWith(String(size))) throw new Error(`the popup lists ${count}, expected ${size}`);
        await page.close();
      }
      const page = await latchkey.browser.newPage();
      await page.goto(popupUrl);
      await page.waitForSelector('[data-testid="passkey-row"]');
      const filter: number[] = [];
      for (let round = 0; round < FILTER_ROUNDS; round++) filter.push(...(await filterTimes(page)));
      await page.close();
      results[size] = { firstRender, fromScript, fullList, filter };
    }

    const summary = {
      unlock: summarize(unlock),
      sizes: Object.fromEntries(
        Object.entries(results).map(([size, r]) => [
          size,
          {
            firstRender: summarize(r.firstRender),
            fromScript: summarize(r.fromScript),
            fullList: summarize(r.fullList),
            filter: summarize(r.filter),
          },
        ]),
      ),
    };
    print(summary);
    const dir = path.join(import.meta.dirname, 'results');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `vault-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify({ machine: machine(), summary, raw: { unlock, sizes: results } }, null, 2));
    console.log(`\nraw times: ${path.relative(process.cwd(), file)}`);
  } finally {
    await latchkey.close();
  }
}

async function filterTimes(page: Page): Promise<number[]> {
  return page.evaluate(async (queries) => {
    const input = document.querySelector<HTMLInputElement>('[data-testid="search"]')!;
    const times: number[] = [];
    for (const query of queries) {
      const start = performance.now();
      input.value = query;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      // Preact renders on a microtask; a zero timeout runs after it. Reading layout forces style and layout.
      await new Promise((resolve) => setTimeout(resolve, 0));
      void document.body.offsetHeight;
      times.push(performance.now() - start);
    }
    return times;
  }, FILTER_QUERIES);
}

async function seed(latchkey: Awaited<ReturnType<typeof launchBrowser>>, count: number): Promise<void> {
  await seedPasskeys(await latchkey.worker(), count);
}

function row(label: string, s: Summary): string {
  return `${label.padEnd(24)}${s.median.toFixed(1).padStart(9)}${s.p25.toFixed(1).padStart(9)}${s.p75.toFixed(1).padStart(9)}${s.noisePercent.toFixed(0).padStart(8)} %${String(s.n).padStart(6)}`;
}

function print(summary: { unlock: Summary; sizes: Record<string, { firstRender: Summary; fromScript: Summary; fullList: Summary; filter: Summary }> }): void {
  const m = machine();
  console.log('\nLatchkey vault bench, milliseconds\n');
  console.log(`machine   ${m.cpu}, ${m.cores} cores, load avg ${m.loadAverage.join(' / ')}`);
  console.log(`\n${''.padEnd(24)}${'median'.padStart(9)}${'p25'.padStart(9)}${'p75'.padStart(9)}${'IQR/med'.padStart(10)}${'n'.padStart(6)}`);
  console.log(row('unlock (PBKDF2 600k)', summary.unlock));
  for (const [size, s] of Object.entries(summary.sizes)) {
    console.log(row(`first render, ${Number(size).toLocaleString('en')}`, s.firstRender));
    console.log(row(`  from popup script`, s.fromScript));
    console.log(row(`whole list, ${Number(size).toLocaleString('en')}`, s.fullList));
    console.log(row(`filter, ${Number(size).toLocaleString('en')}`, s.filter));
  }
  console.log('\ntargets at 10,000: first render < 150 ms, filter < 50 ms');
}

function machine() {
  return { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))) };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
