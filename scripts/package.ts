/**
 * `npm run package` (after `npm run build`): artifacts/latchkey-<version>-chromium.zip for the
 * Chrome Web Store or "Load unpacked", and artifacts/latchkey-<version>-firefox.xpi, after
 * `web-ext lint` has passed on the Firefox build with no errors.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const webExt = path.join(root, 'node_modules/.bin/web-ext');
const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };

function run(args: string[]): string {
  return execFileSync(webExt, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

const lint = JSON.parse(run(['lint', '--source-dir', 'dist/firefox', '--output', 'json'])) as {
  summary: { errors: number; warnings: number };
  errors: { code: string; message: string; file?: string }[];
};
if (lint.summary.errors > 0) {
  for (const error of lint.errors) console.error(`web-ext lint: ${error.code} ${error.file ?? ''}: ${error.message}`);
  process.exit(1);
}
console.log(`web-ext lint: 0 errors, ${lint.summary.warnings} warnings (npm run lint:firefox lists them)`);

for (const [target, extension] of [['chromium', 'zip'], ['firefox', 'xpi']] as const) {
  const filename = `latchkey-${version}-${target}.${extension}`;
  run(['build', '--source-dir', `dist/${target}`, '--artifacts-dir', 'artifacts', '--filename', filename, '--overwrite-dest']);
  console.log(`artifacts/${filename}`);
}
