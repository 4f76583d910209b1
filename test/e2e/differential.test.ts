/**
 * Differential suite: every request case runs once against Chromium's own WebAuthn (a browser
 * without the extension, with a CDP virtual authenticator) and once against Latchkey (tester
 * mode), on the same localhost page. The outcome — success with the details a relying party
 * would look at, or the error's name — must be the same. Where the two differ on purpose, the
 * case says why, and both sides are pinned to what they answer.
 *
 * The control authenticator is configured like Latchkey today: an internal (platform)
 * CTAP2.1 authenticator with resident keys, without user verification (Latchkey has no PIN
 * yet), not backup eligible, with user presence given automatically.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CDPSession, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoRelyingParty, startDemoRelyingParty } from '../../demo/createDemoServer';
import { launchBrowser, type LatchkeyBrowser } from '../../src/testing/launchBrowser';
import { type DifferentialCase, differentialCases, installPageHelpers, shapeOf } from './differentialCases';

let rp: DemoRelyingParty;
let latchkey: LatchkeyBrowser;
let chromium: LatchkeyBrowser;
let latchkeyPage: Page;
let chromiumPage: Page;
let cdp: CDPSession;
let authenticatorId: string;
const results: { name: string; chromium: string; latchkey: string; differs?: string }[] = [];

async function openHelperPage(browser: LatchkeyBrowser): Promise<Page> {
  const page = await browser.browser.newPage();
  await page.goto(`${rp.url}blank`);
  await page.evaluate(installPageHelpers);
  await page.evaluate(`window.__shapeOf = ${shapeOf.toString()}`);
  return page;
}

async function clearLatchkeyStore(): Promise<void> {
  const worker = await latchkey.worker();
  await worker.evaluate(async () => {
    // Opening a database that does not exist yet would create it empty, ahead of the vault's own upgrade.
    if (!(await indexedDB.databases()).some((database) => database.name === 'latchkey')) return;
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open('latchkey');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const database = open.result;
        if (!database.objectStoreNames.contains('credentials')) {
          database.close();
          resolve();
          return;
        }
        const transaction = database.transaction('credentials', 'readwrite');
        transaction.objectStore('credentials').clear();
        transaction.oncomplete = () => {
          database.close();
          resolve();
        };
        transaction.onerror = () => reject(transaction.error);
      };
    });
  });
}

/** Runs a case's page script (in a child frame when the case says so); answers 'ok …details' or the error's name. */
async function runIn(page: Page, testCase: DifferentialCase): Promise<string> {
  const script = `window.__diff.outcome(${testCase.run.toString()})`;
  if (!testCase.frame) return page.evaluate(script) as Promise<string>;
  // A second origin: Chromium resolves *.localhost to loopback, and it is a secure context.
  const src = testCase.frame === 'same' ? `${rp.url}blank` : `http://a.localhost:${new URL(rp.url).port}/blank`;
  const allow = testCase.frame === 'cross-allowed' ? 'publickey-credentials-get; publickey-credentials-create' : '';
  await page.evaluate(
    (frameSrc, frameAllow) =>
      new Promise<void>((resolve, reject) => {
        const iframe = document.createElement('iframe');
        iframe.id = 'differential-frame';
        if (frameAllow) iframe.allow = frameAllow;
        iframe.onload = () => resolve();
        iframe.onerror = () => reject(new Error('frame did not load'));
        iframe.src = frameSrc;
        document.body.append(iframe);
      }),
    src,
    allow,
  );
  try {
    const frame = page.frames().find((candidate) => candidate.url() === src);
    if (!frame) throw new Error(`no frame at ${src}`);
    await frame.evaluate(installPageHelpers);
    await frame.evaluate(`window.__shapeOf = ${shapeOf.toString()}`);
    return (await frame.evaluate(script)) as string;
  } finally {
    await page.evaluate(() => document.getElementById('differential-frame')?.remove());
  }
}

beforeAll(async () => {
  rp = await startDemoRelyingParty();
  [latchkey, chromium] = await Promise.all([launchBrowser(), launchBrowser({ extension: false })]);
  await latchkey.setTesterMode(true);
  latchkeyPage = await openHelperPage(latchkey);
  chromiumPage = await openHelperPage(chromium);
  cdp = await chromiumPage.createCDPSession();
  await cdp.send('WebAuthn.enable', { enableUI: false });
  ({ authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      ctap2Version: 'ctap2_1',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: false,
      hasPrf: true,
      hasLargeBlob: true,
      automaticPresenceSimulation: true,
    },
  }));
});

afterAll(async () => {
  const dir = path.resolve(import.meta.dirname, '../../.artifacts');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'differential.json'), `${JSON.stringify(results, null, 2)}\n`);
  await latchkey?.close();
  await chromium?.close();
  await rp?.close();
});

describe('differential: Latchkey answers as Chromium\u2019s own WebAuthn', () => {
  it.each(differentialCases.map((testCase) => [testCase.name, testCase] as const))('%s', async (_, testCase) => {
    // The virtual authenticator keeps at most 3 resident credentials: every case starts empty on both sides.
    await Promise.all([cdp.send('WebAuthn.clearCredentials', { authenticatorId }), clearLatchkeyStore()]);
    if (testCase.userAbsent) {
      // Nobody answers: the control gets no user presence, Latchkey shows its prompt window and nobody clicks.
      await Promise.all([cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled: false }), latchkey.setTesterMode(false)]);
    }
    let outcomes: [string, string];
    try {
      outcomes = await Promise.all([runIn(chromiumPage, testCase), runIn(latchkeyPage, testCase)]);
    } finally {
      if (testCase.userAbsent) {
        await Promise.all([cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled: true }), latchkey.setTesterMode(true)]);
      }
    }
    const [chromiumOutcome, latchkeyOutcome] = outcomes;
    results.push({ name: testCase.name, chromium: chromiumOutcome, latchkey: latchkeyOutcome, differs: testCase.differs?.why });
    if (process.env.LATCHKEY_DIFF_LOG) appendFileSync(process.env.LATCHKEY_DIFF_LOG, `${JSON.stringify(results.at(-1))}\n`);
    if (testCase.differs) {
      expect({ chromium: chromiumOutcome, latchkey: latchkeyOutcome }).toEqual({
        chromium: testCase.differs.chromium,
        latchkey: testCase.differs.latchkey,
      });
    } else {
      expect(latchkeyOutcome).toBe(chromiumOutcome);
      if (testCase.expect) expect(chromiumOutcome).toMatch(testCase.expect);
    }
  });

  it('has at least 60 cases, and says why for each deliberate difference', () => {
    expect(differentialCases.length).toBeGreaterThanOrEqual(60);
    for (const testCase of differentialCases) if (testCase.differs) expect(testCase.differs.why.length).toBeGreaterThan(20);
  });
});
