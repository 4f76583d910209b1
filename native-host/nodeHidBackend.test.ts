/** The node-hid backend with node-hid replaced by fakes: loading fails, or devices are listed and opened. */
import { describe, expect, it } from 'vitest';
import { TransportError } from '../src/ctap/transport';
import type { HostReply } from '../src/native/protocol';
import { createBridgeHost } from './bridgeHost';
import { loadNodeHidBackend } from './nodeHidBackend';

describe('the node-hid backend', () => {
  it('when node-hid cannot be loaded, the host still runs, lists no keys and says why', async () => {
    const { backend, problem } = await loadNodeHidBackend(() => Promise.reject(new Error('Cannot find module node-hid')));
    expect(problem).toContain('node-hid could not be loaded (Cannot find module node-hid)');
    const replies: HostReply[] = [];
    const host = createBridgeHost({ backend, problem, send: (reply) => replies.push(reply) });
    await host.handle({ id: 1, kind: 'keys' });
    expect(replies).toEqual([{ id: 1, ok: true, result: { keys: [], problem } }]);
    await host.handle({ id: 2, kind: 'credentials.list', pin: '1234' });
    expect(replies[1]).toMatchObject({ ok: false, error: { code: 'no-keys' } });
  });

  it('lists only FIDO devices (usage page 0xF1D0), writes reports behind a zero report id, and turns a failing read into a TransportError', async () => {
    const written: number[][] = [];
    const fake = {
      devicesAsync: async () => [
        { path: '/dev/hidraw0', product: 'Keyboard', usagePage: 0x01 },
        { path: '/dev/hidraw3', product: 'FIDO key', usagePage: 0xf1d0 },
      ],
      HIDAsync: {
        open: async () => ({
          write: async (data: Buffer) => (written.push([...data]), data.length),
          read: async () => {
            throw new Error('could not read from HID device');
          },
          close: async () => undefined,
        }),
      },
    };
    const { backend, problem } = await loadNodeHidBackend(async () => ({ default: fake }));
    expect(problem).toBeNull();
    expect(await backend.list()).toEqual([{ path: '/dev/hidraw3', product: 'FIDO key' }]);
    const transport = await backend.open('/dev/hidraw3');
    await transport.write(new Uint8Array(64).fill(7));
    expect(written[0]).toEqual([0, ...new Array(64).fill(7)]);
    await expect(transport.read(10)).rejects.toBeInstanceOf(TransportError);
  });
});
