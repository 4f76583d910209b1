import { crx } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { createLogger, defineConfig } from 'vite';
import manifest from './manifest.json' with { type: 'json' };

// zod's sources carry /*#__PURE__*/ comments where Rollup cannot use them; the warning is harmless noise.
const logger = createLogger();
const warn = logger.warn.bind(logger);
logger.warn = (message, options) => {
  if (!message.includes('contains an annotation that Rollup cannot interpret')) warn(message, options);
};

export default defineConfig({
  customLogger: logger,
  plugins: [preact(), crx({ manifest: manifest as never })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Readable output: support staff and reviewers read what runs in their browser.
    minify: false,
    sourcemap: true,
    rollupOptions: {
      // Pages the manifest does not name still ship in the package.
      input: { prompt: 'extension/prompt/index.html' },
    },
  },
  server: { port: 5173, strictPort: true },
});
