/**
 * Real keys through node-hid (hidraw on Linux). node-hid is an optional dependency with a native
 * part, loaded only when the host starts: when it is missing or fails to load, the host still
 * runs and simply finds no keys, and says why.
 */
import { type HidBackend, type HidDeviceInfo, type HidTransport, TransportError } from '../src/ctap/transport';

/** The FIDO Alliance's HID usage page: every CTAPHID key reports it. */
const FIDO_USAGE_PAGE = 0xf1d0;

interface NodeHidDevice {
  path?: string;
  product?: string;
  usagePage?: number;
}

interface NodeHidAsync {
  write(data: number[] | Buffer): Promise<number>;
  read(timeOut?: number): Promise<Buffer | undefined>;
  close(): Promise<void>;
}

interface NodeHidModule {
  devicesAsync(): Promise<NodeHidDevice[]>;
  HIDAsync: { open(path: string): Promise<NodeHidAsync> };
}

/** A name, not a literal: node-hid is optional, and the typecheck must pass where it did not install. */
const NODE_HID: string = 'node-hid';

export async function loadNodeHidBackend(
  load: () => Promise<unknown> = () => import(NODE_HID),
): Promise<{ backend: HidBackend; problem: string | null }> {
  let hid: NodeHidModule;
  try {
    const loaded = (await load()) as NodeHidModule & { default?: NodeHidModule };
    hid = typeof loaded.devicesAsync === 'function' ? loaded : loaded.default!;
    if (typeof hid?.devicesAsync !== 'function') throw new Error('node-hid has no devicesAsync');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      backend: { list: async () => [], open: async () => Promise.reject(new TransportError('node-hid is not available.')) },
      problem: `node-hid could not be loaded (${reason}), so no security key can be found.`,
    };
  }
  return { backend: nodeHidBackend(hid), problem: null };
}

function nodeHidBackend(hid: NodeHidModule): HidBackend {
  return {
    async list(): Promise<HidDeviceInfo[]> {
      const devices = await hid.devicesAsync();
      return devices
        .filter((device) => device.usagePage === FIDO_USAGE_PAGE && device.path)
        .map((device) => ({ path: device.path!, product: device.product ?? 'Security key' }));
    },
    async open(path: string): Promise<HidTransport> {
      let device: NodeHidAsync;
      try {
        device = await hid.HIDAsync.open(path);
      } catch (error) {
        throw new TransportError(
          `Could not open ${path}: ${error instanceof Error ? error.message : String(error)}. On Linux the key's hidraw node must be readable by you (a udev rule).`,
        );
      }
      return {
        async write(report) {
          try {
            // hidapi wants the report ID first; FIDO keys use none, which is 0.
            await device.write(Buffer.concat([Buffer.from([0]), Buffer.from(report)]));
          } catch (error) {
            throw new TransportError(error instanceof Error ? error.message : String(error));
          }
        },
        async read(timeoutMs) {
          try {
            const data = await device.read(timeoutMs);
            return data && data.length ? new Uint8Array(data) : null;
          } catch (error) {
            throw new TransportError(error instanceof Error ? error.message : String(error));
          }
        },
        async close() {
          await device.close().catch(() => undefined);
        },
      };
    },
  };
}
