/**
 * Coexistence with another wrapper of navigator.credentials (another password manager's
 * content script, or the page's own): whichever runs first, a passkey request is answered by
 * Latchkey, and what Latchkey hands on (here a password credential) reaches the other wrapper.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoRelyingParty, startDemoRelyingParty } from '../../demo/createDemoServer';
import { launchBrowser, type LatchkeyBrowser } from '../../src/testing/launchBrowser';
import { addBrowserAuthenticator } from '../../src/testing/pages';

let rp: DemoRelyingParty;
let latchkey: LatchkeyBrowser;

beforeAll(async () => {
  rp = await startDemoRelyingParty();
  latchkey = await launchBrowser();
  await latchkey.setTesterMode(true);
});

afterAll(async () => {
  await latchkey?.close();
  await rp?.close();
});

/** Another wrapper, as source text: counts the calls it sees by kind, then calls what it wrapped. */
function otherWrapper(target: 'instance' | 'prototype'): string {
  return `(() => {
    window.__other = { publicKey: 0, password: 0, ranBeforeLatchkey: String(CredentialsContainer.prototype.create).includes('[native code]') };
    const holder = ${target === 'instance' ? 'navigator.credentials' : 'CredentialsContainer.prototype'};
    const wrapped = holder.create;
    Object.defineProperty(holder, 'create', {
      value: function create(options) {
        window.__other[options && options.publicKey ? 'publicKey' : 'password']++;
        return wrapped.call(this, options);
      },
      writable: true,
      configurable: true,
    });
  })();`;
}

/** A passkey create and a password create; which AAGUID made the passkey, and what the other wrapper saw. */
async function exercise(page: Page) {
  return page.evaluate(async () => {
    const credential = (await navigator.credentials.create({
      publicKey: {
        rp: { name: 'Coexistence' },
        user: { id: new Uint8Array([1]), name: 'co', displayName: 'Co' },
        challenge: new Uint8Array(32),
        pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
        timeout: 10_000,
      },
    })) as PublicKeyCredential;
    const authData = new Uint8Array((credential.response as AuthenticatorAttestationResponse).getAuthenticatorData());
    const aaguid = Array.from(authData.subarray(37, 53), (byte) => byte.toString(16).padStart(2, '0')).join('');
    const password = await navigator.credentials.create({ password: { id: 'co', password: 'secret' } } as CredentialCreationOptions);
    return { aaguid, password: password?.constructor.name, other: (window as unknown as { __other: Record<string, unknown> }).__other };
  });
}

const LATCHKEY_AAGUID_HEX = '42e2403e79f9c37b9c876017e09ed8e0';

describe('coexistence with another navigator.credentials wrapper', () => {
  it.each(['instance', 'prototype'] as const)(
    'a wrapper on the %s installed before Latchkey: Latchkey answers passkeys, the wrapper still gets the rest',
    async (target) => {
      const page = await latchkey.browser.newPage();
      await page.evaluateOnNewDocument(otherWrapper(target));
      await page.goto(`${rp.url}blank`);
      const result = await exercise(page);
      expect(result.other.ranBeforeLatchkey).toBe(true);
      expect(result.aaguid).toBe(LATCHKEY_AAGUID_HEX);
      expect(result.password).toBe('PasswordCredential');
      // The passkey request never reached the other wrapper (so it could not answer too); the password one did.
      expect(result.other).toMatchObject({ publicKey: 0, password: 1 });
      await page.close();
    },
  );

  it('a wrapper installed after Latchkey (by the page) passes passkey requests through to Latchkey', async () => {
    const page = await latchkey.browser.newPage();
    await page.goto(`${rp.url}blank`);
    await page.evaluate(otherWrapper('instance'));
    const result = await exercise(page);
    expect(result.other.ranBeforeLatchkey).toBe(false);
    expect(result.aaguid).toBe(LATCHKEY_AAGUID_HEX);
    expect(result.other).toMatchObject({ publicKey: 1, password: 1 });
    await page.close();
  });
});

describe('setting: step in only when Latchkey holds a matching passkey', () => {
  async function setOnlyWithMatchingPasskey(on: boolean): Promise<void> {
    const worker = await latchkey.worker();
    await worker.evaluate(async (value) => {
      const current = (await chrome.storage.local.get('settings')).settings ?? {};
      await chrome.storage.local.set({ settings: { ...current, onlyWithMatchingPasskey: value } });
    }, on);
    // The worker re-reads its settings on the storage change: wait until it answers with the new value.
    const popup = await latchkey.openExtensionPage('popup/index.html');
    try {
      for (let attempt = 0; attempt < 100; attempt++) {
        const reply = await popup.evaluate(() => chrome.runtime.sendMessage({ kind: 'settings.get' }));
        if (reply.settings.onlyWithMatchingPasskey === on) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error('the worker never applied onlyWithMatchingPasskey');
    } finally {
      await popup.close();
    }
  }

  it('a sign-in for a passkey Latchkey does not hold goes to the browser untouched; one it holds is answered by Latchkey', async () => {
    const page = await latchkey.browser.newPage();
    await page.goto(`${rp.url}blank`);
    // The browser's own authenticator, holding a passkey Latchkey knows nothing of.
    const { generateKeyPairSync } = await import('node:crypto');
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const { cdp, authenticatorId } = await addBrowserAuthenticator(page);
    const browserCredentialId = Buffer.from('browser-own-passkey').toString('base64');
    await cdp.send('WebAuthn.addCredential', {
      authenticatorId,
      credential: {
        credentialId: browserCredentialId,
        isResidentCredential: false,
        rpId: 'localhost',
        privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
        signCount: 0,
      },
    });
    await setOnlyWithMatchingPasskey(true);
    try {
      const signIn = (id: string) =>
        page.evaluate(async (credentialId) => {
          const raw = Uint8Array.from(atob(credentialId.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
          const credential = (await navigator.credentials.get({
            publicKey: { challenge: new Uint8Array(32), allowCredentials: [{ type: 'public-key', id: raw }], timeout: 10_000 },
          })) as PublicKeyCredential;
          return credential.id;
        }, id);
      const browserId = Buffer.from(browserCredentialId, 'base64').toString('base64url');
      expect(await signIn(browserId)).toBe(browserId);
      const latchkeyId = await page.evaluate(async () => {
        const credential = (await navigator.credentials.create({
          publicKey: {
            rp: { name: 'Matching' },
            user: { id: new Uint8Array([2]), name: 'm', displayName: 'M' },
            challenge: new Uint8Array(32),
            pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
          },
        })) as PublicKeyCredential;
        return credential.id;
      });
      expect(await signIn(latchkeyId)).toBe(latchkeyId);
    } finally {
      await setOnlyWithMatchingPasskey(false);
      await page.close();
    }
  });
});
