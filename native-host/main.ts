/**
 * The native messaging host the browser starts (through the launcher `install` writes): messages
 * on stdin and stdout, nothing else on stdout. Diagnostics go to stderr, which Chromium shows in
 * its log. Options (baked into the launcher):
 *   --allowed-origin <origin>   refuse to run for any other caller the browser names
 *   --simulated-key <file>      a simulated key whose state lives in <file>, instead of USB keys
 *   --touch-delay-ms <n>        how long the simulated person takes to touch it (default 300)
 */
import { appendFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SimulatedAuthenticator, touchAfter } from '../src/ctap/simulated/simulatedAuthenticator';
import { SimulatedHidDevice, simulatedBackend } from '../src/ctap/simulated/simulatedHidDevice';
import { keyStateFile } from '../src/ctap/simulated/simulatedKeyState';
import type { HidBackend } from '../src/ctap/transport';
import { createBridgeHost } from './bridgeHost';
import { NativeMessageReader, encodeNativeMessage } from './nativeMessaging';
import { callerOf } from './callerOf';
import { loadNodeHidBackend } from './nodeHidBackend';

async function backendFrom(
  simulatedKey: string | undefined,
  touchDelayMs: number,
): Promise<{ backend: HidBackend; problem: string | null }> {
  if (simulatedKey) {
    const file = keyStateFile(simulatedKey);
    const authenticator = new SimulatedAuthenticator(await file.load(), touchAfter(touchDelayMs), (state) => file.save(state));
    return { backend: simulatedBackend({ 'simulated-key': new SimulatedHidDevice(authenticator) }), problem: null };
  }
  const loaded = await loadNodeHidBackend();
  if (loaded.problem) process.stderr.write(`latchkey-bridge: ${loaded.problem}\n`);
  return loaded;
}

/** LATCHKEY_BRIDGE_LOG=<file>: what the host did (start, message kinds, end), never a message's contents (PINs). */
const debug = (line: string) => {
  const file = process.env.LATCHKEY_BRIDGE_LOG;
  if (file) appendFileSync(file, `${new Date().toISOString()} ${process.pid} ${line}\n`);
};

async function main(): Promise<void> {
  debug(`start ${process.argv.slice(2).join(' ')}`);
  process.on('exit', (code) => debug(`exit ${code}`));
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
    if (!process.stdout.writable) return;
    try {
      process.stdout.write(encodeNativeMessage(reply));
    } catch (error) {
      process.stdout.write(
        encodeNativeMessage({
          id: (reply as { id?: unknown }).id ?? null,
          ok: false,
          error: { code: 'oversize', message: String(error) },
        }),
      );
    }
  };
  const host = createBridgeHost({
    ...(await backendFrom(values['simulated-key'] as string | undefined, Number(values['touch-delay-ms'] ?? 300))),
    send: write,
  });
  const reader = new NativeMessageReader();
  const handling = new Set<Promise<void>>();
  process.stdin.on('data', (chunk: Buffer) => {
    for (const event of reader.push(chunk)) {
      if ('error' in event) {
        host.reject(event.error.code === 'oversize' ? 'oversize' : 'malformed', event.error.message);
      } else {
        debug(`message ${String((event.message as { kind?: unknown } | null)?.kind)}`);
        const work = host.handle(event.message);
        handling.add(work);
        void work.finally(() => handling.delete(work));
      }
    }
  });
  let stopping = false;
  const stop = async (truncated: boolean) => {
    if (stopping) return;
    stopping = true;
    const problem = truncated ? reader.end() : null;
    if (problem) host.reject('malformed', problem.message);
    // The running request ends with CTAPHID_CANCEL to the key before the host exits.
    await host.shutdown();
    await Promise.allSettled([...handling]);
    if (process.stdout.writable) process.stdout.end(() => process.exit(0));
    else process.exit(0);
  };
  process.stdin.on('end', () => {
    debug('end');
    void stop(true);
  });
  // A browser may end the host with SIGTERM when the port closes: the key is cancelled all the same.
  // The browser closed its end (EPIPE on a reply): as good as the end of the input.
  process.stdout.on('error', (error) => {
    debug(`stdout ${error.message}`);
    void stop(false);
  });
  process.stdin.on('error', () => void stop(false));
  process.on('SIGTERM', () => {
    debug('SIGTERM');
    void stop(false);
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`latchkey-bridge: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
