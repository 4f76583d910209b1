/**
 * The host side of CTAPHID (CTAP 2.1 §11.2): channel allocation with CTAPHID_INIT, one
 * transaction at a time, keep-alives, cancel and the device's ERROR answers.
 */
import {
  BROADCAST_CID,
  CtapHidCommand,
  CtapHidErrorCode,
  FramingError,
  KeepaliveStatus,
  Reassembler,
  cidOf,
  fragment,
  type CtapHidMessage,
} from './ctaphidFraming';
import { type HidTransport, TransportError } from './transport';

/** The device answered CTAPHID_ERROR. */
export class CtapHidError extends Error {
  constructor(readonly code: number) {
    super(`The security key answered CTAPHID error 0x${code.toString(16).padStart(2, '0')} (${errorName(code)}).`);
    this.name = 'CtapHidError';
  }
}

/** The device sent nothing for longer than the transaction allows. */
export class CtapHidTimeout extends Error {
  constructor(ms: number) {
    super(`The security key did not answer within ${ms} ms.`);
    this.name = 'CtapHidTimeout';
  }
}

function errorName(code: number): string {
  return Object.entries(CtapHidErrorCode).find(([, value]) => value === code)?.[0] ?? 'unknown';
}

export interface InitInfo {
  cid: number;
  protocolVersion: number;
  version: [number, number, number];
  capabilities: number;
}

export interface TransactOptions {
  /** Aborting sends CTAPHID_CANCEL; the device then ends the command with CTAP2_ERR_KEEPALIVE_CANCEL. */
  signal?: AbortSignal;
  /** Called for each CTAPHID_KEEPALIVE with its status (1 processing, 2 user presence needed). */
  onKeepalive?: (status: number) => void;
  /** How long the device may stay silent (keep-alives reset it). */
  idleTimeoutMs?: number;
}

/** §11.2.9.2.1: keep-alives come every 100 ms, so a second of silence means the device is gone or stuck. */
const DEFAULT_IDLE_TIMEOUT_MS = 1_500;

export class CtapHidDevice {
  private constructor(
    private readonly transport: HidTransport,
    readonly info: InitInfo,
  ) {}

  /**
   * §11.2.9.1.3 CTAPHID_INIT on the broadcast channel with an 8-byte nonce; the answer with the
   * same nonce gives this application its own channel.
   */
  static async open(
    transport: HidTransport,
    randomBytes: (n: number) => Uint8Array,
    idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS,
  ): Promise<CtapHidDevice> {
    const nonce = randomBytes(8);
    for (const report of fragment({ cid: BROADCAST_CID, cmd: CtapHidCommand.INIT, payload: nonce }))
      await transport.write(report);
    const reassembler = new Reassembler();
    for (;;) {
      const message = await readMessage(transport, reassembler, BROADCAST_CID, idleTimeoutMs);
      if (message.cmd === CtapHidCommand.ERROR) throw new CtapHidError(message.payload[0] ?? CtapHidErrorCode.OTHER);
      if (message.cmd !== CtapHidCommand.INIT || message.payload.length < 17) continue;
      if (!message.payload.subarray(0, 8).every((byte, i) => byte === nonce[i])) continue;
      const p = message.payload;
      const cid = cidOf(p.subarray(8, 12));
      return new CtapHidDevice(transport, {
        cid,
        protocolVersion: p[12]!,
        version: [p[13]!, p[14]!, p[15]!],
        capabilities: p[16]!,
      });
    }
  }

  /** Sends one request and waits for its answer, passing keep-alives on and cancelling on abort. */
  async transact(cmd: number, payload: Uint8Array, options: TransactOptions = {}): Promise<Uint8Array> {
    const { cid } = this.info;
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
    for (const report of fragment({ cid, cmd, payload })) await this.transport.write(report);
    let cancelSent = false;
    const sendCancel = () => {
      if (cancelSent) return;
      cancelSent = true;
      // §11.2.9.1.5 "CTAPHID_CANCEL [...] The authenticator MUST NOT reply to this message", it ends the pending CBOR request instead.
      for (const report of fragment({ cid, cmd: CtapHidCommand.CANCEL, payload: new Uint8Array(0) })) {
        this.transport.write(report).catch(() => undefined);
      }
    };
    options.signal?.addEventListener('abort', sendCancel, { once: true });
    try {
      const reassembler = new Reassembler();
      for (;;) {
        const message = await readMessage(this.transport, reassembler, cid, options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS);
        if (message.cmd === CtapHidCommand.KEEPALIVE) {
          options.onKeepalive?.(message.payload[0] ?? KeepaliveStatus.PROCESSING);
          continue;
        }
        if (message.cmd === CtapHidCommand.ERROR) throw new CtapHidError(message.payload[0] ?? CtapHidErrorCode.OTHER);
        if (message.cmd !== cmd) throw new CtapHidError(CtapHidErrorCode.INVALID_CMD);
        return message.payload;
      }
    } finally {
      options.signal?.removeEventListener('abort', sendCancel);
    }
  }

  /** CTAPHID_CANCEL outside a transaction (to stop a key that lost the race to another). */
  async cancel(): Promise<void> {
    for (const report of fragment({ cid: this.info.cid, cmd: CtapHidCommand.CANCEL, payload: new Uint8Array(0) })) {
      await this.transport.write(report);
    }
  }

  /** §11.2.9.1.4 CTAPHID_PING: the device echoes the data. */
  async ping(data: Uint8Array): Promise<Uint8Array> {
    return this.transact(CtapHidCommand.PING, data);
  }

  /** §11.2.9.2.2 CTAPHID_WINK: the device shows it is the one being talked to. */
  async wink(): Promise<void> {
    await this.transact(CtapHidCommand.WINK, new Uint8Array(0));
  }

  /** §11.2.9.1.2 CTAPHID_CBOR: a CTAP2 command byte and its CBOR parameters; the answer starts with a status byte. */
  cbor(request: Uint8Array, options?: TransactOptions): Promise<Uint8Array> {
    return this.transact(CtapHidCommand.CBOR, request, options);
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}

/** Reads reports until one message of channel `cid` is complete; other channels' reports are skipped. */
async function readMessage(
  transport: HidTransport,
  reassembler: Reassembler,
  cid: number,
  idleTimeoutMs: number,
): Promise<CtapHidMessage> {
  for (;;) {
    const report = await transport.read(idleTimeoutMs);
    if (report === null) throw new CtapHidTimeout(idleTimeoutMs);
    if (cidOf(report) !== cid) continue;
    let message: CtapHidMessage | null;
    try {
      message = reassembler.push(report);
    } catch (error) {
      if (error instanceof FramingError) throw new TransportError(`The security key sent a broken message: ${error.message}`);
      throw error;
    }
    if (message) return message;
  }
}
