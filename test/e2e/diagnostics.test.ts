/**
 * Diagnostics end to end, in each browser: failures provoked on real pages (the demo relying
 * party and its blank page) are recorded with the request decoded and explained by the right
 * catalogue entry; ceremonies the browser's own WebAuthn takes are recorded with their outcome;
 * the diagnostics page and the DevTools panel's page show them; a report round-trips through
 * export and open without the redacted values.
 *
 * DevTools panels cannot be driven by Puppeteer in either browser: the panel's page is opened as
 * a normal extension page with `?tabId=`, which is how it learns its tab when not in DevTools.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ElementHandle, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoRelyingParty, startDemoRelyingParty } from '../../demo/createDemoServer';
import { explain } from '../../src/diagnostics/explain';
import type { CeremonyRecord } from '../../src/diagnostics/record';
import { browsersUnderTest, launchBrowser, type LatchkeyBrowser } from '../../src/testing/launchBrowser';
import { LatchkeyTesting } from '../../src/testing/latchkeyTesting';
import {
  addBrowserAuthenticator,
  answerPrompt,
  diagnosticRecords,
  openDemo,
  startAbortable,
  storedPasskeys,
  waitForPrompt,
  waitForRecord,
} from '../../src/testing/pages';
import { FAILURES, type FailureCode } from '../../src/webauthn/errors';

describe.each(browsersUnderTest())('%s: diagnostics', (browserName) => {
  let rp: DemoRelyingParty;
  let latchkey: LatchkeyBrowser;
  /** Failure classes provoked in this browser, for the page test at the end. */
  const provoked = new Set<FailureCode>();

  beforeAll(async () => {
    rp = await startDemoRelyingParty();
    latchkey = await launchBrowser({ browser: browserName });
    await latchkey.setTesterMode(true);
  });

  afterAll(async () => {
    await latchkey?.close();
    await rp?.close();
  });

  const records = (tabId?: number) => diagnosticRecords(latchkey, tabId);
  const recorded = (matches: (record: CeremonyRecord) => boolean, timeoutMs?: number) =>
    waitForRecord(latchkey, matches, timeoutMs);

  async function openPage(url = `${rp.url}blank`): Promise<Page> {
    const page = await latchkey.browser.newPage();
    await page.goto(url);
    return page;
  }

  /** Runs a script in the page and returns how its promise settled: 'ok' or the error's name. */
  function settle(page: Page, script: string): Promise<string> {
    return page.evaluate(`(${script})().then(() => 'ok', (error) => error.name)`) as Promise<string>;
  }

  const createScript = (publicKey: string) => `() => navigator.credentials.create({ publicKey: {
      rp: { name: 'Diagnostics' },
      user: { id: new Uint8Array([7, 7, 7]), name: 'diag-user@example.org', displayName: 'Diag User' },
      challenge: new Uint8Array(32),
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
      ${publicKey}
    } })`;

  /** The explanation of the record must be the catalogue's entry for `code`, with evidence matching `evidence`. */
  function expectExplained(record: CeremonyRecord, code: FailureCode, evidence?: RegExp) {
    const explanation = explain(record);
    expect(explanation.code).toBe(code);
    expect(explanation.cause).toBe(FAILURES[code].explanation);
    if (evidence) expect(explanation.evidence.join('\n')).toMatch(evidence);
    provoked.add(code);
  }

  const failedWith = (requestId: (record: CeremonyRecord) => boolean, name: string) => (record: CeremonyRecord) =>
    requestId(record) && record.outcome.status === 'error' && record.outcome.name === name;

  it('a successful registration is recorded with its request decoded and its attestation decoded', async () => {
    const page = await openDemo(latchkey.browser, `${rp.url}register`);
    expect(await page.evaluate(() => window.demo.register('rosa-dx'))).toMatchObject({ ok: true });
    const record = await recorded(
      (candidate) =>
        candidate.operation === 'create' && candidate.request.userName === 'rosa-dx' && candidate.outcome.status === 'success',
    );
    expect(record).toMatchObject({
      origin: rp.origin,
      topOrigin: rp.origin,
      answeredBy: 'latchkey',
      request: {
        rpId: 'localhost',
        userName: 'rosa-dx',
        challengeLength: expect.any(Number),
        algorithms: expect.arrayContaining([-7]),
      },
    });
    expect(record.tabId).toBeGreaterThanOrEqual(0);
    expect(record.durationMs).toBeGreaterThanOrEqual(0);
    await page.close();
  });

  it('user cancelled: the prompt\u2019s Cancel', async () => {
    await latchkey.setTesterMode(false);
    const page = await openPage();
    const result = settle(page, createScript(''));
    await answerPrompt(await waitForPrompt(latchkey), '[data-testid="cancel"]');
    expect(await result).toBe('NotAllowedError');
    const record = await recorded(failedWith((candidate) => candidate.operation === 'create', 'NotAllowedError'));
    expectExplained(record, 'user-cancelled', /cancelled or closed/);
    await latchkey.setTesterMode(true);
    await page.close();
  });

  it('timed out: nobody answers the prompt within the site\u2019s timeout', async () => {
    await latchkey.setTesterMode(false);
    const page = await openPage();
    // 10 s is the shortest timeout the client allows (clampTimeout).
    const result = settle(
      page,
      `() => navigator.credentials.get({ publicKey: { challenge: new Uint8Array(32), timeout: 10000 } })`,
    );
    const prompt = await waitForPrompt(latchkey);
    expect(await result).toBe('NotAllowedError');
    const record = await recorded(
      (candidate) =>
        candidate.operation === 'get' && candidate.outcome.status === 'error' && candidate.outcome.code === 'timed-out',
      20_000,
    );
    expectExplained(record, 'timed-out', /timeout was 10000 ms/);
    if (!prompt.isClosed()) await prompt.close().catch(() => undefined);
    await latchkey.setTesterMode(true);
    await page.close();
  });

  it('rpId neither the origin\u2019s host nor a registrable suffix of it: both are named', async () => {
    const page = await openPage();
    expect(await settle(page, createScript(`rp: { id: 'example.com', name: 'Foreign' },`))).toBe('SecurityError');
    const record = await recorded(failedWith((candidate) => candidate.request.rpId === 'example.com', 'SecurityError'));
    expectExplained(record, 'rp-id-mismatch', new RegExp(`"example.com" is neither localhost`));
    expect(explain(record).evidence.join('\n')).toContain(rp.origin);
    await page.close();
  });

  it('insecure context for passkeys: an IP address origin', async () => {
    const page = await openPage(`${rp.url.replace('localhost', '127.0.0.1')}blank`);
    expect(await settle(page, createScript(''))).toBe('SecurityError');
    const record = await recorded(failedWith((candidate) => candidate.origin.includes('127.0.0.1'), 'SecurityError'));
    expectExplained(record, 'insecure-origin', /IP address/);
    await page.close();
  });

  it('credential already registered: the site lists it in excludeCredentials', async () => {
    const page = await openDemo(latchkey.browser, `${rp.url}register`);
    expect(await page.evaluate(() => window.demo.register('sam-dx'))).toMatchObject({ ok: true });
    const again = await page.evaluate(() => window.demo.register('sam-dx'));
    expect(again).toMatchObject({ ok: false, error: { name: 'InvalidStateError' } });
    const record = await recorded(failedWith((candidate) => candidate.request.userName === 'sam-dx', 'InvalidStateError'));
    expectExplained(record, 'credential-excluded', /listed 1 passkey\(s\)/);
    await page.close();
  });

  it('no passkey for this account on this device: never registered here', async () => {
    const page = await openPage();
    const result = await settle(
      page,
      `() => navigator.credentials.get({ publicKey: { challenge: new Uint8Array(32), allowCredentials: [{ type: 'public-key', id: new Uint8Array([1, 2, 3, 4]) }] } })`,
    );
    expect(result).toBe('NotAllowedError');
    const record = await recorded(
      (candidate) =>
        candidate.outcome.status === 'error' &&
        candidate.outcome.code === 'no-credentials' &&
        candidate.request.allowCredentials?.[0] === 'AQIDBA',
    );
    expectExplained(record, 'no-credentials', /one of 1 specific passkey/);
    await page.close();
  });

  it('no passkey for this account on this device: orphaned, with the orphan detector\u2019s evidence', async () => {
    const page = await openDemo(latchkey.browser, `${rp.url}login`);
    expect(await page.evaluate(() => window.demo.register('otto-dx'))).toMatchObject({ ok: true });
    const id = rp.state.credentialsOf('otto-dx').at(-1)!.id;
    // The site forgets every passkey Latchkey holds for it, and says so (signalUnknownCredential).
    const ids = (await storedPasskeys(latchkey)).filter((passkey) => passkey.rpId === 'localhost').map((passkey) => passkey.id);
    for (const credentialId of ids) {
      await page.evaluate(
        (unknown) => PublicKeyCredential.signalUnknownCredential({ rpId: 'localhost', credentialId: unknown }),
        credentialId,
      );
    }
    const signal = await recorded(
      (candidate) => candidate.operation === 'signal-unknown-credential' && candidate.request.credentialIds?.[0] === id,
    );
    expect(signal.outcome).toEqual({ status: 'success' });
    // A username-less sign-in now finds nothing to offer: every passkey for the site is orphaned (hidden).
    expect(await settle(page, `() => navigator.credentials.get({ publicKey: { challenge: new Uint8Array(32) } })`)).toBe(
      'NotAllowedError',
    );
    const record = await recorded(
      (candidate) =>
        candidate.outcome.status === 'error' &&
        candidate.outcome.code === 'no-credentials' &&
        (candidate.context?.passkeysForRp?.length ?? 0) > 0,
    );
    expectExplained(
      record,
      'no-credentials',
      new RegExp(`Passkey ${id} is orphaned: The site said it no longer knows this passkey.`),
    );
    expect(explain(record).evidence).toContain(`Latchkey holds ${ids.length} passkey(s) for localhost (0 usable).`);
    await page.close();
  });

  it('user verification required but unavailable', async () => {
    const page = await openPage();
    expect(await settle(page, createScript(`authenticatorSelection: { userVerification: 'required' },`))).toBe('NotAllowedError');
    const record = await recorded(
      (candidate) => candidate.outcome.status === 'error' && candidate.outcome.code === 'user-verification-unavailable',
    );
    expectExplained(record, 'user-verification-unavailable', /userVerification is "required"/);
    await page.close();
  });

  it('no common algorithm', async () => {
    const page = await openPage();
    const script = createScript('').replace(
      `pubKeyCredParams: [{ type: 'public-key', alg: -7 }],`,
      `pubKeyCredParams: [{ type: 'public-key', alg: -35 }],`,
    );
    expect(await settle(page, script)).toBe('NotAllowedError');
    const record = await recorded(
      (candidate) => candidate.outcome.status === 'error' && candidate.outcome.code === 'no-common-algorithm',
    );
    expectExplained(record, 'no-common-algorithm', /ES384 \(-35\)/);
    await page.close();
  });

  it('resident key required but unsupported: a tester-mode virtual authenticator that cannot keep discoverable credentials', async () => {
    const testing = await LatchkeyTesting.attach(latchkey);
    const { authenticatorId } = await testing.addVirtualAuthenticator({ hasResidentKey: false, origins: [rp.origin] });
    try {
      const page = await openPage();
      expect(await settle(page, createScript(`authenticatorSelection: { residentKey: 'required' },`))).toBe('NotAllowedError');
      const record = await recorded(
        (candidate) => candidate.outcome.status === 'error' && candidate.outcome.code === 'resident-key-unsupported',
      );
      expectExplained(record, 'resident-key-unsupported', /residentKey is "required"/);
      await page.close();
    } finally {
      await testing.removeVirtualAuthenticator({ authenticatorId });
      await latchkey.setTesterMode(true);
    }
  });

  it('a conditional (autofill) request waits in Latchkey and is recorded as pending, then with its end', async () => {
    const page = await openPage();
    const conditional = await startAbortable(
      page,
      `navigator.credentials.get({ publicKey: { challenge: new Uint8Array(32), rpId: 'localhost' }, mediation: 'conditional', signal })`,
    );
    const pending = await recorded(
      (candidate) => candidate.request.mediation === 'conditional' && candidate.outcome.status === 'pending',
    );
    expect(pending).toMatchObject({ answeredBy: 'latchkey', origin: rp.origin });
    expectExplained(pending, 'conditional-pending', /"conditional"/);
    await conditional.abort();
    expect(await conditional.settled()).toBe('AbortError');
    const ended = await recorded((candidate) => candidate.key === pending.key && candidate.outcome.status === 'error');
    expect(ended.outcome).toMatchObject({ status: 'error', name: 'AbortError' });
    // Another one stays pending, as autofill requests do, for the diagnostics page to show.
    await startAbortable(
      page,
      `navigator.credentials.get({ publicKey: { challenge: new Uint8Array(32) }, mediation: 'conditional', signal })`,
    );
    await recorded(
      (candidate) =>
        candidate.request.mediation === 'conditional' && candidate.outcome.status === 'pending' && candidate.key !== pending.key,
    );
  });

  if (browserName === 'chromium') {
    it('a ceremony handed to Chromium\u2019s own WebAuthn (virtual authenticator) is recorded with its outcome, decoded', async () => {
      await latchkey.setTesterMode(false);
      const page = await openDemo(latchkey.browser, `${rp.url}register`);
      await addBrowserAuthenticator(page);
      const registration = page.evaluate(() => window.demo.register('vera-dx'));
      await answerPrompt(await waitForPrompt(latchkey), '[data-testid="use-another"]');
      expect(await registration).toMatchObject({ ok: true });
      const record = await recorded(
        (candidate) => candidate.request.userName === 'vera-dx' && candidate.outcome.status === 'success',
      );
      expect(record).toMatchObject({ answeredBy: 'browser', browserReason: 'user-chose-another-device' });
      expect(record.durationMs).toBeGreaterThanOrEqual(0);
      const { describeRecord } = await import('../../src/diagnostics/describeRecord');
      const decoded = describeRecord(record).decoded!;
      expect(decoded.errors).toEqual([]);
      expect(decoded.attestationObject!.authData.rpIdHashMatches).toBe(true);
      expect(decoded.credentialId!.base64url).toBe(rp.state.credentialsOf('vera-dx')[0]!.id);
      await latchkey.setTesterMode(true);
      await page.close();
    });

    it('cross-device failure after "use another device": the browser\u2019s own WebAuthn refuses, and the explanation names Bluetooth and internet', async () => {
      await latchkey.setTesterMode(false);
      const page = await openPage();
      // The other device never answers (no presence, as when Bluetooth is off): the site's timeout runs out.
      await addBrowserAuthenticator(page, { automaticPresenceSimulation: false, isUserVerified: false });
      const result = settle(page, createScript(`timeout: 10000,`));
      await answerPrompt(await waitForPrompt(latchkey), '[data-testid="use-another"]');
      expect(await result).toBe('NotAllowedError');
      const record = await recorded(
        (candidate) =>
          candidate.answeredBy === 'browser' &&
          candidate.browserReason === 'user-chose-another-device' &&
          candidate.outcome.status === 'error',
        30_000,
      );
      expectExplained(record, 'cross-device-failed', /Use another device or security key/);
      expect(explain(record).cause).toMatch(/Bluetooth/);
      await latchkey.setTesterMode(true);
      await page.close();
    });
  } else {
    it('a ceremony handed to Firefox\u2019s own WebAuthn is recorded as the browser\u2019s, with how it ended (aborted: no virtual authenticator)', async () => {
      await latchkey.setTesterMode(false);
      const page = await openPage();
      const handOver = await startAbortable(
        page,
        `navigator.credentials.create({ publicKey: {
          rp: { name: 'Hand-over' },
          user: { id: new Uint8Array([5]), name: 'handover', displayName: 'Hand Over' },
          challenge: new Uint8Array(32),
          pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
        }, signal })`,
      );
      await answerPrompt(await waitForPrompt(latchkey), '[data-testid="use-another"]');
      const handedOver = await recorded(
        (candidate) => candidate.request.userName === 'handover' && candidate.answeredBy === 'browser',
      );
      expect(handedOver).toMatchObject({ browserReason: 'user-chose-another-device', outcome: { status: 'pending' } });
      await handOver.abort();
      expect(await handOver.settled()).toBe('AbortError');
      const ended = await recorded((candidate) => candidate.key === handedOver.key && candidate.outcome.status === 'error');
      expect(ended.outcome).toMatchObject({ name: 'AbortError' });
      await latchkey.setTesterMode(true);
      await page.close();
    });
  }

  it('a report a page posts on the window changes no record', async () => {
    const page = await openPage();
    expect(await settle(page, createScript(`rp: { id: 'forged.example', name: 'Forged' },`))).toBe('SecurityError');
    const record = await recorded(failedWith((candidate) => candidate.request.rpId === 'forged.example', 'SecurityError'));
    // The bridge relays only what arrives on the MAIN world's private port, so a report the page
    // posts on the window goes nowhere. (That the worker refuses a report for a record Latchkey
    // answered itself, or of another frame, is checked in src/diagnostics/recorder.test.ts.)
    await page.evaluate((requestId) => {
      window.postMessage(
        { channel: 'latchkey/page', request: { kind: 'report', requestId, outcome: { status: 'success' } } },
        '*',
      );
    }, record.requestId);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await records()).find((candidate) => candidate.key === record.key)!.outcome).toMatchObject({
      status: 'error',
      name: 'SecurityError',
    });
    await page.close();
  });

  it('the diagnostics page shows each provoked failure with the catalogue\u2019s cause, and the popup links to it', async () => {
    const popup = await latchkey.openExtensionPage('popup/index.html');
    const link = await popup.waitForSelector('[data-testid="diagnostics-link"]');
    expect(await link!.evaluate((anchor) => (anchor as HTMLAnchorElement).href)).toBe(
      `${latchkey.extensionOrigin}extension/diagnostics/index.html`,
    );
    await popup.close();

    const page = await latchkey.openExtensionPage('extension/diagnostics/index.html');
    await page.waitForSelector('[data-testid="entry"]');
    for (const code of provoked) {
      const cause = await page.$eval(
        `[data-testid="entry"][data-code="${code}"] [data-testid="explanation-cause"]`,
        (element) => element.textContent,
      );
      expect(cause, code).toBe(FAILURES[code].explanation);
    }
    const sites = await page.$$eval('[data-testid="group"]', (groups) => groups.map((group) => group.getAttribute('data-site')));
    expect(sites).toContain(rp.origin);
    await page.close();
  });

  it('the DevTools panel\u2019s page shows only the inspected tab\u2019s ceremonies, live', async () => {
    const page = await openPage();
    expect(await settle(page, createScript(`rp: { id: 'panel.example', name: 'Panel' },`))).toBe('SecurityError');
    const first = await recorded((candidate) => candidate.request.rpId === 'panel.example');
    const panel = await latchkey.openExtensionPage(`extension/diagnostics/index.html?tabId=${first.tabId}`);
    await panel.waitForSelector('[data-testid="entry"]');
    const tabIds = await panel.$$eval('[data-testid="group"]', (groups) =>
      groups.map((group) => group.getAttribute('data-tab-id')),
    );
    expect(new Set(tabIds)).toEqual(new Set([String(first.tabId)]));
    const before = await panel.$$eval('[data-testid="entry"]', (entries) => entries.length);
    // A new ceremony in the inspected tab appears without a reload.
    expect(await settle(page, createScript(`rp: { id: 'panel-two.example', name: 'Panel' },`))).toBe('SecurityError');
    await panel.waitForFunction(
      (count) => document.querySelectorAll('[data-testid="entry"]').length > count,
      { timeout: 10_000 },
      before,
    );
    await panel.close();
    await page.close();
  });

  it('a report round-trips through export and open, and contains none of the redacted values', async () => {
    const all = await records();
    const secrets = new Set<string>();
    for (const record of all) {
      for (const value of [
        record.request.userName,
        record.request.userDisplayName,
        record.request.userId,
        ...(record.request.allowCredentials ?? []),
        ...(record.request.excludeCredentials ?? []),
      ]) {
        if (value && value.length > 3) secrets.add(value);
      }
      if (record.outcome.status === 'success' && record.outcome.response?.id) secrets.add(record.outcome.response.id);
    }
    expect(secrets.size).toBeGreaterThan(3);

    const page = await latchkey.openExtensionPage('extension/diagnostics/index.html');
    await page.waitForSelector('[data-testid="entry"]');
    await page.click('[data-testid="export"]');
    await page.waitForSelector('[data-testid="export-link"]');
    // Extension pages' CSP (connect-src 'self') forbids fetching the blob: the same text is shown for pasting.
    const text = await page.$eval('[data-testid="export-text"]', (area) => (area as HTMLTextAreaElement).value);
    const report = JSON.parse(text);
    expect(Object.keys(report)[0]).toBe('summary');
    expect(report.redacted).toBe(true);
    expect(report.entries.length).toBe(all.length);
    for (const secret of secrets) expect(text, secret).not.toContain(secret);

    // Support staff open the file the user sent.
    const folder = mkdtempSync(path.join(tmpdir(), 'latchkey-report-'));
    const file = path.join(folder, 'report.json');
    writeFileSync(file, text);
    const viewer = await latchkey.openExtensionPage('extension/diagnostics/index.html');
    const input = (await viewer.waitForSelector('[data-testid="open-report"]')) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(file);
    await viewer.waitForSelector('[data-testid="report-banner"]');
    expect(await viewer.$eval('[data-testid="report-summary"]', (element) => element.textContent)).toBe(report.summary);
    const shown = await viewer.$$eval('[data-testid="entry"]', (entries) =>
      entries.map((entry) => entry.getAttribute('data-code')),
    );
    expect(shown.sort()).toEqual(
      report.entries.map((entry: { explanation: { code: string | null } }) => entry.explanation.code ?? '').sort(),
    );
    const body = await viewer.$eval('body', (element) => element.innerHTML);
    for (const secret of secrets) expect(body, secret).not.toContain(secret);
    rmSync(folder, { recursive: true, force: true });
    await viewer.close();
    await page.close();
  });
});
