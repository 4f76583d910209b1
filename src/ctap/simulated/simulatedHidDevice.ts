/**
 * The device side of CTAPHID for the simulated key: reassembles the host's reports, allocates
 * channels (CTAPHID_INIT), answers PING, WINK and CBOR, sends KEEPALIVE while a CBOR command
 * runs, stops it on CANCEL, and answers ERROR for what a key refuses. It implements the same
 * HidTransport the node-hid backend does, so the host code cannot tell the difference; `unplug()`
 * makes every later read and write fail as a removed device does.
 */
import {
  BROADCAST_CID,
  Capability,
  CtapHidCommand,
  CtapHidErrorCode,
  FramingError,
  KeepaliveStatus,
  Reassembler,
  cidOf,
  fragment,
  type CtapHidMessage,
} from '../ctaphidFraming';
import { type HidBackend, type HidDeviceInfo, type HidTransport, TransportError } from '../transport';
import type { SimulatedAuthenticator } from './simulatedAuthenticator';

export interface SimulatedDeviceOptions {
  /** Time between keep-alives while a command runs (§11.2.9.2.1: "every 100ms"). */
  keepaliveIntervalMs?: number;
}

/** One open handle on the device: like a hidraw file descriptor, it gets a copy of every report the device sends. */
class Connection implements HidTransport {
  readonly outgoing: Uint8Array[] = [];
  readonly readers: {
    resolve(report: Uint8Array | null): void;
    reject(error: Error): void;
    timer: ReturnType<typeof setTimeout>;
  }[] = [];
  closed = false;

  constructor(private readonly device: SimulatedHidDevice) {}

  write(report: Uint8Array): Promise<void> {
    if (this.closed) return Promise.reject(new TransportError('This handle on the security key is closed.'));
    return this.device.receiveReport(report);
  }

  read(timeoutMs: number): Promise<Uint8Array | null> {
    if (this.device.isUnplugged) return Promise.reject(new TransportError('The security key was unplugged.'));
    const next = this.outgoing.shift();
    if (next) return Promise.resolve(next);
    return new Promise((resolve, reject) => {
      const reader = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.readers.splice(this.readers.indexOf(reader), 1);
          resolve(null);
        }, timeoutMs),
      };
      this.readers.push(reader);
    });
  }

  deliver(report: Uint8Array): void {
    if (this.closed) return;
    const reader = this.readers.shift();
    if (reader) {
      clearTimeout(reader.timer);
      reader.resolve(report);
    } else {
      this.outgoing.push(report);
    }
  }

  fail(error: Error): void {
    for (const reader of this.readers.splice(0)) {
      clearTimeout(reader.timer);
      reader.reject(error);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

export class SimulatedHidDevice {
  private readonly connections = new Set<Connection>();
  private readonly reassembler = new Reassembler();
  private readonly channels = new Set<number>();
  private nextCid = 1;
  private busy: { cid: number; controller: AbortController } | null = null;
  private unplugged = false;
  /** What the tests look at: how many times the key winked, how many commands were cancelled. */
  readonly stats = { winks: 0, cancels: 0, keepalives: 0 };

  constructor(
    readonly authenticator: SimulatedAuthenticator,
    private readonly options: SimulatedDeviceOptions = {},
  ) {}

  get isUnplugged(): boolean {
    return this.unplugged;
  }

  /** Opens a handle on the device (what node-hid's `open` is for a real key). */
  connect(): HidTransport {
    if (this.unplugged) throw new TransportError('The security key was unplugged.');
    const connection = new Connection(this);
    this.connections.add(connection);
    return connection;
  }

  async receiveReport(report: Uint8Array): Promise<void> {
    if (this.unplugged) throw new TransportError('The security key was unplugged.');
    let message: CtapHidMessage | null;
    try {
      message = this.reassembler.push(report);
    } catch (error) {
      if (error instanceof FramingError) {
        this.send(cidOf(report), CtapHidCommand.ERROR, new Uint8Array([error.code]));
        return;
      }
      throw error;
    }
    if (message) this.receive(message);
  }

  /** The person pulls the key out: pending and later reads and writes fail. */
  unplug(): void {
    this.unplugged = true;
    this.busy?.controller.abort(new Error('unplugged'));
    for (const connection of this.connections) connection.fail(new TransportError('The security key was unplugged.'));
  }

  private send(cid: number, cmd: number, payload: Uint8Array): void {
    if (this.unplugged) return;
    for (const report of fragment({ cid, cmd, payload })) {
      for (const connection of this.connections) connection.deliver(report.slice());
    }
  }

  private error(cid: number, code: number): void {
    this.send(cid, CtapHidCommand.ERROR, new Uint8Array([code]));
  }

  private receive({ cid, cmd, payload }: CtapHidMessage): void {
    if (cmd === CtapHidCommand.INIT) {
      // §11.2.9.1.3: on the broadcast channel INIT allocates a new channel; on an allocated one it resyncs it.
      if (payload.length !== 8) return this.error(cid, CtapHidErrorCode.INVALID_LEN);
      const allocated = cid === BROADCAST_CID ? this.nextCid++ : cid;
      if (cid === BROADCAST_CID) this.channels.add(allocated);
      if (this.busy?.cid === cid) this.busy.controller.abort(new Error('resync'));
      const answer = new Uint8Array(17);
      answer.set(payload, 0);
      new DataView(answer.buffer).setUint32(8, allocated);
      answer.set([2, 1, 0, 0, Capability.WINK | Capability.CBOR | Capability.NMSG], 12);
      return this.send(cid, CtapHidCommand.INIT, answer);
    }
    if (cid === BROADCAST_CID || !this.channels.has(cid)) return this.error(cid, CtapHidErrorCode.INVALID_CHANNEL);
    if (cmd === CtapHidCommand.CANCEL) {
      // §11.2.9.1.5: no answer to CANCEL itself; the pending CBOR request ends with CTAP2_ERR_KEEPALIVE_CANCEL.
      if (this.busy?.cid === cid) {
        this.stats.cancels++;
        this.busy.controller.abort(new Error('cancelled'));
      }
      return;
    }
    if (this.busy) return this.error(cid, CtapHidErrorCode.CHANNEL_BUSY);
    switch (cmd) {
      case CtapHidCommand.PING:
        return this.send(cid, CtapHidCommand.PING, payload);
      case CtapHidCommand.WINK:
        this.stats.winks++;
        return this.send(cid, CtapHidCommand.WINK, new Uint8Array(0));
      case CtapHidCommand.CBOR:
        return void this.runCbor(cid, payload);
      default:
        return this.error(cid, CtapHidErrorCode.INVALID_CMD);
    }
  }

  private async runCbor(cid: number, request: Uint8Array): Promise<void> {
    const controller = new AbortController();
    this.busy = { cid, controller };
    let status: number = KeepaliveStatus.PROCESSING;
    const keepalive = setInterval(() => {
      this.stats.keepalives++;
      this.send(cid, CtapHidCommand.KEEPALIVE, new Uint8Array([status]));
    }, this.options.keepaliveIntervalMs ?? 100);
    try {
      const answer = await this.authenticator.handle(request, {
        signal: controller.signal,
        setStatus: (next) => (status = next),
      });
      this.send(cid, CtapHidCommand.CBOR, answer);
    } finally {
      clearInterval(keepalive);
      this.busy = null;
    }
  }
}

/** Simulated keys by name, as a HidBackend: what the host's `--simulated-key` mode and the tests plug in. */
export function simulatedBackend(devices: Record<string, SimulatedHidDevice>): HidBackend {
  return {
    async list(): Promise<HidDeviceInfo[]> {
      return Object.keys(devices).map((path) => ({ path, product: `Latchkey simulated key (${path})` }));
    },
    async open(path: string): Promise<HidTransport> {
      const device = devices[path];
      if (!device) throw new TransportError(`No simulated key named ${path}.`);
      return device.connect();
    },
  };
}
