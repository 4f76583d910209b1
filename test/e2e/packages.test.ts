/** One source, two packages: what `npm run build` makes for each browser, and Firefox's own linter on it. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extensionDir } from '../../src/testing/launchBrowser';

const manifestOf = (name: 'chromium' | 'firefox') => JSON.parse(readFileSync(path.join(extensionDir(name), 'manifest.json'), 'utf8'));

describe('the two packages', () => {
  it('Chromium gets a service worker and no Gecko settings', () => {
    const manifest = manifestOf('chromium');
    expect(manifest.background).toEqual({ service_worker: expect.any(String), type: 'module' });
    expect(manifest.browser_specific_settings).toBeUndefined();
  });

  it('Firefox gets the same code as an event page, its Gecko id, and 128 (MAIN-world content scripts) as minimum', () => {
    const chromium = manifestOf('chromium');
    const firefox = manifestOf('firefox');
    expect(firefox.background).toEqual({ scripts: [expect.any(String)], type: 'module' });
    expect(firefox.browser_specific_settings.gecko).toMatchObject({ id: 'latchkey@latchkey.invalid', strict_min_version: '128.0' });
    expect(firefox.content_scripts).toEqual(chromium.content_scripts);
    // chrome.webAuthenticationProxy is Chromium's alone.
    expect(firefox.permissions).toEqual(chromium.permissions.filter((permission: string) => permission !== 'webAuthenticationProxy'));
  });

  it('both ask only for storage, webNavigation, alarms, nativeMessaging (Chromium: webAuthenticationProxy) and the related-origins files, expose only the autofill dropdown to pages, and carry a strict CSP', () => {
    for (const name of ['chromium', 'firefox'] as const) {
      const manifest = manifestOf(name);
      expect(manifest.permissions).toEqual(
        name === 'chromium'
          ? ['storage', 'webNavigation', 'alarms', 'nativeMessaging', 'webAuthenticationProxy']
          : ['storage', 'webNavigation', 'alarms', 'nativeMessaging'],
      );
      // Only the WebAuthn related-origins file (/.well-known/webauthn), fetched by the worker.
      expect(manifest.host_permissions).toEqual(['https://*/.well-known/webauthn']);
      // The passkey autofill dropdown is the one page a web page may frame; every other extension
      // page (prompt window, popup) stays out of reach of pages.
      expect(manifest.web_accessible_resources.map((entry: { resources: string[] }) => entry.resources)).toEqual([
        ['extension/autofill/index.html'],
      ]);
      // Chromium: reachable only under a per-session id, so a page cannot probe for Latchkey by a fixed URL.
      if (name === 'chromium') expect(manifest.web_accessible_resources[0].use_dynamic_url).toBe(true);
      const csp: string = manifest.content_security_policy.extension_pages;
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain('frame-ancestors http: https:');
      expect(csp).not.toMatch(/unsafe-(eval|inline)/);
    }
  });

  it('web-ext lint finds no errors in the Firefox package', () => {
    const webExt = path.resolve(import.meta.dirname, '../../node_modules/.bin/web-ext');
    const report = JSON.parse(
      execFileSync(webExt, ['lint', '--source-dir', extensionDir('firefox'), '--output', 'json'], { encoding: 'utf8' }),
    ) as { summary: { errors: number }; errors: { code: string; message: string }[] };
    expect(report.errors.map((error) => `${error.code}: ${error.message}`)).toEqual([]);
    expect(report.summary.errors).toBe(0);
  });
});
