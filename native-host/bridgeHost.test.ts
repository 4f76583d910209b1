/** The host's message handling against simulated keys, in process: each request kind, each error with its code. */
import { describe, expect, it } from 'vitest';
import { keyWaitingForTouch, keyWithPin, simulatedBackend, simulatedKey } from '../src/ctap/testKeys';
import { toBase64url } from '../src/webauthn/base64url';
import { sha256, utf8 } from '../src/webauthn/bytes';
import type { HostReply } from '../src/native/protocol';
import type { SimulatedHidDevice } from '../src/ctap/simulated/simulatedHidDevice';
import { touchAfter } from '../src/ctap/simulated/simulatedAuthenticator';
import { createBridgeHost } from './bridgeHost';

const PIN = '4321abcd';
const clientDataHash = toBase64url(sha256(utf8('{"type":"webauthn.create"}')));

function hostWith(keys: Record<string, SimulatedHidDevice>, idleTimeoutMs?: number) {
  const replies: HostReply[] = [];
  const host = createBridgeHost({
    backend: simulatedBackend(keys),
    send: (reply) => replies.push(reply),
    ...(idleTimeoutMs ? { idleTimeoutMs } : {}),
  });
  const ask = async (message: unknown) => {
    await host.handle(message);
    return replies.filter((r) => !('progress' in r)).at(-1)!;
  };
  return { host, replies, ask };
}

const makeCredential = (extra: Record<string, unknown> = {}) => ({
  id: 'mc',
  kind: 'makeCredential',
  clientDataHash,
  rp: { id: 'localhost', name: 'Demo' },
  user: { id: toBase64url(utf8('alice-id')), name: 'alice', displayName: 'Alice' },
  pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
  excludeList: [],
  residentKey: true,
  ...extra,
});

/** Starts a makeCredential and waits until the key asks for a touch (the host's progress message). */
async function startWaitingForTouch(
  host: ReturnType<typeof createBridgeHost>,
  replies: HostReply[],
): Promise<{ running: Promise<void> }> {
  const running = host.handle(makeCredential());
  while (!replies.some((r) => 'progress' in r)) await new Promise((resolve) => setTimeout(resolve, 5));
  // Wrapped: an async function returning the promise itself would wait for it.
  return { running };
}

describe('the bridge host', () => {
  it('answers a malformed request with code malformed, naming the field, and keeps the request id', async () => {
    const { ask } = hostWith({});
    expect(await ask({ id: 7, kind: 'makeCredential' })).toMatchObject({
      id: 7,
      ok: false,
      error: { code: 'malformed', message: expect.stringContaining('clientDataHash') },
    });
    expect(await ask('just a string')).toMatchObject({ id: null, ok: false, error: { code: 'malformed' } });
    expect(await ask({ id: 1, kind: 'getAssertion', rpId: 'x', clientDataHash: 'not base64url!', allowList: [] })).toMatchObject({
      ok: false,
      error: { code: 'malformed' },
    });
  });

  it('with no key plugged in lists none and answers a ceremony with no-keys', async () => {
    const { ask } = hostWith({});
    expect(await ask({ id: 1, kind: 'keys' })).toEqual({ id: 1, ok: true, result: { keys: [] } });
    expect(await ask(makeCredential())).toMatchObject({
      ok: false,
      error: { code: 'no-keys', message: expect.stringContaining('Plug') },
    });
  });

  it('registers with the PIN, says when the key wants a touch, then lists and deletes the credential', async () => {
    const { ask, replies } = hostWith({ k: await keyWithPin(PIN, touchAfter(50)) });
    expect(await ask({ id: 1, kind: 'keys' })).toMatchObject({ result: { keys: [{ pinSet: true, pinRetries: 8 }] } });
    expect(await ask(makeCredential({ pin: PIN }))).toMatchObject({ id: 'mc', ok: true, result: { fmt: 'packed' } });
    expect(replies).toContainEqual({ id: 'mc', progress: 'touch' });
    const listed = (await ask({ id: 2, kind: 'credentials.list', pin: PIN })) as {
      result: { credentials: { credentialId: string; userName: string }[] };
    };
    expect(listed.result.credentials).toMatchObject([
      { rpId: 'localhost', userName: 'alice', userDisplayName: 'Alice', path: 'k' },
    ]);
    expect(
      await ask({ id: 3, kind: 'credentials.delete', pin: PIN, credentialId: listed.result.credentials[0]!.credentialId }),
    ).toMatchObject({ ok: true });
    expect(await ask({ id: 4, kind: 'credentials.list', pin: PIN })).toMatchObject({ result: { credentials: [] } });
  });

  it('a wrong PIN is pin-invalid with the tries left; without a PIN it is pin-required', async () => {
    const { ask } = hostWith({ k: await keyWithPin(PIN) });
    expect(await ask(makeCredential({ pin: '0000' }))).toMatchObject({
      ok: false,
      error: { code: 'pin-invalid', retries: 7, message: 'Wrong PIN for your security key. 7 tries left.' },
    });
    expect(await ask(makeCredential())).toMatchObject({ ok: false, error: { code: 'pin-required' } });
  });

  it('signs in and returns the user handle of a discoverable credential', async () => {
    const { ask } = hostWith({ k: await keyWithPin(PIN) });
    await ask(makeCredential({ pin: PIN }));
    const reply = await ask({ id: 'ga', kind: 'getAssertion', pin: PIN, rpId: 'localhost', clientDataHash, allowList: [] });
    expect(reply).toMatchObject({ ok: true, result: { userHandle: toBase64url(utf8('alice-id')) } });
    expect(
      await ask({ id: 'none', kind: 'getAssertion', rpId: 'elsewhere.example', clientDataHash, allowList: [] }),
    ).toMatchObject({ ok: false, error: { code: 'no-credentials' } });
  });

  it('cancel stops the running request: the key gets CTAPHID_CANCEL and the request ends as cancelled', async () => {
    const { key } = keyWaitingForTouch();
    const { host, replies } = hostWith({ k: key });
    const { running } = await startWaitingForTouch(host, replies);
    await host.handle({ id: 'c', kind: 'cancel' });
    await running;
    expect(replies).toContainEqual({ id: 'c', ok: true, result: { cancelled: true } });
    expect(replies.find((r) => r.id === 'mc' && 'ok' in r)).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(key.stats.cancels).toBe(1);
  });

  it('refuses a second request while one runs (busy), and the end of the input cancels the running one', async () => {
    const { key } = keyWaitingForTouch();
    const { host, replies } = hostWith({ k: key });
    const { running } = await startWaitingForTouch(host, replies);
    await host.handle({ id: 'second', kind: 'keys' });
    expect(replies.find((r) => r.id === 'second')).toMatchObject({ ok: false, error: { code: 'busy' } });
    await host.shutdown();
    await running;
    expect(replies.find((r) => r.id === 'mc' && 'ok' in r)).toMatchObject({ ok: false, error: { code: 'cancelled' } });
  });

  it('a key unplugged mid-command answers unplugged, and the host goes on answering', async () => {
    const { key } = keyWaitingForTouch();
    const { host, replies, ask } = hostWith({ k: key });
    const { running } = await startWaitingForTouch(host, replies);
    key.unplug();
    await running;
    expect(replies.find((r) => r.id === 'mc' && 'ok' in r)).toMatchObject({ ok: false, error: { code: 'unplugged' } });
    expect(await ask({ id: 'after', kind: 'keys' })).toEqual({ id: 'after', ok: true, result: { keys: [] } });
  });

  it('an excluded credential is reported as excluded', async () => {
    const { ask } = hostWith({ k: simulatedKey() });
    const made = (await ask(makeCredential())) as { result: { authData: string } };
    expect(made).toMatchObject({ ok: true });
    const { parseAuthenticatorData } = await import('../src/webauthn/authenticatorData');
    const { fromBase64url } = await import('../src/webauthn/base64url');
    const id = parseAuthenticatorData(fromBase64url(made.result.authData)).attestedCredentialData!.credentialId;
    expect(await ask(makeCredential({ excludeList: [toBase64url(id)] }))).toMatchObject({
      ok: false,
      error: { code: 'excluded' },
    });
  });
});
