/**
 * Latchkey's testing API: scriptable virtual authenticators in real pages, for Puppeteer
 * (Chromium and Firefox) and Playwright (Chromium). The vocabulary is Chrome's CDP `WebAuthn`
 * domain — a CDP test ports by renaming `cdp.send('WebAuthn.x', p)` to `latchkey.x(p)` — and the
 * W3C WebDriver spellings are accepted too. Commands travel through one of the extension's own
 * pages to its background, a channel no web page can reach.
 *
 *   const latchkey = await LatchkeyTesting.attach(launched);          // Puppeteer, via launchBrowser()
 *   const latchkey = await LatchkeyTesting.attachPlaywright(context); // Playwright persistent context
 *   const { authenticatorId } = await latchkey.addVirtualAuthenticator({ transport: 'internal' });
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { BrowserContext as PlaywrightContext, Page as PlaywrightPage } from 'playwright-core';
import type {
  Injection,
  TesterEvent,
  TesterEventType,
  VirtualAuthenticatorOptions,
  VirtualCredential,
  VirtualCredentialInput,
} from '../virtualAuthenticators/types';
import type { LatchkeyBrowser } from './launchBrowser';

export type { Injection, TesterEvent, VirtualCredential, VirtualCredentialInput };
export type VirtualAuthenticatorInput = Partial<VirtualAuthenticatorOptions> & {
  protocol?: 'ctap2' | 'ctap2_1' | 'u2f' | 'ctap1/u2f';
  isUserConsenting?: boolean;
};

/** Runs `command` in an extension page and returns its result, or throws the background's error. */
type Send = (command: string, params: unknown) => Promise<unknown>;

/** What every driver's page can do: evaluate a function with one argument. */
interface EvaluatingPage {
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
}

function sender(page: () => Promise<EvaluatingPage>): Send {
  return async (command, params) => {
    const reply = (await (
      await page()
    ).evaluate((message) => chrome.runtime.sendMessage(message), { kind: 'tester.command', command, params: params ?? {} })) as
      { result?: unknown; error?: string } | undefined;
    if (!reply || reply.error !== undefined) throw new Error(`Latchkey ${command}: ${reply?.error ?? 'no answer'}`);
    return reply.result;
  };
}

const POLL_MS = 50;

export class LatchkeyTesting {
  private readonly listeners = new Map<TesterEventType, Set<(event: TesterEvent) => void>>();
  private seenSeq = 0;
  private polling: ReturnType<typeof setInterval> | undefined;
  private pollInFlight = false;

  private constructor(private readonly send: Send) {}

  /** Attaches to a browser started by `launchBrowser()` (Puppeteer; Chromium or Firefox). */
  static async attach(launched: LatchkeyBrowser): Promise<LatchkeyTesting> {
    const testing = new LatchkeyTesting(sender(() => launched.extensionPage() as unknown as Promise<EvaluatingPage>));
    await testing.start();
    return testing;
  }

  /** Attaches to a Playwright persistent context launched with the extension (Chromium). */
  static async attachPlaywright(context: PlaywrightContext): Promise<LatchkeyTesting> {
    const worker =
      context.serviceWorkers().find((candidate) => candidate.url().startsWith('chrome-extension://')) ??
      (await context.waitForEvent('serviceworker'));
    // Node's URL gives chrome-extension: URLs an opaque origin; the host is the extension id.
    const origin = `chrome-extension://${new URL(worker.url()).host}`;
    let page: PlaywrightPage | undefined;
    const extensionPage = async () => {
      if (!page || page.isClosed()) {
        page = await context.newPage();
        await page.goto(`${origin}/popup/index.html`);
      }
      return page as unknown as EvaluatingPage;
    };
    const testing = new LatchkeyTesting(sender(extensionPage));
    await testing.start();
    return testing;
  }

  private async start(): Promise<void> {
    const { seq } = (await this.send('getEvents', { since: Number.MAX_SAFE_INTEGER })) as { seq: number };
    this.seenSeq = seq;
  }

  // --- CDP WebAuthn vocabulary -------------------------------------------------------------

  /** Adds an authenticator and switches tester mode on (the TEST badge shows). */
  async addVirtualAuthenticator(options: VirtualAuthenticatorInput = {}): Promise<{ authenticatorId: string }> {
    return (await this.send('addVirtualAuthenticator', { options })) as { authenticatorId: string };
  }
  async removeVirtualAuthenticator(params: { authenticatorId: string }): Promise<void> {
    await this.send('removeVirtualAuthenticator', params);
  }
  /** `privateKey` is PKCS#8 (P-256), binary members base64 as CDP has them or base64url as WebDriver has them. */
  async addCredential(params: { authenticatorId: string; credential: VirtualCredentialInput }): Promise<void> {
    await this.send('addCredential', params);
  }
  async getCredential(params: { authenticatorId: string; credentialId: string }): Promise<{ credential: VirtualCredential }> {
    return (await this.send('getCredential', params)) as { credential: VirtualCredential };
  }
  async getCredentials(params: { authenticatorId: string }): Promise<{ credentials: VirtualCredential[] }> {
    return (await this.send('getCredentials', params)) as { credentials: VirtualCredential[] };
  }
  async removeCredential(params: { authenticatorId: string; credentialId: string }): Promise<void> {
    await this.send('removeCredential', params);
  }
  async clearCredentials(params: { authenticatorId: string }): Promise<void> {
    await this.send('clearCredentials', params);
  }
  async setUserVerified(params: { authenticatorId: string; isUserVerified: boolean }): Promise<void> {
    await this.send('setUserVerified', params);
  }
  async setAutomaticPresenceSimulation(params: { authenticatorId: string; enabled: boolean }): Promise<void> {
    await this.send('setAutomaticPresenceSimulation', params);
  }
  async setCredentialProperties(params: {
    authenticatorId: string;
    credentialId: string;
    backupEligibility?: boolean;
    backupState?: boolean;
  }): Promise<void> {
    await this.send('setCredentialProperties', params);
  }
  async setResponseOverrideBits(params: {
    authenticatorId: string;
    isBogusSignature?: boolean;
    isBadUV?: boolean;
    isBadUP?: boolean;
  }): Promise<void> {
    await this.send('setResponseOverrideBits', params);
  }

  // --- Beyond CDP --------------------------------------------------------------------------

  /** The next ceremonies of the authenticator fail as told: cancel, timeout, uv-fails, delay, or a given DOMException. */
  async injectFailure(params: {
    authenticatorId: string;
    injection: Injection | (Partial<Injection> & { kind: Injection['kind'] });
  }): Promise<void> {
    await this.send('injectFailure', params);
  }
  /** Which authenticator answers when several could (null: the newest that matches the page's origin). */
  async setActiveAuthenticator(params: { authenticatorId: string | null }): Promise<void> {
    await this.send('setActiveAuthenticator', params);
  }
  async listAuthenticators(): Promise<{ authenticatorId: string; options: VirtualAuthenticatorOptions; credentials: number }[]> {
    return ((await this.send('listAuthenticators', {})) as { authenticators: never[] }).authenticators;
  }
  /** Every event since the API attached (or since `since`), ceremonies included. */
  async events(since = 0): Promise<TesterEvent[]> {
    return ((await this.send('getEvents', { since })) as { events: TesterEvent[] }).events;
  }
  /** The ceremonies virtual authenticators answered: operation, origin, outcome. */
  async ceremonyLog(): Promise<NonNullable<TesterEvent['ceremony']>[]> {
    return (await this.events()).flatMap((event) => (event.ceremony ? [event.ceremony] : []));
  }
  /** Writes every virtual authenticator and its credentials to a JSON file, to load in a later run. */
  async saveCredentials(file: string): Promise<void> {
    const { state } = (await this.send('exportState', {})) as { state: unknown };
    await writeFile(file, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  }
  /** Replaces the virtual authenticators with those saved by saveCredentials (validated: a broken file changes nothing). */
  async loadCredentials(file: string): Promise<void> {
    const state = JSON.parse(await readFile(file, 'utf8')) as unknown;
    await this.send('importState', { state });
  }
  async clearAll(): Promise<void> {
    await this.send('clearAll', {});
  }

  // --- Events (CDP: WebAuthn.credentialAdded, credentialAsserted, credentialUpdated, credentialDeleted) ---

  on(type: TesterEventType, listener: (event: TesterEvent) => void): this {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
    this.polling ??= setInterval(() => void this.poll(), POLL_MS);
    return this;
  }
  off(type: TesterEventType, listener: (event: TesterEvent) => void): this {
    this.listeners.get(type)?.delete(listener);
    if ([...this.listeners.values()].every((set) => set.size === 0)) this.stop();
    return this;
  }
  /** Resolves with the next event of `type` (after now) that satisfies `matches`. */
  waitForEvent(
    type: TesterEventType,
    matches: (event: TesterEvent) => boolean = () => true,
    timeoutMs = 20_000,
  ): Promise<TesterEvent> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off(type, listener);
        reject(new Error(`no ${type} event within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (event: TesterEvent) => {
        if (!matches(event)) return;
        clearTimeout(timer);
        this.off(type, listener);
        resolve(event);
      };
      this.on(type, listener);
    });
  }
  /** Stops polling for events (call before closing the browser). */
  stop(): void {
    clearInterval(this.polling);
    this.polling = undefined;
  }

  private async poll(): Promise<void> {
    if (this.pollInFlight) return;
    this.pollInFlight = true;
    try {
      for (const event of await this.events(this.seenSeq)) {
        this.seenSeq = Math.max(this.seenSeq, event.seq);
        for (const listener of this.listeners.get(event.type) ?? []) listener(event);
      }
    } catch {
      // The page is navigating or the browser is closing; the next poll tries again.
    } finally {
      this.pollInFlight = false;
    }
  }
}
