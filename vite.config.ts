import { crx } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import manifest from './manifest.json' with { type: 'json' };

export default defineConfig({
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
