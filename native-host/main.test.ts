/**
 * The host as the browser runs it: a separate process started through the launcher `install`
 * writes, framed messages on stdin and stdout, a simulated key in a state file.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyKeyState, serializeKeyState } from '../src/ctap/simulated/simulatedKeyState';
import { pinHash } from '../src/ctap/pinUvAuthProtocolTwo';
import { toBase64url } from '../src/webauthn/base64url';
import { sha256, utf8 } from '../src/webauthn/bytes';
import { install } from './install';

const ID = 'abcdefghijklmnopabcdefghijklmnop';
const ORIGIN = `chrome-extension://${ID}/`;

function frame(value: unknown): Buffer {
  const body = Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
  const header = Buffer.alloc(4);
  header.writeUInt32LE(body.length);
  return Buffer.concat([header, body]);
}

async function launcherWithKey(pin?: string): Promise<string> {
  const home = mkdtempSync(path.join(tmpdir(), 'latchkey-host-'));
  const keyFile = path.join(home, 'key.json');
  writeFileSync(keyFile, serializeKeyState({ ...emptyKeyState(), pinHash: pin ? pinHash(pin) : null }));
  const [launcher] = await install({
    home,
    extensionId: ID,
    manifestDir: path.join(home, 'hosts'),
    simulatedKey: keyFile,
    touchDelayMs: 50,
  });
  return launcher!;
}

/** Runs the host with `input`, closes its stdin once `expected` replies came (or at once when 0), and returns the replies and exit code. */
function runHost(
  launcher: string,
  args: string[],
  input: Buffer[],
  expected: number,
): Promise<{ replies: Record<string, unknown>[]; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(launcher, args);
    let out = Buffer.alloc(0);
    const replies: Record<string, unknown>[] = [];
    child.stdout.on('data', (chunk: Buffer) => {
      out = Buffer.concat([out, chunk]);
      while (out.length >= 4 && out.length >= 4 + out.readUInt32LE(0)) {
        const length = out.readUInt32LE(0);
        const reply = JSON.parse(out.subarray(4, 4 + length).toString());
        out = out.subarray(4 + length);
        if (!('progress' in reply)) replies.push(reply);
        if (replies.length === expected) child.stdin.end();
      }
    });
    child.on('exit', (code) => resolve({ replies, code }));
    for (const chunk of input) child.stdin.write(chunk);
    if (expected === 0) child.stdin.end();
  });
}

// Each process starts Node with tsx (about a second on these machines).
describe('the native host process', { timeout: 15_000 }, () => {
  it('answers a good request, a malformed one, invalid JSON and an oversize frame, then a truncated one at the end, and exits cleanly', async () => {
    const launcher = await launcherWithKey();
    const oversize = Buffer.alloc(4);
    oversize.writeUInt32LE(64 * 1024 * 1024 + 1);
    const { replies, code } = await runHost(
      launcher,
      [ORIGIN],
      [frame({ id: 1, kind: 'keys' }), frame({ id: 2, kind: 'explode' }), frame('{not json'), oversize, Buffer.from([1, 2])],
      0,
    );
    expect(code).toBe(0);
    expect(replies).toContainEqual({
      id: 1,
      ok: true,
      result: { keys: [expect.objectContaining({ path: 'simulated-key', pinSet: false })] },
    });
    expect(replies).toContainEqual(
      expect.objectContaining({ id: 2, ok: false, error: expect.objectContaining({ code: 'malformed' }) }),
    );
    expect(replies).toContainEqual({
      id: null,
      ok: false,
      error: { code: 'malformed', message: 'A message to the host was not valid JSON.' },
    });
    expect(replies).toContainEqual({ id: null, ok: false, error: { code: 'oversize', message: expect.stringContaining('64') } });
    expect(replies).toContainEqual({
      id: null,
      ok: false,
      error: { code: 'malformed', message: 'The input ended in the middle of a message.' },
    });
  });

  it('keeps the simulated key’s credentials and PIN retries in its state file from one process to the next', async () => {
    const launcher = await launcherWithKey('1234');
    const makeCredential = {
      id: 'mc',
      kind: 'makeCredential',
      pin: '1234',
      clientDataHash: toBase64url(sha256(utf8('x'))),
      rp: { id: 'localhost', name: 'Demo' },
      user: { id: toBase64url(utf8('u1')), name: 'alice', displayName: 'Alice' },
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
      excludeList: [],
      residentKey: true,
    };
    // One request per process, as the extension's one port per operation does.
    const ask = async (message: unknown) => (await runHost(launcher, [ORIGIN], [frame(message)], 1)).replies[0];
    expect(await ask(makeCredential)).toMatchObject({ id: 'mc', ok: true });
    expect(await ask({ id: 'wrong', kind: 'credentials.list', pin: '9999' })).toMatchObject({
      ok: false,
      error: { code: 'pin-invalid', retries: 7 },
    });
    expect(await ask({ id: 'k', kind: 'keys' })).toMatchObject({ result: { keys: [{ pinSet: true, pinRetries: 7 }] } });
    expect(await ask({ id: 'l', kind: 'credentials.list', pin: '1234' })).toMatchObject({
      result: { credentials: [{ rpId: 'localhost', userName: 'alice' }] },
    });
  }, 30_000);

  it('refuses to run for a caller other than the extension it was installed for', async () => {
    const launcher = await launcherWithKey();
    const { replies, code } = await runHost(
      launcher,
      ['chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba/'],
      [frame({ id: 1, kind: 'keys' })],
      0,
    );
    expect(code).toBe(1);
    expect(replies).toEqual([]);
  });
});
