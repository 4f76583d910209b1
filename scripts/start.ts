/**
 * `npm start`: the extension (already built by the npm script) in Chromium against the demo
 * relying party. Registers a passkey and signs in twice by answering Latchkey's real prompt
 * window, prints each step, and saves screenshots. Headless where there is no display; with
 * a display the browser stays open for you to try it.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { startDemoRelyingParty } from '../demo/createDemoServer';
import { type BrowserName, launchBrowser } from '../src/testing/launchBrowser';
import { answerPrompt, openDemo, waitForPrompt } from '../src/testing/pages';

const ARTIFACTS = path.resolve(import.meta.dirname, '../.artifacts');
const headless = !process.env.DISPLAY || process.env.LATCHKEY_HEADLESS === '1';
/** `--browser firefox` runs the same in Firefox ESR (build it first: npm run build). */
const browserName: BrowserName =
  process.argv.includes('--browser') && process.argv[process.argv.indexOf('--browser') + 1] === 'firefox'
    ? 'firefox'
    : 'chromium';

function step(text: string): void {
  console.log(`• ${text}`);
}

async function promptText(prompt: Page): Promise<string> {
  const text = await prompt.$eval('main, body', (element) => (element as HTMLElement).innerText);
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(0, 4)
    .join(' | ');
}

async function main(): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const rp = await startDemoRelyingParty({ port: Number(process.env.PORT ?? 0) });
  step(`Demo relying party (verifies with @simplewebauthn/server) at ${rp.url}`);
  const latchkey = await launchBrowser({ browser: browserName, headless });
  step(
    `${await latchkey.browser.version()} started ${headless ? 'headless' : 'with a window'}, Latchkey loaded as extension ${latchkey.extensionId}`,
  );
  try {
    const username = `newcomer-${Date.now().toString(36)}`;
    const page = await openDemo(latchkey.browser, `${rp.url}register`);
    step(`Registering "${username}" on ${rp.url}register`);
    const registration = page.evaluate((name) => window.demo.register(name), username);
    const savePrompt = await waitForPrompt(latchkey);
    step(`Latchkey prompt: ${await promptText(savePrompt)}`);
    const promptShot = path.join(ARTIFACTS, 'start-save-prompt.png');
    await savePrompt.screenshot({ path: promptShot });
    step('Clicking "Save passkey"');
    await answerPrompt(savePrompt, '[data-testid="approve"]');
    const registered = await registration;
    step(`Site says: ${registered.text}`);
    if (!registered.ok) throw new Error(registered.text);

    await page.goto(`${rp.url}login`);
    await page.waitForFunction(() => typeof window.demo === 'object');
    step('Signing in username-first');
    const first = page.evaluate((name) => window.demo.loginWithUsername(name), username);
    await answerPrompt(await waitForPrompt(latchkey), '[data-testid="account"]');
    step(`Site says: ${(await first).text}`);

    step('Signing in username-less ("Sign in with a passkey"), picking the account in Latchkey\u2019s picker');
    const second = page.evaluate(() => window.demo.loginUsernameless());
    const picker = await waitForPrompt(latchkey);
    const pickerShot = path.join(ARTIFACTS, 'start-account-picker.png');
    await picker.screenshot({ path: pickerShot });
    await answerPrompt(picker, `[data-testid="account"]`);
    const signedIn = await second;
    step(`Site says: ${signedIn.text}`);
    if (!signedIn.ok) throw new Error(signedIn.text);

    const [credential] = rp.state.credentialsOf(username);
    step(
      `The site holds 1 passkey for ${username}: id ${credential?.id.slice(0, 16)}…, signature counter ${credential?.counter}`,
    );
    const pageShot = path.join(ARTIFACTS, 'start-signed-in.png');
    await page.screenshot({ path: pageShot });
    step(`Screenshots: ${promptShot}, ${pickerShot}, ${pageShot}`);
    console.log('\nLatchkey works: registered and signed in twice with a passkey kept by the extension.');
    if (!headless) {
      console.log(
        `The browser stays open on ${rp.url} — try it yourself (the toolbar's puzzle icon lists Latchkey). Press Ctrl-C to stop.`,
      );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        latchkey.browser.once('disconnected', resolve);
      });
    }
  } finally {
    await latchkey.close().catch(() => undefined);
    await rp.close();
  }
}

main().catch((error: unknown) => {
  console.error(`\nnpm start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
