/**
 * One source, two packages: `vite build --mode chromium` → dist/chromium/,
 * `vite build --mode firefox` → dist/firefox/ (`npm run build` makes both).
 */
import { crx } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { createLogger, defineConfig } from 'vite';
import manifest from './manifest.json' with { type: 'json' };

/** The Gecko id Firefox knows Latchkey by (native messaging and policies name it too). */
export const FIREFOX_EXTENSION_ID = 'latchkey@latchkey.invalid';
/** Firefox 128 is the first to run content scripts in the page's MAIN world. */
const FIREFOX_MIN_VERSION = '128.0';

type Target = 'chromium' | 'firefox';

/**
 * Firefox has no extension service workers: the same module runs as an event page
 * (`background.scripts`), and it wants its Gecko id and minimum version.
 */
function manifestFor(target: Target) {
  if (target === 'chromium') return manifest;
  const { minimum_chrome_version: _chromeOnly, background, web_accessible_resources, permissions, ...common } = manifest;
  return {
    ...common,
    // chrome.webAuthenticationProxy is Chromium's alone.
    permissions: permissions.filter((permission) => permission !== 'webAuthenticationProxy'),
    // Firefox gives each install a random moz-extension UUID already; it has no use_dynamic_url.
    web_accessible_resources: web_accessible_resources.map(({ use_dynamic_url: _dynamic, ...entry }) => entry),
    background: { scripts: [background.service_worker], type: background.type },
    browser_specific_settings: {
      gecko: {
        id: FIREFOX_EXTENSION_ID,
        strict_min_version: FIREFOX_MIN_VERSION,
        // Latchkey sends nothing anywhere: passkeys stay in the browser profile.
        data_collection_permissions: { required: ['none'] },
      },
    },
  };
}

// zod's sources carry /*#__PURE__*/ comments where Rollup cannot use them; the warning is harmless noise.
const logger = createLogger();
const warn = logger.warn.bind(logger);
logger.warn = (message, options) => {
  if (!message.includes('contains an annotation that Rollup cannot interpret')) warn(message, options);
};

export default defineConfig(({ mode }) => {
  const target: Target = mode === 'firefox' ? 'firefox' : 'chromium';
  return {
    customLogger: logger,
    plugins: [preact(), crx({ manifest: manifestFor(target) as never, browser: target === 'firefox' ? 'firefox' : 'chrome' })],
    build: {
      outDir: `dist/${target}`,
      emptyOutDir: true,
      // Readable output: support staff and reviewers read what runs in their browser.
      minify: false,
      sourcemap: true,
      rollupOptions: {
        // Pages the manifest does not name still ship in the package.
        input: {
          prompt: 'extension/prompt/index.html',
          diagnostics: 'extension/diagnostics/index.html',
          autofill: 'extension/autofill/index.html',
        },
      },
    },
    server: { port: 5173, strictPort: true },
  };
});
