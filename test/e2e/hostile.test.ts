/**
 * A hostile page against the real extension, in each browser: fuzzed options, a flood of
 * requests, framing Latchkey's prompt, probing for the account list, replaying a response.
 * Every attempt fails in the way asserted, the worker keeps answering and nothing is stored
 * that the page was not given.
 */
import fc from 'fast-check';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoRelyingParty, startDemoRelyingParty } from '../../demo/createDemoServer';
import { browsersUnderTest, launchBrowser, type LatchkeyBrowser } from '../../src/testing/launchBrowser';
import { answerPrompt, openDemo, storedPasskeys, waitForPrompt } from '../../src/testing/pages';
import { creationOptions, mutated } from '../fuzz/arbitraries';

/** The DOMException names (and TypeError) a page may get from create()/get(). */
const SPEC_NAMES = ['TypeError', 'NotSupportedError', 'SecurityError', 'NotAllowedError', 'InvalidStateError', 'AbortError'];
const FUZZED_IN_BROWSER = 150;

/** Options as JSON the page can rebuild: Uint8Arrays travel as {$bytes: [...]}. */
function portable(value: unknown): unknown {
  if (value instanceof Uint8Array) return { $bytes: [...value] };
  if (Array.isArray(value)) return value.map(portable);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, portable(item)]));
  if (typeof value === 'bigint' || typeof value === 'symbol' || typeof value === 'function') return String(value);
  return value;
}

describe.each(browsersUnderTest())('%s: a hostile page', (browserName) => {
  let rp: DemoRelyingParty;
  let latchkey: LatchkeyBrowser;
  let page: Page;

  beforeAll(async () => {
    rp = await startDemoRelyingParty();
    latchkey = await launchBrowser({ browser: browserName });
    page = await openDemo(latchkey.browser, `${rp.url}register`);
  });

  afterAll(async () => {
    await latchkey?.close();
    await rp?.close();
  });

  it(`${FUZZED_IN_BROWSER} fuzzed create() calls each end in a spec-named error or a credential, and store exactly the credentials returned`, async () => {
    await latchkey.setTesterMode(true);
    const samples = fc
      .sample(fc.oneof(creationOptions, mutated(creationOptions)), { numRuns: FUZZED_IN_BROWSER, seed: 20261122 })
      .map(portable);
    const before = (await storedPasskeys(latchkey)).length;
    const outcomes = await page.evaluate(async (all) => {
      const rebuild = (value: unknown): unknown => {
        if (Array.isArray(value)) return value.map(rebuild);
        if (value && typeof value === 'object') {
          if ('$bytes' in value) return new Uint8Array((value as { $bytes: number[] }).$bytes);
          return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rebuild(item)]));
        }
        return value;
      };
      const results: string[] = [];
      for (const options of all) {
        results.push(
          await navigator.credentials.create({ publicKey: rebuild(options) as PublicKeyCredentialCreationOptions }).then(
            () => 'credential',
            (error: Error) => error.name,
          ),
        );
      }
      return results;
    }, samples);
    const credentials = outcomes.filter((outcome) => outcome === 'credential').length;
    expect(outcomes.filter((outcome) => outcome !== 'credential' && !SPEC_NAMES.includes(outcome))).toEqual([]);
    expect(credentials).toBeGreaterThan(0);
    expect((await storedPasskeys(latchkey)).length).toBe(before + credentials);
    // The worker still answers.
    expect(await page.evaluate(() => window.demo.register('after-fuzz'))).toMatchObject({ ok: true });
  });

  it('a flood of 40 requests opens one prompt; the rest get "A request is already pending"', async () => {
    await latchkey.setTesterMode(false);
    await page.evaluate(() => {
      const state = { results: [] as string[] };
      (window as unknown as { flood: typeof state }).flood = state;
      for (let index = 0; index < 40; index++) {
        navigator.credentials.get({ publicKey: { challenge: new Uint8Array(32) } }).then(
          () => state.results.push('ok'),
          (error: Error) => state.results.push(`${error.name}: ${error.message}`),
        );
      }
    });
    const prompt = await waitForPrompt(latchkey);
    await page.waitForFunction(() => (window as unknown as { flood: { results: string[] } }).flood.results.length >= 39);
    const early = await page.evaluate(() => (window as unknown as { flood: { results: string[] } }).flood.results);
    expect(early).toEqual(Array(39).fill('NotAllowedError: A request is already pending.'));
    const promptWindows = [];
    for (const candidate of await latchkey.browser.pages()) {
      if ((await candidate.evaluate(() => location.href).catch(() => '')).includes('/extension/prompt/'))
        promptWindows.push(candidate);
    }
    expect(promptWindows).toHaveLength(1);
    await answerPrompt(prompt, '[data-testid="cancel"]');
    await page.waitForFunction(() => (window as unknown as { flood: { results: string[] } }).flood.results.length === 40);
  });

  it('cannot frame or script Latchkey\u2019s prompt: it is a window of its own, out of the page\u2019s reach', async () => {
    const framed = await page.evaluate(async (url) => {
      const frame = document.createElement('iframe');
      frame.src = url;
      document.body.append(frame);
      await new Promise((resolve) => setTimeout(resolve, 500));
      try {
        return frame.contentDocument?.querySelector('[data-testid]') ? 'scriptable' : 'not scriptable';
      } catch {
        return 'not scriptable';
      }
    }, `${latchkey.extensionOrigin}extension/prompt/index.html?id=x`);
    expect(framed).toBe('not scriptable');
    // No frame of the page shows Latchkey's prompt (the resource is not web-accessible).
    for (const frame of page.frames()) {
      expect(
        await frame
          .evaluate(() => !!document.querySelector('[data-testid="approve"], [data-testid="account"]'))
          .catch(() => false),
      ).toBe(false);
    }
    const pending = page.evaluate(() => window.demo.register('framing-check').then((result) => result.ok));
    const prompt = await waitForPrompt(latchkey);
    expect(await prompt.evaluate(() => window.opener === null && window.top === window)).toBe(true);
    await answerPrompt(prompt, '[data-testid="cancel"]');
    expect(await pending).toBe(false);
  });

  it('cannot tell from a username-less get() whether Latchkey holds a passkey: the request waits for the person either way', async () => {
    const probe = async (target: Page) => {
      await target.evaluate(() => {
        const state = { settled: '' };
        (window as unknown as { probe: typeof state }).probe = state;
        navigator.credentials.get({ publicKey: { challenge: new Uint8Array(32) } }).then(
          () => (state.settled = 'ok'),
          (error: Error) => (state.settled = error.name),
        );
      });
      const prompt = await waitForPrompt(latchkey);
      const settledWhilePrompting = await target.evaluate(
        () => (window as unknown as { probe: { settled: string } }).probe.settled,
      );
      await answerPrompt(prompt, '[data-testid="cancel"]');
      await target.waitForFunction(() => (window as unknown as { probe: { settled: string } }).probe.settled !== '');
      return [
        settledWhilePrompting,
        await target.evaluate(() => (window as unknown as { probe: { settled: string } }).probe.settled),
      ];
    };
    // The demo site holds passkeys by now; nobody.localhost (another site, same server) holds none.
    const withPasskeys = await probe(page);
    const elsewhere = await latchkey.browser.newPage();
    await elsewhere.goto(`http://nobody.localhost:${rp.port}/blank`);
    const withoutPasskeys = await probe(elsewhere);
    expect(withPasskeys).toEqual(['', 'NotAllowedError']);
    expect(withoutPasskeys).toEqual(['', 'NotAllowedError']);
    await elsewhere.close();
  });

  it('cannot replay a captured response: the relying party refuses the used challenge', async () => {
    await latchkey.setTesterMode(true);
    const login = await openDemo(latchkey.browser, `${rp.url}login`);
    const replay = await login.evaluate(async () => {
      const options = await (
        await fetch('/api/login/options', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
      ).json();
      const decode = (text: string) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
      const credential = (await navigator.credentials.get({
        publicKey: { ...options, challenge: decode(options.challenge) },
      })) as PublicKeyCredential;
      const body = JSON.stringify(credential.toJSON());
      const post = () =>
        fetch('/api/login/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(
          (response) => response.status,
        );
      return [await post(), await post()];
    });
    expect(replay).toEqual([200, 400]);
    await login.close();
  });
});
