/**
 * The whole host-side path below the native-messaging layer: CTAP2 client → CTAPHID →
 * simulated key (Latchkey's software authenticator behind a CTAP2 command layer).
 */
import { p256 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import { parseAuthenticatorData } from '../webauthn/authenticatorData';
import { concat, sha256, utf8 } from '../webauthn/bytes';
import { decodeCoseP256Key } from '../webauthn/cose';
import type { CborValue } from '../webauthn/cbor';
import { CtapStatusCode, CtapStatusError } from './ctap2Constants';
import { CtapHidError, CtapHidTimeout } from './ctaphidDevice';
import { CtapHidCommand, CtapHidErrorCode, KeepaliveStatus, fragment } from './ctaphidFraming';
import { Permission } from './ctap2Client';
import {
  NoKeysError,
  PinRequiredError,
  deleteOnKey,
  firstTouched,
  listOnKey,
  openKeys,
  registerOnKey,
  signInWithKey,
  summarize,
} from './securityKeys';
import { clientFor, keyWaitingForTouch, keyWithPin, simulatedBackend, simulatedKey } from './testKeys';
import { TransportError } from './transport';

const PIN = '123456';
const clientDataHash = sha256(utf8('client data'));

function registration(userName: string, rk = true) {
  return {
    clientDataHash,
    rp: { id: 'example.com', name: 'Example' },
    user: { id: utf8(`id-${userName}`), name: userName, displayName: userName.toUpperCase() },
    pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
    options: { rk },
  };
}

async function statusOf(work: Promise<unknown>): Promise<number | string> {
  try {
    await work;
    return 'ok';
  } catch (error) {
    if (error instanceof CtapStatusError) return error.status;
    throw error;
  }
}

describe('CTAPHID device layer', () => {
  it('allocates a channel with INIT and echoes PING data longer than one packet', async () => {
    const { hid } = await clientFor(simulatedKey());
    expect(hid.info.cid).not.toBe(0xffffffff);
    expect(hid.info.protocolVersion).toBe(2);
    const data = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
    expect(await hid.ping(data)).toEqual(data);
  });

  it('WINK makes the key wink', async () => {
    const key = simulatedKey();
    const { hid } = await clientFor(key);
    await hid.wink();
    expect(key.stats.winks).toBe(1);
  });

  it('answers an unknown CTAPHID command with ERROR INVALID_CMD', async () => {
    const { hid } = await clientFor(simulatedKey());
    await expect(hid.transact(0x2a, new Uint8Array(0))).rejects.toMatchObject({
      name: 'CtapHidError',
      code: CtapHidErrorCode.INVALID_CMD,
    });
  });

  it('answers a message on an unallocated channel with ERROR INVALID_CHANNEL', async () => {
    const key = simulatedKey().connect();
    for (const report of fragment({ cid: 0x55, cmd: CtapHidCommand.PING, payload: new Uint8Array(1) })) await key.write(report);
    const answer = (await key.read(100))!;
    expect(answer[4]).toBe(0x80 | CtapHidCommand.ERROR);
    expect(answer[7]).toBe(CtapHidErrorCode.INVALID_CHANNEL);
  });

  it('passes KEEPALIVE UPNEEDED on while the key waits for a touch, then the answer', async () => {
    const { key, touch } = keyWaitingForTouch();
    const { ctap } = await clientFor(key);
    const statuses: number[] = [];
    const pending = ctap.makeCredential(registration('alice'), {
      onKeepalive: (status) => {
        statuses.push(status);
        if (status === KeepaliveStatus.UPNEEDED) touch();
      },
    });
    const result = await pending;
    expect(statuses).toContain(KeepaliveStatus.UPNEEDED);
    expect(parseAuthenticatorData(result.authData).userPresent).toBe(true);
  });

  it('cancel: aborting sends CTAPHID_CANCEL and the key ends the command with CTAP2_ERR_KEEPALIVE_CANCEL, storing nothing', async () => {
    const { key } = keyWaitingForTouch();
    const { ctap } = await clientFor(key);
    const controller = new AbortController();
    const pending = statusOf(
      ctap.makeCredential(registration('alice'), {
        signal: controller.signal,
        onKeepalive: (status) => status === KeepaliveStatus.UPNEEDED && controller.abort(new Error('stop')),
      }),
    );
    expect(await pending).toBe(CtapStatusCode.CTAP2_ERR_KEEPALIVE_CANCEL);
    expect(key.stats.cancels).toBe(1);
    expect(await key.authenticator.credentials()).toHaveLength(0);
  });

  it('a key unplugged mid-command fails the command with a TransportError instead of hanging', async () => {
    const { key } = keyWaitingForTouch();
    const { ctap } = await clientFor(key);
    const pending = ctap.makeCredential(registration('alice'), {
      onKeepalive: (status) => status === KeepaliveStatus.UPNEEDED && key.unplug(),
    });
    await expect(pending).rejects.toBeInstanceOf(TransportError);
    await expect(ctap.getInfo()).rejects.toBeInstanceOf(TransportError);
  });

  it('a key that goes silent fails the command with a timeout', async () => {
    // Keep-alives only every 10 s, and no touch: the key says nothing within the 50 ms allowed.
    const silent = simulatedKey({ touch: () => new Promise(() => undefined) }, 10_000);
    const { ctap } = await clientFor(silent);
    await expect(ctap.makeCredential(registration('bob'), { idleTimeoutMs: 50 })).rejects.toBeInstanceOf(CtapHidTimeout);
  });

  it('refuses a second command while one runs with ERROR CHANNEL_BUSY', async () => {
    const { key, touch } = keyWaitingForTouch();
    const first = await clientFor(key);
    const second = await clientFor(key);
    const running = first.ctap.makeCredential(registration('alice'), { onKeepalive: () => undefined });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(second.hid.ping(new Uint8Array([1]))).rejects.toEqual(new CtapHidError(CtapHidErrorCode.CHANNEL_BUSY));
    touch();
    await running;
  });
});

describe('CTAP2 commands on the simulated key', () => {
  it('getInfo reports FIDO_2_1, PIN/UV auth protocol 2, credMgmt, and clientPin only once a PIN is set', async () => {
    const key = simulatedKey();
    const { ctap } = await clientFor(key);
    const before = await ctap.getInfo();
    expect(before.versions).toContain('FIDO_2_1');
    expect(before.pinUvAuthProtocols).toEqual([2]);
    expect(before.options).toMatchObject({ clientPin: false, credMgmt: true, rk: true });
    await ctap.setPin(PIN);
    expect((await ctap.getInfo()).options.clientPin).toBe(true);
  });

  it('makeCredential then getAssertion: the signature verifies with the credential public key', async () => {
    const { ctap } = await clientFor(simulatedKey());
    const made = await ctap.makeCredential(registration('alice'));
    expect(made.fmt).toBe('packed');
    const parsed = parseAuthenticatorData(made.authData);
    const credentialId = parsed.attestedCredentialData!.credentialId;
    const assertion = await ctap.getAssertion({
      rpId: 'example.com',
      clientDataHash,
      allowList: [{ type: 'public-key', id: credentialId }],
    });
    expect(assertion.credential.id).toEqual(credentialId);
    const { x, y } = decodeCoseP256Key(parsed.attestedCredentialData!.credentialPublicKey);
    const message = concat(assertion.authData, clientDataHash);
    expect(p256.verify(assertion.signature, message, concat(new Uint8Array([4]), x, y), { format: 'der', lowS: false })).toBe(
      true,
    );
  });

  it('getAssertion without an allow list says how many discoverable credentials there are; GetNextAssertion gives the rest', async () => {
    const { ctap } = await clientFor(simulatedKey());
    await ctap.makeCredential(registration('alice'));
    await ctap.makeCredential(registration('bob'));
    const first = await ctap.getAssertion({ rpId: 'example.com', clientDataHash });
    expect(first.numberOfCredentials).toBe(2);
    const second = await ctap.getNextAssertion();
    const users = [first.user!.id, second.user!.id].map((id) => new TextDecoder().decode(id)).sort();
    expect(users).toEqual(['id-alice', 'id-bob']);
    expect(await statusOf(ctap.getNextAssertion())).toBe(CtapStatusCode.CTAP2_ERR_NOT_ALLOWED);
  });

  it('getAssertion for an rpId with nothing on the key ends with CTAP2_ERR_NO_CREDENTIALS', async () => {
    const { ctap } = await clientFor(simulatedKey());
    expect(await statusOf(ctap.getAssertion({ rpId: 'nothing.example', clientDataHash }))).toBe(
      CtapStatusCode.CTAP2_ERR_NO_CREDENTIALS,
    );
  });

  it('answers a request that is not CBOR with CTAP2_ERR_INVALID_CBOR and an unknown command with CTAP1_ERR_INVALID_COMMAND', async () => {
    const { hid } = await clientFor(simulatedKey());
    expect(await hid.cbor(new Uint8Array([0x01, 0xff]))).toEqual(new Uint8Array([CtapStatusCode.CTAP2_ERR_INVALID_CBOR]));
    expect(await hid.cbor(new Uint8Array([0x55]))).toEqual(new Uint8Array([CtapStatusCode.CTAP1_ERR_INVALID_COMMAND]));
  });
});

describe('ClientPIN, PIN/UV auth protocol 2', () => {
  it('with a PIN set, makeCredential without pinUvAuthParam is CTAP2_ERR_PUAT_REQUIRED, with the token it succeeds with UV', async () => {
    const key = await keyWithPin(PIN);
    const { ctap } = await clientFor(key);
    expect(await statusOf(ctap.makeCredential(registration('alice')))).toBe(CtapStatusCode.CTAP2_ERR_PUAT_REQUIRED);
    const [session] = await openKeys(simulatedBackend({ k: key }));
    const { result } = await registerOnKey([session!], registration('alice'), PIN);
    const flags = parseAuthenticatorData(result.authData);
    expect(flags.userVerified).toBe(true);
    expect(flags.userPresent).toBe(true);
  });

  it('a token for makeCredential is bound to its rpId and permission', async () => {
    const key = await keyWithPin(PIN);
    const { ctap } = await clientFor(key);
    const { pinUvAuthParamFor } = await import('./ctap2Client');
    const gaToken = await ctap.pinUvAuthToken(PIN, Permission.GA, 'example.com');
    expect(
      await statusOf(ctap.makeCredential({ ...registration('a'), pinUvAuthParam: pinUvAuthParamFor(gaToken, clientDataHash) })),
    ).toBe(CtapStatusCode.CTAP2_ERR_PIN_AUTH_INVALID);
    const otherRp = await ctap.pinUvAuthToken(PIN, Permission.MC, 'other.example');
    expect(
      await statusOf(ctap.makeCredential({ ...registration('a'), pinUvAuthParam: pinUvAuthParamFor(otherRp, clientDataHash) })),
    ).toBe(CtapStatusCode.CTAP2_ERR_PIN_AUTH_INVALID);
  });

  it('a wrong PIN is CTAP2_ERR_PIN_INVALID and costs one retry; the right PIN resets the count', async () => {
    const key = await keyWithPin(PIN);
    const { ctap } = await clientFor(key);
    expect(await ctap.getPinRetries()).toBe(8);
    expect(await statusOf(ctap.pinUvAuthToken('000000', Permission.CM))).toBe(CtapStatusCode.CTAP2_ERR_PIN_INVALID);
    expect(await ctap.getPinRetries()).toBe(7);
    expect(await statusOf(ctap.pinUvAuthToken('111111', Permission.CM))).toBe(CtapStatusCode.CTAP2_ERR_PIN_INVALID);
    expect(await ctap.getPinRetries()).toBe(6);
    expect((await ctap.pinUvAuthToken(PIN, Permission.CM)).length).toBe(32);
    expect(await ctap.getPinRetries()).toBe(8);
  });

  it('after 8 wrong PINs the PIN is blocked: CTAP2_ERR_PIN_BLOCKED, even for the right one', async () => {
    const key = await keyWithPin(PIN);
    const { ctap } = await clientFor(key);
    const statuses: (number | string)[] = [];
    for (let i = 0; i < 8; i++) statuses.push(await statusOf(ctap.pinUvAuthToken('999999', Permission.CM)));
    expect(statuses.slice(0, 7).every((s) => s === CtapStatusCode.CTAP2_ERR_PIN_INVALID)).toBe(true);
    expect(statuses[7]).toBe(CtapStatusCode.CTAP2_ERR_PIN_BLOCKED);
    expect(await ctap.getPinRetries()).toBe(0);
    expect(await statusOf(ctap.pinUvAuthToken(PIN, Permission.CM))).toBe(CtapStatusCode.CTAP2_ERR_PIN_BLOCKED);
  });

  it('changePIN needs the current PIN; afterwards only the new one works', async () => {
    const key = await keyWithPin(PIN);
    const { ctap } = await clientFor(key);
    expect(await statusOf(ctap.changePin('000000', '654321'))).toBe(CtapStatusCode.CTAP2_ERR_PIN_INVALID);
    await ctap.changePin(PIN, '654321');
    expect(await statusOf(ctap.pinUvAuthToken(PIN, Permission.CM))).toBe(CtapStatusCode.CTAP2_ERR_PIN_INVALID);
    expect((await ctap.pinUvAuthToken('654321', Permission.CM)).length).toBe(32);
  });

  it('setPIN refuses a PIN shorter than 4 bytes on the platform side, and a second setPIN on the key', async () => {
    const key = await keyWithPin(PIN);
    const { ctap } = await clientFor(key);
    await expect(ctap.setPin('12')).rejects.toThrow(RangeError);
    expect(await statusOf(ctap.setPin('999999'))).toBe(CtapStatusCode.CTAP2_ERR_NOT_ALLOWED);
  });

  it('a tampered pinUvAuthParam on setPIN is CTAP2_ERR_PIN_AUTH_INVALID', async () => {
    const key = simulatedKey();
    const { ctap } = await clientFor(key);
    const { platformKey } = await ctap.keyAgreement();
    const status = await statusOf(
      ctap.command(
        0x06,
        new Map<number, CborValue>([
          [0x01, 2],
          [0x02, 0x03],
          [0x03, platformKey],
          [0x04, new Uint8Array(32)],
          [0x05, new Uint8Array(80)],
        ]),
      ),
    );
    expect(status).toBe(CtapStatusCode.CTAP2_ERR_PIN_AUTH_INVALID);
  });
});

describe('credential management', () => {
  it('lists the discoverable credentials of every RP, updates a user and deletes a credential', async () => {
    const key = await keyWithPin(PIN);
    const backend = simulatedBackend({ k: key });
    const sessions = await openKeys(backend);
    await registerOnKey(sessions, registration('alice'), PIN);
    await registerOnKey(sessions, registration('bob'), PIN);
    await registerOnKey(sessions, { ...registration('carol'), rp: { id: 'other.example', name: 'Other' } }, PIN);
    await registerOnKey(sessions, registration('dave', false), PIN);
    const { credentials } = await listOnKey(sessions, PIN);
    expect(credentials.map((c) => `${c.rpId}/${c.user.name}`).sort()).toEqual([
      'example.com/alice',
      'example.com/bob',
      'other.example/carol',
    ]);
    const metadata = await sessions[0]!.ctap.credsMetadata(await sessions[0]!.ctap.pinUvAuthToken(PIN, Permission.CM));
    expect(metadata.existing).toBe(3);

    const bob = credentials.find((c) => c.user.name === 'bob')!;
    const token = await sessions[0]!.ctap.pinUvAuthToken(PIN, Permission.CM);
    await sessions[0]!.ctap.updateUserInformation(token, bob.credentialId, {
      id: bob.user.id,
      name: 'robert',
      displayName: 'Robert',
    });
    await deleteOnKey(sessions, PIN, credentials.find((c) => c.user.name === 'alice')!.credentialId);
    const after = await listOnKey(sessions, PIN);
    expect(after.credentials.map((c) => `${c.rpId}/${c.user.name}`).sort()).toEqual([
      'example.com/robert',
      'other.example/carol',
    ]);
  });

  it('refuses credential management without a token (PUAT_REQUIRED), with a wrong PIN, and with a token lacking the cm permission', async () => {
    const key = await keyWithPin(PIN);
    const { ctap } = await clientFor(key);
    expect(await statusOf(ctap.command(0x0a, new Map([[0x01, 0x01]])))).toBe(CtapStatusCode.CTAP2_ERR_PUAT_REQUIRED);
    const sessions = await openKeys(simulatedBackend({ k: key }));
    expect(await statusOf(listOnKey(sessions, '000000'))).toBe(CtapStatusCode.CTAP2_ERR_PIN_INVALID);
    const gaToken = await ctap.pinUvAuthToken(PIN, Permission.GA, 'example.com');
    expect(await statusOf(ctap.credsMetadata(gaToken))).toBe(CtapStatusCode.CTAP2_ERR_PIN_AUTH_INVALID);
  });

  it('an empty key lists no credentials', async () => {
    const sessions = await openKeys(simulatedBackend({ k: await keyWithPin(PIN) }));
    expect((await listOnKey(sessions, PIN)).credentials).toEqual([]);
  });
});

describe('several keys', () => {
  it('sends the request to every key, keeps the one touched first and cancels the others', async () => {
    const slow = keyWaitingForTouch();
    const fast = keyWaitingForTouch();
    const sessions = await openKeys(simulatedBackend({ slow: slow.key, fast: fast.key }));
    const pending = registerOnKey(sessions, registration('alice'), undefined, {
      onKeepalive: (status) => status === KeepaliveStatus.UPNEEDED && fast.touch(),
    });
    const { session } = await pending;
    expect(session.device.path).toBe('fast');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(slow.key.stats.cancels).toBe(1);
    expect(await slow.key.authenticator.credentials()).toHaveLength(0);
    expect(await fast.key.authenticator.credentials()).toHaveLength(1);
  });

  it('with no key plugged in there is nothing to race: NoKeysError', async () => {
    await expect(firstTouched([], async () => 1)).rejects.toBeInstanceOf(NoKeysError);
  });

  it('a key with a PIN and no PIN given: PinRequiredError, and summaries say which keys have a PIN', async () => {
    const sessions = await openKeys(simulatedBackend({ a: await keyWithPin(PIN), b: simulatedKey() }));
    expect(await Promise.all(sessions.map(summarize))).toEqual([
      { path: 'a', product: 'Latchkey simulated key (a)', pinSet: true, pinRetries: 8, credMgmt: true },
      { path: 'b', product: 'Latchkey simulated key (b)', pinSet: false, credMgmt: true },
    ]);
    await expect(registerOnKey(sessions.slice(0, 1), registration('x'), undefined)).rejects.toBeInstanceOf(PinRequiredError);
  });

  it('signs in on the key that holds the credential', async () => {
    const sessions = await openKeys(simulatedBackend({ k: await keyWithPin(PIN) }));
    await registerOnKey(sessions, registration('alice'), PIN);
    const { result } = await signInWithKey(sessions, { rpId: 'example.com', clientDataHash }, PIN);
    expect(result).toHaveLength(1);
    expect(parseAuthenticatorData(result[0]!.authData).userVerified).toBe(true);
    expect(result[0]!.user?.name).toBe('alice');
  });
});
