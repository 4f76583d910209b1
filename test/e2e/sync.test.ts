/**
 * Sync end to end: two Chromium profiles (two launches, each its own user-data-dir) whose
 * storage.sync areas are bridged by this harness the way the browser's sync engine would deliver
 * changes: an extension page in each browser collects its storage.onChanged events for the sync
 * area, and the harness writes them into the other browser with chrome.storage.sync.set/remove
 * (never echoing a change back to where it came from). Pausing the pump is "offline".
 *
 * Runs in each browser under test (LATCHKEY_BROWSERS): two Chromium profiles, or two Firefox ones.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoRelyingParty, startDemoRelyingParty } from '../../demo/createDemoServer';
import { keyMaterial, privateScalar } from '../../src/testing/keyMaterial';
import { browsersUnderTest, launchBrowser, TEST_PASSPHRASE, type LatchkeyBrowser } from '../../src/testing/launchBrowser';
import { diagnosticRecords, openDemo, storedPasskeys } from '../../src/testing/pages';
import { fromBase64url, toBase64url } from '../../src/webauthn/base64url';
import type { SyncStatusView } from '../../src/webauthn/messages';

let rp: DemoRelyingParty;
let a: LatchkeyBrowser;
let b: LatchkeyBrowser;
let pageA: Page;
let pageB: Page;

const USER = 'sync-alice-lovelace';

/** Polls until `check` returns a value that is not undefined/false. */
async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

async function installOutbox(latchkey: LatchkeyBrowser): Promise<void> {
  await (
    await latchkey.extensionPage()
  ).evaluate(() => {
    const w = window as unknown as { syncOutbox: Record<string, { value?: unknown }>[]; syncApplied: Map<string, string> };
    w.syncOutbox = [];
    w.syncApplied = new Map();
    chrome.storage.onChanged.addListener((changes, area) => {
      if (area !== 'sync') return;
      const out: Record<string, { value?: unknown }> = {};
      for (const [key, change] of Object.entries(changes)) {
        const json = change.newValue === undefined ? '<removed>' : JSON.stringify(change.newValue);
        if (w.syncApplied.get(key) === json) {
          w.syncApplied.delete(key); // the bridge's own delivery: not sent back
          continue;
        }
        out[key] = change.newValue === undefined ? {} : { value: change.newValue };
      }
      if (Object.keys(out).length) w.syncOutbox.push(out);
    });
  });
}

/** Delivers what `from` changed to `to`, as one batch. */
async function pump(from: LatchkeyBrowser, to: LatchkeyBrowser): Promise<void> {
  const batches = await (
    await from.extensionPage()
  ).evaluate(() => (window as unknown as { syncOutbox: Record<string, { value?: unknown }>[] }).syncOutbox.splice(0));
  if (!batches.length) return;
  const changes: Record<string, { value?: unknown }> = Object.assign({}, ...batches);
  await (
    await to.extensionPage()
  ).evaluate(async (incoming) => {
    const w = window as unknown as { syncApplied: Map<string, string> };
    const current = await chrome.storage.sync.get(Object.keys(incoming));
    const sets: Record<string, unknown> = {};
    const removes: string[] = [];
    for (const [key, change] of Object.entries(incoming)) {
      if ('value' in change) {
        if (JSON.stringify(current[key]) === JSON.stringify(change.value)) continue;
        sets[key] = change.value;
        w.syncApplied.set(key, JSON.stringify(change.value));
      } else if (key in current) {
        removes.push(key);
        w.syncApplied.set(key, '<removed>');
      }
    }
    if (Object.keys(sets).length) await chrome.storage.sync.set(sets);
    if (removes.length) await chrome.storage.sync.remove(removes);
  }, changes);
}

let bridge = { online: true, stopped: false, loop: Promise.resolve() };

function startBridge(): void {
  bridge = { online: true, stopped: false, loop: Promise.resolve() };
  bridge.loop = (async () => {
    while (!bridge.stopped) {
      if (bridge.online) {
        await pump(a, b);
        await pump(b, a);
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  })();
}

const syncStatus = (latchkey: LatchkeyBrowser, run = false) =>
  latchkey.sendFromExtensionPage<{ sync: SyncStatusView }>({ kind: 'sync.status', run }).then((reply) => reply.sync);

const syncArea = async (latchkey: LatchkeyBrowser) =>
  (await latchkey.extensionPage()).evaluate(() => chrome.storage.sync.get(null)) as Promise<Record<string, unknown>>;

/** Flags and counter of the newest successful sign-in Latchkey answered (from its ceremony log). */
async function lastAssertion(latchkey: LatchkeyBrowser): Promise<{ be: boolean; bs: boolean; counter: number }> {
  const record = (await diagnosticRecords(latchkey)).find(
    (entry) => entry.operation === 'get' && entry.outcome.status === 'success',
  );
  const response = (record!.outcome as unknown as { response: { response: { authenticatorData: string } } }).response;
  const data = fromBase64url(response.response.authenticatorData);
  return { be: (data[32]! & 0x08) !== 0, bs: (data[32]! & 0x10) !== 0, counter: new DataView(data.buffer).getUint32(33) };
}

async function signIn(page: Page, username: string) {
  return page.evaluate((name) => window.demo.loginWithUsername(name), username);
}

describe.each(browsersUnderTest())('%s: sync between two profiles through storage.sync', (browserName) => {
  beforeAll(async () => {
    rp = await startDemoRelyingParty({ rpId: 'syncshop.localhost' });
    a = await launchBrowser({ browser: browserName });
    b = await launchBrowser({ browser: browserName, vaultPassphrase: null }); // a new browser: no vault of its own
    await a.setTesterMode(true);
    await b.setTesterMode(true);
    await installOutbox(a);
    await installOutbox(b);
    startBridge();
    pageA = await openDemo(a.browser, rp.url);
    pageB = await openDemo(b.browser, rp.url);
  });

  afterAll(async () => {
    bridge.stopped = true;
    await bridge.loop.catch(() => undefined);
    await a?.close();
    await b?.close();
    await rp?.close();
  });

  it('the browser without a signed-in sync account keeps storage.sync locally (what the bridge relies on)', async () => {
    const page = await a.extensionPage();
    const read = await page.evaluate(async () => {
      await chrome.storage.sync.set({ probe: { n: 1 } });
      const value = (await chrome.storage.sync.get('probe')).probe;
      await chrome.storage.sync.remove('probe');
      return { value, after: (await chrome.storage.sync.get('probe')).probe ?? null };
    });
    expect(read).toEqual({ value: { n: 1 }, after: null });
  });

  it('a device-bound passkey made with sync off keeps BE=0 and its counter, and stays in its browser', async () => {
    expect(await pageA.evaluate(() => window.demo.register('sync-device-bound-user'))).toMatchObject({ ok: true });
    expect(rp.state.credentialsOf('sync-device-bound-user')[0]).toMatchObject({ deviceType: 'singleDevice', backedUp: false });
    expect(await signIn(pageA, 'sync-device-bound-user')).toMatchObject({ ok: true });
    expect(await lastAssertion(a)).toEqual({ be: false, bs: false, counter: 1 });
  });

  it('created on A with sync on, a new browser B unlocks with the passphrase alone and signs in at the RP', async () => {
    // Switched on in the popup, as a person would.
    const popup = await a.openExtensionPage('popup/index.html');
    await (await popup.waitForSelector('[data-testid="sync-toggle"]:not([disabled])'))!.click();
    await popup.waitForSelector('[data-testid="sync-status"]');
    await popup.close();
    expect((await a.sendFromExtensionPage<{ settings: { sync: boolean } }>({ kind: 'settings.get' })).settings.sync).toBe(true);
    expect(await pageA.evaluate((name) => window.demo.register(name), USER)).toMatchObject({ ok: true });
    // Backup eligible from creation (multi-device); not yet uploaded at that moment.
    expect(rp.state.credentialsOf(USER)[0]).toMatchObject({ deviceType: 'multiDevice', counter: 0 });
    await until('A to put the passkey in storage.sync', async () => (await syncStatus(a)).synced === 1);

    // B: sync on; its vault is the one in sync storage, locked until the passphrase is typed.
    await until('the sealed vault key to reach B', async () => 'k' in (await syncArea(b)));
    await b.sendFromExtensionPage({ kind: 'settings.set', settings: { sync: true } });
    await until('B to adopt the vault key', async () => (await b.vaultStatus()).exists);
    expect(await b.vaultStatus()).toMatchObject({ exists: true, locked: true });
    await b.sendFromExtensionPage({ kind: 'vault.unlock', passphrase: TEST_PASSPHRASE });
    const received = await until('the passkey on B', async () =>
      (await storedPasskeys(b)).find((passkey) => passkey.userName === USER),
    );
    expect(received).toMatchObject({ rpId: 'syncshop.localhost', backupEligible: true, signCount: null });
    expect((await storedPasskeys(b)).some((passkey) => passkey.userName === 'sync-device-bound-user')).toBe(false);

    expect(await signIn(pageB, USER)).toMatchObject({ ok: true }); // verified by @simplewebauthn/server
    expect(await lastAssertion(b)).toEqual({ be: true, bs: true, counter: 0 });
    expect(await signIn(pageA, USER)).toMatchObject({ ok: true });
    expect(await lastAssertion(a)).toEqual({ be: true, bs: true, counter: 0 });
  });

  it('turning sync off makes new assertions report BS=0, and on again BS=1 (BE stays 1)', async () => {
    for (const sync of [false, true]) {
      await a.sendFromExtensionPage({ kind: 'settings.set', settings: { sync } });
      await until(
        `BS ${sync ? 'on' : 'off'} on A`,
        async () => (await storedPasskeys(a)).find((passkey) => passkey.userName === USER)?.backupState === sync,
      );
      expect(await signIn(pageA, USER)).toMatchObject({ ok: true });
      expect(await lastAssertion(a)).toEqual({ be: true, bs: sync, counter: 0 });
    }
  });

  it('storage.sync holds no plaintext key bytes, user handle, site or account name (with a positive control)', async () => {
    const passkey = (await storedPasskeys(a)).find((candidate) => candidate.userName === USER)!;
    const material = await keyMaterial(a, passkey.id);
    const userHandle = fromBase64url(rp.state.credentialsOf(USER)[0]!.userId);
    const area = await syncArea(a);
    const dump = JSON.stringify(area);
    /** The forms bytes could take in JSON: base64url, base64, hex, a list of numbers. */
    const forms = (bytes: Uint8Array) => {
      const b64 = Buffer.from(bytes).toString('base64');
      return [toBase64url(bytes), b64.replace(/=+$/, ''), Buffer.from(bytes).toString('hex'), bytes.join(',')];
    };
    const needles = [
      'syncshop',
      USER,
      passkey.name,
      passkey.id,
      ...forms(privateScalar(new Uint8Array(material.pkcs8))),
      ...forms(new Uint8Array(material.pkcs8).subarray(0, 48)),
      ...forms(new Uint8Array(material.vaultSecret)),
      ...forms(userHandle),
    ];
    for (const needle of needles) expect(dump.includes(needle), `storage.sync contains ${needle}`).toBe(false);
    // Positive control: the same search finds the names in what the popup lists, and bytes that
    // are in sync storage on purpose (the PBKDF2 salt of the sealed vault key).
    const listed = JSON.stringify(await storedPasskeys(a));
    for (const needle of needles.slice(0, 4)) expect(listed.includes(needle)).toBe(true);
    const salt = fromBase64url((area.k as { salt: string }).salt);
    expect(forms(salt).some((form) => dump.includes(form))).toBe(true);
    expect(Object.keys(area).every((key) => key === 'k' || /^r[A-Za-z0-9_-]{22}(~\d+)?$/.test(key))).toBe(true);
  });

  it('renamed on both while offline, the browsers converge to the later rename once reconnected', async () => {
    const id = (await storedPasskeys(a)).find((candidate) => candidate.userName === USER)!.id;
    bridge.online = false;
    await a.sendFromExtensionPage({ kind: 'passkeys.rename', id, name: 'Renamed on A' });
    await until('A to sync its rename', async () => (await syncStatus(a, true)).lastSyncedAt !== null);
    await b.sendFromExtensionPage({ kind: 'passkeys.rename', id, name: 'Renamed on B' });
    await syncStatus(b, true);
    const nameOn = async (latchkey: LatchkeyBrowser) =>
      (await storedPasskeys(latchkey)).find((candidate) => candidate.id === id)?.name;
    expect(await nameOn(a)).toBe('Renamed on A');
    expect(await nameOn(b)).toBe('Renamed on B');
    bridge.online = true;
    await until(
      'both to show the later rename',
      async () => (await nameOn(a)) === 'Renamed on B' && (await nameOn(b)) === 'Renamed on B',
    );
    const conflicts = (await syncStatus(a)).conflictsResolved + (await syncStatus(b)).conflictsResolved;
    expect(conflicts).toBeGreaterThanOrEqual(1);
  });

  it('deleted on B, A stops offering it', async () => {
    const id = (await storedPasskeys(b)).find((candidate) => candidate.userName === USER)!.id;
    await b.sendFromExtensionPage({ kind: 'passkeys.delete', id });
    await until('A to drop the passkey', async () => !(await storedPasskeys(a)).some((candidate) => candidate.id === id));
    const refused = await signIn(pageA, USER);
    expect(refused).toMatchObject({ ok: false, error: { name: 'NotAllowedError' } });
  });

  it('past the quota new passkeys stay in their browser, marked not synced, and still sign in; nothing is lost', async () => {
    bridge.online = false; // B need not receive a hundred passkeys; A's quota is what is tested
    await a.sendFromExtensionPage({ kind: 'settings.set', settings: { sync: true } });
    const made: string[] = [];
    const fillers = await pageA.evaluate(async () => {
      const names: string[] = [];
      for (let index = 0; index < 130; index++) {
        const name = `sync-filler-${String(index).padStart(3, '0')}`;
        const result = await window.demo.register(name);
        if (!result.ok) throw new Error(`${name}: ${JSON.stringify(result)}`);
        names.push(name);
      }
      return names;
    });
    made.push(...fillers);
    const status = await until('a round past the quota', async () => {
      const current = await syncStatus(a, true);
      return current.synced + current.notSynced === made.length && current.notSynced > 0 && current;
    });
    expect(status.bytesInUse).toBeLessThanOrEqual(status.quotaBytes);
    expect(status.nearQuota).toBe(true);
    expect(status.errors).toEqual([]);
    const listed = await storedPasskeys(a);
    for (const name of made)
      expect(
        listed.some((passkey) => passkey.userName === name),
        name,
      ).toBe(true);
    const kept = listed.filter((passkey) => passkey.notSynced);
    expect(kept.length).toBe(status.notSynced);
    const newest = listed.find((passkey) => passkey.userName === made.at(-1))!;
    expect(newest.notSynced).toBe(true);
    expect(await signIn(pageA, newest.userName)).toMatchObject({ ok: true });
    expect(await lastAssertion(a)).toEqual({ be: true, bs: false, counter: 0 });

    // The popup says so: used/total with the warning, and the passkey marked.
    const popup = await a.openExtensionPage('popup/index.html');
    const quota = await popup.waitForSelector('[data-testid="sync-quota"]');
    expect(await quota!.evaluate((element) => (element as HTMLElement).innerText)).toMatch(/of 100\.0 KiB used .*Almost full/);
    await (await popup.waitForSelector('[data-testid="search"]'))!.type(newest.userName);
    const row = await popup.waitForSelector(`[data-passkey-id="${newest.id}"] [data-testid="not-synced"]`);
    expect(await row!.evaluate((element) => (element as HTMLElement).innerText)).toMatch(/not synced/);
    await popup.close();
  }, 240_000);
});
