/**
 * The native messaging host the browser starts (through the launcher `install` writes): messages
 * on stdin and stdout, nothing else on stdout. Diagnostics go to stderr, which Chromium shows in
 * its log. Options (baked into the launcher):
 *   --allowed-origin <origin>   refuse to run for any other caller the browser names
 *   --simulated-key <file>      a simulated key whose state lives in <file>, instead of USB keys
 *   --touch-delay-ms <n>        how long the simulated person takes to touch it (default 300)
 */
import { parseArgs } from 'node:util';
import { SimulatedAuthenticator, touchAfter } from '../src/ctap/simulated/simulatedAuthenticator';
import { SimulatedHidDevice, simulatedBackend } from '../src/ctap/simulated/simulatedHidDevice';
import { keyStateFile } from '../src/ctap/simulated/simulatedKeyState';
import type { HidBackend } from '../src/ctap/transport';
import { createBridgeHost } from './bridgeHost';
import { NativeMessageReader, encodeNativeMessage } from './nativeMessaging';
import { callerOf } from './callerOf';
import { loadNodeHidBackend } from './nodeHidBackend';

async function backendFrom(simulatedKey: string | undefined, touchDelayMs: number): Promise<HidBackend> {
  if (simulatedKey) {
    const file = keyStateFile(simulatedKey);
    const authenticator = new SimulatedAuthenticator(await file.load(), touchAfter(touchDelayMs), (state) => file.save(state));
    return simulatedBackend({ 'simulated-key': new SimulatedHidDevice(authenticator) });
  }
  const { backend, problem } = await loadNodeHidBackend();
  if (problem) process.stderr.write(`latchkey-bridge: ${problem}\n`);
  return backend;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    options: {
      'allowed-origin': { type: 'string', multiple: true },
      'simulated-key': { type: 'string' },
      'touch-delay-ms': { type: 'string' },
    },
    allowPositionals: true,
    strict: false,
  });
  // Chromium passes the caller's origin (chrome-extension://<id>/), Firefox the manifest path and the add-on id.
  const caller = callerOf(positionals);
  const allowed = (values['allowed-origin'] as string[] | undefined) ?? [];
  if (caller && allowed.length && !allowed.includes(caller)) {
    process.stderr.write(`latchkey-bridge: refusing to serve ${caller}; installed for ${allowed.join(', ')}\n`);
    process.exit(1);
  }
  const write = (reply: unknown) => {
    try {
      process.stdout.write(encodeNativeMessage(reply));
    } catch (error) {
      process.stdout.write(encodeNativeMessage({ id: (reply as { id?: unknown }).id ?? null, ok: false, error: { code: 'oversize', message: String(error) } }));
    }
  };
  const host = createBridgeHost({
    backend: await backendFrom(values['simulated-key'] as string | undefined, Number(values['touch-delay-ms'] ?? 300)),
    send: write,
  });
  const reader = new NativeMessageReader();
  const handling = new Set<Promise<void>>();
  process.stdin.on('data', (chunk: Buffer) => {
    for (const event of reader.push(chunk)) {
      if ('error' in event) {
        host.reject(event.error.code === 'oversize' ? 'oversize' : 'malformed', event.error.message);
      } else {
        const work = host.handle(event.message);
        handling.add(work);
        void work.finally(() => handling.delete(work));
      }
    }
  });
  process.stdin.on('end', async () => {
    const truncated = reader.end();
    if (truncated) host.reject('malformed', truncated.message);
    await host.shutdown();
    await Promise.allSettled([...handling]);
    process.stdout.end(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`latchkey-bridge: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
