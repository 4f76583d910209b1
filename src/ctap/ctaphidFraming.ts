/**
 * CTAPHID message framing (CTAP 2.1 §11.2.4 "Message and packet structure").
 *
 * "An initialization packet: CID (4 bytes), CMD (1 byte, bit 7 always set), BCNTH, BCNTL,
 * DATA (s - 7 bytes)." "A continuation packet: CID (4 bytes), SEQ (1 byte, bit 7 always
 * cleared), DATA (s - 5 bytes)." With the 64-byte reports every FIDO key uses, an init
 * packet carries 57 bytes and a continuation 59; "the sequence number [...] starts with 0
 * for the first continuation packet" and goes up to 127, so a message holds at most
 * 57 + 128 × 59 = 7609 bytes. No library does this framing, so it is written here.
 */

export const REPORT_SIZE = 64;
export const INIT_DATA_SIZE = REPORT_SIZE - 7;
export const CONT_DATA_SIZE = REPORT_SIZE - 5;
export const MAX_SEQ = 127;
export const MAX_MESSAGE_SIZE = INIT_DATA_SIZE + (MAX_SEQ + 1) * CONT_DATA_SIZE;
export const BROADCAST_CID = 0xffffffff;

/** CTAPHID commands (§11.2.9), without the init packet's high bit. */
export const CtapHidCommand = {
  PING: 0x01,
  MSG: 0x03,
  LOCK: 0x04,
  INIT: 0x06,
  WINK: 0x08,
  CBOR: 0x10,
  CANCEL: 0x11,
  KEEPALIVE: 0x3b,
  ERROR: 0x3f,
} as const;

/** CTAPHID_ERROR codes (§11.2.9.1.6). */
export const CtapHidErrorCode = {
  INVALID_CMD: 0x01,
  INVALID_PAR: 0x02,
  INVALID_LEN: 0x03,
  INVALID_SEQ: 0x04,
  MSG_TIMEOUT: 0x05,
  CHANNEL_BUSY: 0x06,
  LOCK_REQUIRED: 0x0a,
  INVALID_CHANNEL: 0x0b,
  OTHER: 0x7f,
} as const;

/** CTAPHID_KEEPALIVE status (§11.2.9.2.1): "STATUS_PROCESSING 1", "STATUS_UPNEEDED 2". */
export const KeepaliveStatus = { PROCESSING: 1, UPNEEDED: 2 } as const;

/** CTAPHID_INIT capability flags (§11.2.9.1.3). */
export const Capability = { WINK: 0x01, CBOR: 0x04, NMSG: 0x08 } as const;

export interface CtapHidMessage {
  cid: number;
  /** The command without the high bit. */
  cmd: number;
  payload: Uint8Array;
}

/** A framing fault, named by the CTAPHID error code a device would answer with. */
export class FramingError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'FramingError';
  }
}

/** Splits one message into 64-byte reports: an init packet and as many continuations as needed, zero padded. */
export function fragment({ cid, cmd, payload }: CtapHidMessage): Uint8Array[] {
  if (payload.length > MAX_MESSAGE_SIZE) {
    throw new FramingError(
      CtapHidErrorCode.INVALID_LEN,
      `A CTAPHID message holds at most ${MAX_MESSAGE_SIZE} bytes, not ${payload.length}.`,
    );
  }
  if (cmd < 0 || cmd > 0x7f)
    throw new FramingError(CtapHidErrorCode.INVALID_CMD, `Command 0x${cmd.toString(16)} is out of range.`);
  const packets: Uint8Array[] = [];
  const init = new Uint8Array(REPORT_SIZE);
  const view = new DataView(init.buffer);
  view.setUint32(0, cid >>> 0);
  init[4] = 0x80 | cmd;
  view.setUint16(5, payload.length);
  init.set(payload.subarray(0, INIT_DATA_SIZE), 7);
  packets.push(init);
  for (let offset = INIT_DATA_SIZE, seq = 0; offset < payload.length; offset += CONT_DATA_SIZE, seq++) {
    const cont = new Uint8Array(REPORT_SIZE);
    new DataView(cont.buffer).setUint32(0, cid >>> 0);
    cont[4] = seq;
    cont.set(payload.subarray(offset, offset + CONT_DATA_SIZE), 5);
    packets.push(cont);
  }
  return packets;
}

export function cidOf(report: Uint8Array): number {
  return new DataView(report.buffer, report.byteOffset, report.byteLength).getUint32(0);
}

export function isInitPacket(report: Uint8Array): boolean {
  return (report[4]! & 0x80) !== 0;
}

/**
 * Reassembles the reports of one channel into a message. Feed it reports in order; it
 * answers `null` while the message is incomplete and throws a FramingError for a
 * continuation without an init packet, a sequence gap, a report of the wrong size or a
 * length beyond the maximum. §11.2.4: "If a packet is received out of sequence, the
 * receiver [...] shall abort" (a device answers ERR_INVALID_SEQ).
 */
export class Reassembler {
  private cid = 0;
  private cmd = 0;
  private buffer: Uint8Array | null = null;
  private received = 0;
  private nextSeq = 0;

  get inProgress(): boolean {
    return this.buffer !== null;
  }

  /** The channel of the message being reassembled (valid while `inProgress`). */
  get channel(): number {
    return this.cid;
  }

  reset(): void {
    this.buffer = null;
  }

  push(report: Uint8Array): CtapHidMessage | null {
    if (report.length !== REPORT_SIZE) {
      throw new FramingError(
        CtapHidErrorCode.INVALID_LEN,
        `A CTAPHID report is ${REPORT_SIZE} bytes, this one ${report.length}.`,
      );
    }
    const cid = cidOf(report);
    if (isInitPacket(report)) {
      const length = (report[5]! << 8) | report[6]!;
      if (length > MAX_MESSAGE_SIZE) {
        this.buffer = null;
        throw new FramingError(
          CtapHidErrorCode.INVALID_LEN,
          `The init packet announces ${length} bytes; at most ${MAX_MESSAGE_SIZE} fit.`,
        );
      }
      this.cid = cid;
      this.cmd = report[4]! & 0x7f;
      this.buffer = new Uint8Array(length);
      this.received = Math.min(length, INIT_DATA_SIZE);
      this.buffer.set(report.subarray(7, 7 + this.received));
      this.nextSeq = 0;
    } else {
      if (!this.buffer)
        throw new FramingError(CtapHidErrorCode.INVALID_SEQ, 'A continuation packet arrived without an init packet.');
      if (cid !== this.cid)
        throw new FramingError(
          CtapHidErrorCode.CHANNEL_BUSY,
          `A continuation packet of channel ${hex(cid)} arrived while channel ${hex(this.cid)} was sending.`,
        );
      const seq = report[4]!;
      if (seq !== this.nextSeq) {
        this.buffer = null;
        throw new FramingError(
          CtapHidErrorCode.INVALID_SEQ,
          `Continuation packet ${seq} arrived where ${this.nextSeq} was expected.`,
        );
      }
      const take = Math.min(CONT_DATA_SIZE, this.buffer.length - this.received);
      this.buffer.set(report.subarray(5, 5 + take), this.received);
      this.received += take;
      this.nextSeq++;
    }
    if (this.received < this.buffer.length) return null;
    const message = { cid: this.cid, cmd: this.cmd, payload: this.buffer };
    this.buffer = null;
    return message;
  }
}

function hex(cid: number): string {
  return `0x${cid.toString(16).padStart(8, '0')}`;
}
