/**
 * Security keys through the native bridge, end to end in Debian's Chromium and Firefox ESR: the
 * built extension, the native host installed for the browser and started by the browser itself,
 * CTAPHID to a SIMULATED key (Latchkey's software authenticator behind CTAP2 and CTAPHID framing;
 * there is no real USB key or /dev/uhid here), and the demo relying party verifying with
 * @simplewebauthn/server. Chromium finds the host manifest in the profile's NativeMessagingHosts
 * folder; Firefox only in ~/.mozilla/native-messaging-hosts, so it is started with HOME set to a
 * temporary folder that holds one.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoRelyingParty, startDemoRelyingParty } from '../../demo/createDemoServer';
import { install } from '../../native-host/install';
import { pinHash } from '../../src/ctap/pinUvAuthProtocolTwo';
import { emptyKeyState, parseKeyState, serializeKeyState } from '../../src/ctap/simulated/simulatedKeyState';
import { browsersUnderTest, launchBrowser, type LatchkeyBrowser } from '../../src/testing/launchBrowser';
import { answerPrompt, openDemo, startAbortable, storedPasskeys, waitForPrompt } from '../../src/testing/pages';

const KEY_PIN = '2580';

describe.each(browsersUnderTest())('%s: passkeys on a (simulated) USB security key through the native bridge', (browserName) => {
  let rp: DemoRelyingParty;
  let latchkey: LatchkeyBrowser;
  let keyFile: string;
  let installBridge: (touchDelayMs: number) => Promise<unknown>;
  const keyState = () => parseKeyState(readFileSync(keyFile, 'utf8'));

  beforeAll(async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'latchkey-bridge-e2e-'));
    const userDataDir = path.join(work, 'profile');
    keyFile = path.join(work, 'key.json');
    // A key with a PIN already set, as it would come from its owner.
    writeFileSync(keyFile, serializeKeyState({ ...emptyKeyState(), pinHash: pinHash(KEY_PIN) }));
    rp = await startDemoRelyingParty();
    if (browserName === 'chromium') {
      latchkey = await launchBrowser({ browser: 'chromium', userDataDir });
      // Chromium reads <user-data-dir>/NativeMessagingHosts when it connects, so the id of the running extension can go in now.
      installBridge = (touchDelayMs) =>
        install({
          home: work,
          extensionId: latchkey.extensionId,
          manifestDir: path.join(userDataDir, 'NativeMessagingHosts'),
          simulatedKey: keyFile,
          touchDelayMs,
        });
      await installBridge(200);
    } else {
      installBridge = (touchDelayMs) => install({ home: work, browsers: ['firefox'], simulatedKey: keyFile, touchDelayMs });
      await installBridge(200);
      const home = process.env.HOME;
      process.env.HOME = work;
      try {
        latchkey = await launchBrowser({ browser: 'firefox', userDataDir });
      } finally {
        process.env.HOME = home;
      }
    }
  });

  afterAll(async () => {
    await latchkey?.close();
    await rp?.close();
  });

  async function useKey(prompt: Page, pin: string): Promise<void> {
    await prompt.click('[data-testid="use-security-key"]');
    await prompt.waitForSelector('[data-testid="security-key-pin"]');
    await prompt.type('[data-testid="security-key-pin"]', pin);
  }

  it('the prompt finds the key through the bridge, and registration with its PIN is verified by the RP', async () => {
    const page = await openDemo(latchkey.browser, `${rp.url}register`);
    const registration = page.evaluate(() => window.demo.register('alice'));
    const prompt = await waitForPrompt(latchkey);
    await useKey(prompt, KEY_PIN);
    expect(await prompt.$eval('[data-testid="security-key-panel"]', (panel) => (panel as HTMLElement).innerText)).toContain(
      'Latchkey simulated key',
    );
    await answerPrompt(prompt, '[data-testid="security-key-continue"]');
    expect(await registration).toMatchObject({ ok: true });
    const [credential] = rp.state.credentialsOf('alice');
    expect(credential).toBeDefined();
    // The key holds the passkey; Latchkey's own vault does not.
    expect(keyState().credentials.map((record) => record.id)).toEqual([credential!.id]);
    expect(await storedPasskeys(latchkey)).toEqual([]);
  });

  it('signs in with the key: a wrong PIN is refused with the tries left and the window waits; the right PIN signs in', async () => {
    const page = await openDemo(latchkey.browser, `${rp.url}login`);
    const login = page.evaluate(() => window.demo.loginWithUsername('alice'));
    const prompt = await waitForPrompt(latchkey);
    await useKey(prompt, '0000');
    await prompt.click('[data-testid="security-key-continue"]');
    const error = await prompt.waitForSelector('[data-testid="error"]');
    expect(await error!.evaluate((node) => (node as HTMLElement).innerText)).toContain(
      'Wrong PIN for your security key. 7 tries left.',
    );
    expect(keyState().pinRetries).toBe(7);
    await prompt.$eval('[data-testid="security-key-pin"]', (input) => ((input as HTMLInputElement).value = ''));
    await prompt.type('[data-testid="security-key-pin"]', KEY_PIN);
    await answerPrompt(prompt, '[data-testid="security-key-continue"]');
    expect(await login).toMatchObject({ ok: true, text: 'Signed in as alice' });
    // A right PIN gives the key its 8 tries back; the RP saw the key's counter go up.
    expect(keyState().pinRetries).toBe(8);
    expect(rp.state.credentialsOf('alice')[0]?.counter).toBe(1);
  });

  it('the popup’s Security keys view lists the passkey on the key after its PIN, and deletes it from the key', async () => {
    const popup = await latchkey.openExtensionPage('popup/index.html');
    await popup.click('[data-testid="security-keys-open"]');
    await popup.waitForSelector('[data-testid="security-keys"] [data-testid="security-key-pin"]');
    await popup.type('[data-testid="security-keys"] [data-testid="security-key-pin"]', KEY_PIN);
    await popup.click('[data-testid="security-key-list"]');
    const row = await popup.waitForSelector('[data-testid="security-key-credential"]');
    expect(await row!.evaluate((node) => (node as HTMLElement).innerText)).toContain('localhost — alice');
    await popup.click('[data-testid="security-key-delete"]');
    await popup.click('[data-testid="security-key-delete-confirm"]');
    await popup.waitForSelector('[data-testid="security-key-empty"]');
    expect(keyState().credentials).toEqual([]);
    await popup.close();
  });

  it('a site that requires user verification, with no Latchkey PIN set, can still use the key, which verifies with its PIN', async () => {
    expect((await latchkey.vaultStatus()).pinSet).toBe(false);
    const page = await openDemo(latchkey.browser, `${rp.url}register`);
    const registration = page.evaluate(() => window.demo.register('dave', { userVerification: 'required' }));
    const prompt = await waitForPrompt(latchkey);
    await useKey(prompt, KEY_PIN);
    await answerPrompt(prompt, '[data-testid="security-key-continue"]');
    // The RP required UV (requireUserVerification) and verified the key's response.
    expect(await registration).toMatchObject({ ok: true });
    expect(keyState().credentials.map((record) => record.userName)).toEqual(['dave']);
  });

  it('a page that aborts while the key waits for a touch gets AbortError, and the key gets CTAPHID_CANCEL', async () => {
    // The same key, now with a person who never touches it in time.
    await installBridge(600_000);
    const page = await openDemo(latchkey.browser, `${rp.url}register`);
    const ceremony = await startAbortable(
      page,
      `navigator.credentials.create({ signal, publicKey: {
        challenge: new Uint8Array(32), rp: { name: 'Demo' }, pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
        user: { id: new Uint8Array([1, 2, 3]), name: 'bob', displayName: 'Bob' } } })`,
    );
    const prompt = await waitForPrompt(latchkey);
    await useKey(prompt, KEY_PIN);
    await prompt.click('[data-testid="security-key-continue"]');
    // "Touch your key" shows once the key itself asks for it (CTAPHID_KEEPALIVE, STATUS_UPNEEDED).
    await prompt.waitForSelector('[data-testid="touch-key"]', { timeout: 20_000 });
    await ceremony.abort();
    expect(await ceremony.settled()).toBe('AbortError');
    // The host turned the extension's cancel (and the closed port) into CTAPHID_CANCEL; the key ended the command.
    await expect.poll(() => keyState().cancelledCommands, { timeout: 10_000 }).toBe(1);
    expect(keyState().credentials.map((record) => record.userName)).toEqual(['dave']);
  });
});
