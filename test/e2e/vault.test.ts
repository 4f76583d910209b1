/**
 * The vault end to end: a PIN set in the popup, a registration with
 * userVerification "required" that the RP verifies (UV flag checked by
 * @simplewebauthn/server), the private key on disk only encrypted, a browser
 * restart that locks the vault, unlocking in the prompt window, and a sign-in
 * with the PIN.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoRelyingParty, startDemoRelyingParty } from '../../demo/createDemoServer';
import { filesContaining, levelDbChunks } from '../../src/testing/levelDbBytes';
import { launchBrowser, TEST_PASSPHRASE, type LatchkeyBrowser } from '../../src/testing/launchBrowser';
import { keyMaterial, privateScalar, type KeyMaterial } from '../../src/testing/keyMaterial';
import { answerPrompt, openDemo, waitForPrompt } from '../../src/testing/pages';

const PIN = '482916';
let rp: DemoRelyingParty;
let latchkey: LatchkeyBrowser | undefined;
const profile = mkdtempSync(path.join(tmpdir(), 'latchkey-vault-profile-'));

beforeAll(async () => {
  rp = await startDemoRelyingParty();
});

afterAll(async () => {
  await latchkey?.close();
  await rp?.close();
  rmSync(profile, { recursive: true, force: true });
});

/** The prompt window after `previous` has closed (a ceremony may open two in a row). */
async function nextPrompt(previous: Page): Promise<Page> {
  if (!previous.isClosed()) await new Promise<void>((resolve) => previous.once('close', () => resolve()));
  return waitForPrompt(latchkey!);
}

async function errorIn(prompt: Page): Promise<string> {
  const notice = await prompt.waitForSelector('[data-testid="error"]');
  return notice!.evaluate((element) => (element as HTMLElement).innerText);
}

async function typeInto(page: Page, selector: string, text: string): Promise<void> {
  const field = (await page.waitForSelector(selector))!;
  await field.click({ count: 3 });
  await page.keyboard.press('Backspace');
  await field.type(text);
}

describe('vault: PIN, encryption at rest, restart', () => {
  let material: KeyMaterial;

  it('sets a PIN in the popup', async () => {
    latchkey = await launchBrowser({ userDataDir: profile });
    expect(await latchkey.vaultStatus()).toMatchObject({ exists: true, locked: false, pinSet: false });
    const popup = await latchkey.openExtensionPage('popup/index.html');
    await typeInto(popup, '[data-testid="pin-input"]', PIN);
    await popup.click('[data-testid="save-pin"]');
    await popup.waitForSelector('[data-testid="remove-pin"]');
    await popup.close();
    expect(await latchkey.vaultStatus()).toMatchObject({ pinSet: true });
  });

  it('registers with userVerification "required": a wrong PIN is refused, the right one sets UV', async () => {
    const page = await openDemo(latchkey!.browser, `${rp.url}register`);
    const registration = page.evaluate(() => window.demo.register('vera', { userVerification: 'required' }));
    const prompt = await waitForPrompt(latchkey!);
    await typeInto(prompt, '[data-testid="pin"]', '000000');
    await prompt.click('[data-testid="approve"]');
    expect(await errorIn(prompt)).toMatch(/Wrong PIN\. 7 tries left/);
    await typeInto(prompt, '[data-testid="pin"]', PIN);
    await answerPrompt(prompt, '[data-testid="approve"]');
    // The demo RP verifies with requireUserVerification: true when it asked for "required".
    expect(await registration).toMatchObject({ ok: true });
    expect(rp.state.credentialsOf('vera')).toHaveLength(1);
    expect(await latchkey!.vaultStatus()).toMatchObject({ pinFailures: 0 });
    material = await keyMaterial(latchkey!);
    expect(material.pkcs8.length).toBeGreaterThan(60);
    await page.close();
  });

  it('keeps no plaintext private key (nor the vault secret) in the profile’s IndexedDB files', async () => {
    // Chromium's LevelDB keeps fresh writes in its log (uncompressed) and reuses it across
    // restarts; only past the write buffer (a few MB) does it flush a sorted table, whose
    // blocks are Snappy-compressed, where a raw byte search would miss a plaintext key. About
    // 8 MB of filler in another database of the same origin forces that flush, so the search
    // below goes through decompressed table blocks too, and the positive control shows it does.
    await fillOriginStorage(await latchkey!.worker());
    const extensionId = latchkey!.extensionId;
    await latchkey!.close();
    latchkey = undefined;
    const dir = path.join(profile, 'Default', 'IndexedDB', `chrome-extension_${extensionId}_0.indexeddb.leveldb`);
    expect(existsSync(dir)).toBe(true);
    const chunks = levelDbChunks(dir);
    const pkcs8 = new Uint8Array(material.pkcs8);
    // Positive control: the credential id is stored in the clear (metadata), so the search does see records.
    const withId = filesContaining(chunks, new Uint8Array(material.credentialId));
    expect(withId.some((file) => file.endsWith('.ldb'))).toBe(true);
    expect(filesContaining(chunks, privateScalar(pkcs8))).toEqual([]);
    expect(filesContaining(chunks, pkcs8)).toEqual([]);
    // The PKCS#8 header every P-256 key shares (version, algorithm, curve): no key of any record.
    expect(filesContaining(chunks, pkcs8.slice(0, 26))).toEqual([]);
    expect(filesContaining(chunks, new Uint8Array(material.vaultSecret))).toEqual([]);
    // Not anywhere else in the profile either (raw bytes of every file).
    const everyFile = [
      ...walk(profile).map((file) => ({ file, bytes: new Uint8Array(readFileSync(file)) })),
      ...walkDirs(profile).filter((d) => d.endsWith('.leveldb')).flatMap((d) => levelDbChunks(d)),
    ];
    expect(filesContaining(everyFile, privateScalar(pkcs8))).toEqual([]);
    expect(filesContaining(everyFile, new Uint8Array(material.vaultSecret))).toEqual([]);
  });

  it('after a browser restart the vault is locked; the prompt unlocks it, then signs in with the PIN', async () => {
    latchkey = await launchBrowser({ userDataDir: profile });
    expect(await latchkey.vaultStatus()).toMatchObject({ exists: true, locked: true, pinSet: true });
    const page = await openDemo(latchkey.browser, `${rp.url}login`);
    const login = page.evaluate(() => window.demo.loginWithUsername('vera', { userVerification: 'required' }));
    const unlock = await waitForPrompt(latchkey);
    expect(await unlock.$eval('body', (body) => body.innerText)).toMatch(/Unlock Latchkey/);
    await typeInto(unlock, '[data-testid="passphrase"]', 'not the passphrase');
    await unlock.click('[data-testid="unlock"]');
    expect(await errorIn(unlock)).toMatch(/Wrong passphrase/);
    await typeInto(unlock, '[data-testid="passphrase"]', TEST_PASSPHRASE);
    await answerPrompt(unlock, '[data-testid="unlock"]');
    const prompt = await nextPrompt(unlock);
    await typeInto(prompt, '[data-testid="pin"]', PIN);
    await answerPrompt(prompt, '[data-testid="account"]');
    expect(await login).toMatchObject({ ok: true, text: 'Signed in as vera' });
    expect(await latchkey.vaultStatus()).toMatchObject({ locked: false });
  });

  it('locks from the popup; the popup then shows only the unlock form', async () => {
    const popup = await latchkey!.openExtensionPage('popup/index.html');
    await popup.waitForSelector('[data-testid="lock-now"]');
    await popup.click('[data-testid="lock-now"]');
    await popup.waitForSelector('[data-testid="unlock-form"]');
    expect(await popup.$('[data-testid="passkey-row"]')).toBeNull();
    expect(await latchkey!.vaultStatus()).toMatchObject({ locked: true });
    await typeInto(popup, '[data-testid="passphrase"]', TEST_PASSPHRASE);
    await popup.click('[data-testid="unlock"]');
    await popup.waitForSelector('[data-testid="passkey-row"]');
    await popup.close();
  });
});

async function fillOriginStorage(worker: Awaited<ReturnType<LatchkeyBrowser['worker']>>): Promise<void> {
  await worker.evaluate(async () => {
    const db: IDBDatabase = await new Promise((resolve, reject) => {
      const request = indexedDB.open('latchkey-test-filler', 1);
      request.onupgradeneeded = () => request.result.createObjectStore('filler');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    for (let batch = 0; batch < 80; batch++) {
      await new Promise((resolve, reject) => {
        const tx = db.transaction('filler', 'readwrite');
        // Values under Chromium's blob threshold, so they go into LevelDB itself.
        for (let i = 0; i < 100; i++) tx.objectStore('filler').put(crypto.randomUUID().repeat(30), batch * 100 + i);
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
    }
    db.close();
  });
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return walk(full);
    return entry.isFile() ? [full] : [];
  });
}

function walkDirs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => [path.join(dir, entry.name), ...walkDirs(path.join(dir, entry.name))]);
}
