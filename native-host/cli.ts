/**
 * latchkey-bridge install [--extension-id <id>] [--browser chromium|chrome|firefox]... [--home <dir>]
 *                         [--manifest-dir <dir>] [--simulated-key <file>] [--touch-delay-ms <n>]
 * latchkey-bridge uninstall [--browser …] [--home <dir>] [--manifest-dir <dir>]
 */
import { parseArgs } from 'node:util';
import { ALL_TARGETS, type BrowserTarget, install, uninstall } from './install';

const { values, positionals } = parseArgs({
  options: {
    'extension-id': { type: 'string' },
    browser: { type: 'string', multiple: true },
    home: { type: 'string' },
    'manifest-dir': { type: 'string' },
    'simulated-key': { type: 'string' },
    'touch-delay-ms': { type: 'string' },
  },
  allowPositionals: true,
});

const browsers = values.browser as BrowserTarget[] | undefined;
const unknown = browsers?.find((browser) => !ALL_TARGETS.includes(browser));
const command = positionals[0];

async function run(): Promise<void> {
  if (unknown) throw new Error(`Unknown browser "${unknown}": use ${ALL_TARGETS.join(', ')}.`);
  const common = {
    ...(browsers ? { browsers } : {}),
    ...(values.home ? { home: values.home } : {}),
    ...(values['manifest-dir'] ? { manifestDir: values['manifest-dir'] } : {}),
  };
  if (command === 'install') {
    const written = await install({
      ...common,
      ...(values['extension-id'] ? { extensionId: values['extension-id'] } : {}),
      ...(values['simulated-key'] ? { simulatedKey: values['simulated-key'] } : {}),
      ...(values['touch-delay-ms'] ? { touchDelayMs: Number(values['touch-delay-ms']) } : {}),
    });
    console.log(`Installed Latchkey's security-key bridge:\n  ${written.join('\n  ')}`);
  } else if (command === 'uninstall') {
    const removed = await uninstall(common);
    console.log(`Removed:\n  ${removed.join('\n  ')}`);
  } else {
    throw new Error('Usage: latchkey-bridge install --extension-id <id> | uninstall');
  }
}

run().catch((error: unknown) => {
  console.error(`latchkey-bridge: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
