/**
 * Crashes at random points (Chromium): the extension's service worker stopped (CDP
 * `ServiceWorker.stopAllWorkers`, as the browser stops it) at a random moment during
 * registrations, sign-ins, renames and deletes, and the whole browser killed (SIGKILL) at a
 * random moment during registrations and sign-ins. After every crash:
 *
 * - every passkey whose creation was confirmed to the page is in the vault and signs in at the
 *   relying party (which verifies it with @simplewebauthn/server);
 * - no record is half-written: the whole vault exports (every private key decrypts and parses);
 * - a rename left the old name or the new one, a delete left the passkey whole or gone;
 * - the page's promise settled (a credential, or an error), none hangs.
 *
 * The points are drawn from a seeded generator; the seed is printed, and LATCHKEY_CRASH_SEED
 * replays a run. Firefox: its temporary add-on does not survive a browser restart, and no driver
 * reaches its event page to stop it, so these run in Chromium only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoRelyingParty, startDemoRelyingParty } from '../../demo/createDemoServer';
import type { PasskeyView } from '../../src/webauthn/messages';
import { browsersUnderTest, launchBrowser, type LatchkeyBrowser, TEST_PASSPHRASE } from '../../src/testing/launchBrowser';
import { openDemo, storedPasskeys } from '../../src/testing/pages';

const SEED = Number(process.env.LATCHKEY_CRASH_SEED ?? Date.now() % 2 ** 31);

/** mulberry32: a small seeded generator, so that a failing run can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = seeded(SEED);
/** A moment inside (or just before or after) an operation that takes tens of milliseconds. */
const crashDelayMs = (upTo = 150) => Math.floor(random() * upTo);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Installs, after Latchkey, a page wrapper that reports each credential the moment create()
 * resolves in the page: "confirmed to the page", before the relying party hears of it.
 */
async function reportConfirmations(page: Page, confirmed: Set<string>): Promise<void> {
  await page.exposeFunction('__confirmed', (id: string) => void confirmed.add(id)).catch(() => undefined);
  await page.evaluate(() => {
    const create = navigator.credentials.create.bind(navigator.credentials);
    navigator.credentials.create = async (options?: CredentialCreationOptions) => {
      const credential = await create(options);
      if (credential) (window as unknown as { __confirmed(id: string): void }).__confirmed(credential.id);
      return credential;
    };
  });
}

/** Every private key decrypts and parses: the export reads them all (it fails on a half-written record). */
async function exportsWhole(latchkey: LatchkeyBrowser): Promise<number> {
  const reply = await latchkey.sendFromExtensionPage<{ exported: number; excluded: unknown[] }>({
    kind: 'passkeys.export',
    vaultPassphrase: TEST_PASSPHRASE,
    filePassphrase: 'crash check',
  });
  return reply.exported + reply.excluded.length;
}

/** The user names of the demo RP whose passkeys were confirmed to the page, by credential id. */
function confirmedUsers(rp: DemoRelyingParty, confirmed: Set<string>, users: string[]): Map<string, string> {
  const byId = new Map<string, string>();
  for (const user of users) for (const credential of rp.state.credentialsOf(user)) byId.set(credential.id, user);
  return new Map([...confirmed].filter((id) => byId.has(id)).map((id) => [id, byId.get(id)!]));
}

/** Each confirmed passkey is in the vault and signs in (username-first, so exactly that user's). */
async function expectUsable(
  latchkey: LatchkeyBrowser,
  page: Page,
  confirmed: Set<string>,
  rp: DemoRelyingParty,
  users: string[],
) {
  const stored = new Set((await storedPasskeys(latchkey)).map((passkey) => passkey.id));
  for (const id of confirmed) expect(stored.has(id), `confirmed passkey ${id} is in the vault`).toBe(true);
  const signInUsers = new Set(confirmedUsers(rp, confirmed, users).values());
  for (const user of signInUsers) {
    expect(await page.evaluate((name) => window.demo.loginWithUsername(name), user)).toMatchObject({ ok: true });
  }
  expect(await exportsWhole(latchkey)).toBe(stored.size);
}

describe.runIf(browsersUnderTest().includes('chromium'))(`chromium: crashes at random points (seed ${SEED})`, () => {
  let rp: DemoRelyingParty;

  beforeAll(async () => {
    rp = await startDemoRelyingParty();
    console.log(`crash points: LATCHKEY_CRASH_SEED=${SEED}`);
  });

  afterAll(async () => {
    await rp?.close();
  });

  describe('the service worker stopped', () => {
    let latchkey: LatchkeyBrowser;
    let page: Page;
    const confirmed = new Set<string>();
    const users: string[] = [];
    /** Operations a stop hit, and how they ended (a stop can land before, inside or after one). */
    const tally = { registrations: 0, signIns: 0, renames: 0, deletes: 0, interrupted: 0, completed: 0 };

    beforeAll(async () => {
      latchkey = await launchBrowser({ browser: 'chromium' });
      await latchkey.setTesterMode(true);
      page = await openDemo(latchkey.browser, `${rp.url}login`);
      await reportConfirmations(page, confirmed);
    });

    afterAll(async () => {
      console.log(`service worker stops: ${JSON.stringify(tally)}`);
      await latchkey?.close();
    });

    /** Stops every service worker of the browser, the extension's included, as the browser does when idle. */
    async function stopWorker(): Promise<void> {
      const extensionPage = await latchkey.extensionPage();
      const cdp = await extensionPage.createCDPSession();
      try {
        await cdp.send('ServiceWorker.enable');
        await cdp.send('ServiceWorker.stopAllWorkers');
      } finally {
        await cdp.detach().catch(() => undefined);
      }
    }

    it('during registrations: every confirmed passkey survives and signs in, the vault exports whole', async () => {
      for (let point = 0; point < 8; point++) {
        const user = `sw-reg-${point}`;
        users.push(user);
        const registration = page.evaluate((name) => window.demo.register(name, { timeout: 10_000 }), user);
        await sleep(crashDelayMs());
        await stopWorker();
        // Settles, one way or the other (the bridge turns a lost request into NotAllowedError).
        const result = await registration;
        expect(typeof result.ok).toBe('boolean');
        tally.registrations++;
        tally[result.ok ? 'completed' : 'interrupted']++;
      }
      await expectUsable(latchkey, page, confirmed, rp, users);
    }, 150_000);

    it('during sign-ins: each settles, the passkeys stay usable and their counters never go back', async () => {
      const user = users.find((name) => rp.state.credentialsOf(name).length > 0)!;
      expect(user).toBeDefined();
      let lastCounter = -1;
      for (let point = 0; point < 6; point++) {
        // The shortest timeout a site may set: whatever a stop does, the promise ends by then.
        const signIn = page.evaluate((name) => window.demo.loginWithUsername(name, { timeout: 10_000 }), user);
        await sleep(crashDelayMs());
        await stopWorker();
        const result = (await signIn) as { ok: boolean; newCounter?: number; error?: { name: string } };
        if (result.ok) {
          expect(result.newCounter!).toBeGreaterThan(lastCounter);
          lastCounter = result.newCounter!;
        }
        tally.signIns++;
        tally[result.ok ? 'completed' : 'interrupted']++;
      }
      await expectUsable(latchkey, page, confirmed, rp, users);
    }, 150_000);

    it('during renames and deletes: each leaves the old state or the new one, nothing between', async () => {
      const passkeys = await storedPasskeys(latchkey);
      expect(passkeys.length).toBeGreaterThanOrEqual(4);
      for (const [index, passkey] of passkeys.slice(0, 3).entries()) {
        const newName = `renamed during a stop ${index}`;
        const rename = latchkey
          .sendFromExtensionPage({ kind: 'passkeys.rename', id: passkey.id, name: newName })
          .catch(() => 'lost');
        await sleep(crashDelayMs());
        await stopWorker();
        await rename;
        const after = (await storedPasskeys(latchkey)).find((candidate) => candidate.id === passkey.id);
        expect([passkey.name, newName]).toContain(after?.name);
        tally.renames++;
      }
      const deleted: PasskeyView[] = [];
      for (const passkey of passkeys.slice(3, 6)) {
        const remove = latchkey.sendFromExtensionPage({ kind: 'passkeys.delete', id: passkey.id }).catch(() => 'lost');
        await sleep(crashDelayMs());
        await stopWorker();
        await remove;
        if (!(await storedPasskeys(latchkey)).some((candidate) => candidate.id === passkey.id)) deleted.push(passkey);
        tally.deletes++;
      }
      // The passkeys still there are whole; the deleted ones are no longer expected.
      for (const passkey of deleted) confirmed.delete(passkey.id);
      await expectUsable(latchkey, page, confirmed, rp, users);
    });
  });

  describe('the browser killed', () => {
    it('during registrations and sign-ins: after each restart every confirmed passkey is there and signs in', async () => {
      const profile = mkdtempSync(path.join(tmpdir(), 'latchkey-crash-points-'));
      const confirmed = new Set<string>();
      const users: string[] = [];
      const tally = { registrations: 0, signIns: 0, confirmedBeforeKill: 0, killedBeforeConfirmation: 0 };
      try {
        for (let point = 0; point < 6; point++) {
          const latchkey = await launchBrowser({ browser: 'chromium', userDataDir: profile });
          let page: Page;
          try {
            // A restart locks the vault (the first launch creates it).
            if ((await latchkey.vaultStatus()).locked) {
              await latchkey.sendFromExtensionPage({ kind: 'vault.unlock', passphrase: TEST_PASSPHRASE });
            }
            await latchkey.setTesterMode(true);
            page = await openDemo(latchkey.browser, `${rp.url}login`);
            await reportConfirmations(page, confirmed);
            // What the previous kill left: every confirmed passkey there and usable, the vault whole.
            await expectUsable(latchkey, page, confirmed, rp, users);
          } catch (error) {
            await latchkey.close();
            throw error;
          }
          // One registration that completes, so that later points have passkeys to lose (and sign in with).
          const settled = `kill-${point}-settled`;
          users.push(settled);
          expect(await page.evaluate((name) => window.demo.register(name), settled)).toMatchObject({ ok: true });
          // Then one in flight when the browser dies: a registration or a sign-in, by turns.
          const user = `kill-${point}-in-flight`;
          users.push(user);
          const before = confirmed.size;
          const inFlight =
            point % 2 === 1
              ? page.evaluate((name) => window.demo.loginWithUsername(name), settled)
              : page.evaluate((name) => window.demo.register(name), user);
          tally[point % 2 === 1 ? 'signIns' : 'registrations']++;
          inFlight.catch(() => undefined);
          await sleep(crashDelayMs(300));
          if (point % 2 === 0) tally[confirmed.size > before ? 'confirmedBeforeKill' : 'killedBeforeConfirmation']++;
          const child = latchkey.browser.process()!;
          child.kill('SIGKILL');
          await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
          // Nothing to close: the browser is gone (closing a dead browser would wait for it forever).
          await latchkey.browser.disconnect().catch(() => undefined);
        }
        // And after the last kill.
        const latchkey = await launchBrowser({ browser: 'chromium', userDataDir: profile });
        try {
          await latchkey.sendFromExtensionPage({ kind: 'vault.unlock', passphrase: TEST_PASSPHRASE });
          await latchkey.setTesterMode(true);
          const page = await openDemo(latchkey.browser, `${rp.url}login`);
          await expectUsable(latchkey, page, confirmed, rp, users);
        } finally {
          await latchkey.close();
        }
        console.log(`browser kills: ${JSON.stringify(tally)}; confirmed passkeys kept: ${confirmed.size}`);
      } finally {
        rmSync(profile, { recursive: true, force: true });
      }
    }, 240_000);
  });
});
