/**
 * Runs the demo relying party: `npx tsx demo/server.ts [--port N] [--host H] [--rp-name NAME]`.
 * Prints the URL; stops on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startDemoRelyingParty } from './createDemoServer';

const { values } = parseArgs({
  options: {
    port: { type: 'string', short: 'p' },
    host: { type: 'string' },
    'rp-name': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log('Usage: tsx demo/server.ts [--port N] [--host 127.0.0.1] [--rp-name "Latchkey Demo"]');
  process.exit(0);
}

const port = values.port === undefined ? 0 : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Invalid --port: ${values.port}`);
  process.exit(2);
}

const rp = await startDemoRelyingParty({
  port,
  ...(values.host !== undefined ? { host: values.host } : {}),
  ...(values['rp-name'] !== undefined ? { rpName: values['rp-name'] } : {}),
});
console.log(`Demo relying party listening at ${rp.url} (rpId ${rp.rpId})`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    rp.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
