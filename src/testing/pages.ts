/** Helpers for the demo RP's page API and Latchkey's own windows. */
import { type Browser, type Page, ProtocolError } from 'puppeteer-core';

export interface DemoResult {
  ok: boolean;
  text: string;
  error?: { name: string; message: string };
}

declare global {
  interface Window {
    demo: {
      register(username: string, options?: Record<string, unknown>): Promise<DemoResult>;
      loginWithUsername(username: string, options?: Record<string, unknown>): Promise<DemoResult>;
      loginUsernameless(): Promise<DemoResult>;
    };
  }
}

/** Waits for Latchkey's prompt window and returns it as a page, ready to click. */
export async function waitForPrompt(browser: Browser): Promise<Page> {
  const target = await browser.waitForTarget((candidate) => candidate.url().includes('/extension/prompt/index.html'), {
    timeout: 20_000,
  });
  const page = await target.asPage();
  await page.waitForSelector('[data-testid="cancel"], [data-testid="approve"], [data-testid="account"]');
  return page;
}

/** Clicks in the prompt. The window closes itself once answered, which may cut the click's own round trip short. */
export async function answerPrompt(prompt: Page, selector: string): Promise<void> {
  await prompt.click(selector).catch((error: unknown) => {
    // Puppeteer reports the closed target as a ProtocolError ("Target closed").
    if (!(error instanceof ProtocolError && /Target closed/.test(error.message)) && !prompt.isClosed()) throw error;
  });
}

export async function openDemo(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => typeof window.demo === 'object');
  return page;
}
