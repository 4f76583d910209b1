/**
 * CTAPHID framing. The CTAP 2.1 specification gives the packet layout (§11.2.4) but no byte
 * examples, so the vectors here are built by hand from that layout: each byte is explained.
 */
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../webauthn/bytes';
import {
  BROADCAST_CID,
  CtapHidCommand,
  CtapHidErrorCode,
  FramingError,
  MAX_MESSAGE_SIZE,
  Reassembler,
  fragment,
} from './ctaphidFraming';

const pad = (hex: string) => hex + '00'.repeat(64 - hex.length / 2);

describe('CTAPHID framing (CTAP 2.1 §11.2.4)', () => {
  it('frames an INIT request on the broadcast channel as CID, CMD|0x80, BCNT, nonce, zero padding', () => {
    const [packet, ...rest] = fragment({ cid: BROADCAST_CID, cmd: CtapHidCommand.INIT, payload: fromHex('0102030405060708') });
    // ffffffff: broadcast CID; 86: CTAPHID_INIT (0x06) with bit 7 set; 0008: 8 bytes; the nonce.
    expect(toHex(packet!)).toBe(pad('ffffffff' + '86' + '0008' + '0102030405060708'));
    expect(rest).toHaveLength(0);
  });

  it('splits 57 + 59 + 1 bytes into an init packet and two continuations with SEQ 0 and 1', () => {
    const payload = Uint8Array.from({ length: 117 }, (_, i) => i);
    const packets = fragment({ cid: 0x01020304, cmd: CtapHidCommand.CBOR, payload });
    expect(packets.map((p) => p.length)).toEqual([64, 64, 64]);
    // 01020304: CID; 90: CTAPHID_CBOR (0x10) | 0x80; 0075: 117 bytes; bytes 0..56.
    expect(toHex(packets[0]!)).toBe('01020304' + '90' + '0075' + toHex(payload.subarray(0, 57)));
    // 01020304: CID; 00: SEQ 0; bytes 57..115.
    expect(toHex(packets[1]!)).toBe('01020304' + '00' + toHex(payload.subarray(57, 116)));
    // 01: SEQ 1; byte 116, then zero padding.
    expect(toHex(packets[2]!)).toBe(pad('01020304' + '01' + toHex(payload.subarray(116))));
  });

  it('reassembles what it framed, at the maximum size of 7609 bytes too', () => {
    expect(MAX_MESSAGE_SIZE).toBe(7609);
    for (const size of [0, 1, 57, 58, 116, 117, MAX_MESSAGE_SIZE]) {
      const payload = Uint8Array.from({ length: size }, (_, i) => (i * 7) & 0xff);
      const reassembler = new Reassembler();
      const packets = fragment({ cid: 7, cmd: CtapHidCommand.MSG, payload });
      const results = packets.map((p) => reassembler.push(p));
      expect(results.slice(0, -1).every((r) => r === null)).toBe(true);
      expect(results.at(-1)).toEqual({ cid: 7, cmd: CtapHidCommand.MSG, payload });
    }
  });

  it('refuses to frame a message beyond 7609 bytes', () => {
    expect(() => fragment({ cid: 1, cmd: 0x10, payload: new Uint8Array(MAX_MESSAGE_SIZE + 1) })).toThrow(FramingError);
  });

  it('reports a sequence gap as ERR_INVALID_SEQ and drops the partial message', () => {
    const packets = fragment({ cid: 9, cmd: 0x10, payload: new Uint8Array(200) });
    const reassembler = new Reassembler();
    reassembler.push(packets[0]!);
    const error = (() => {
      try {
        reassembler.push(packets[2]!);
      } catch (e) {
        return e as FramingError;
      }
    })();
    expect(error?.code).toBe(CtapHidErrorCode.INVALID_SEQ);
    expect(reassembler.inProgress).toBe(false);
  });

  it('reports a continuation without an init packet, a foreign channel, a short report and an oversize length', () => {
    const packets = fragment({ cid: 9, cmd: 0x10, payload: new Uint8Array(100) });
    const codeOf = (work: () => unknown) => {
      try {
        work();
      } catch (e) {
        return (e as FramingError).code;
      }
      return 'no error';
    };
    expect(codeOf(() => new Reassembler().push(packets[1]!))).toBe(CtapHidErrorCode.INVALID_SEQ);
    const busy = new Reassembler();
    busy.push(packets[0]!);
    const foreign = packets[1]!.slice();
    foreign[3] = 8;
    expect(codeOf(() => busy.push(foreign))).toBe(CtapHidErrorCode.CHANNEL_BUSY);
    expect(codeOf(() => new Reassembler().push(new Uint8Array(63)))).toBe(CtapHidErrorCode.INVALID_LEN);
    // BCNT 0x1dba = 7610, one byte beyond the maximum.
    expect(codeOf(() => new Reassembler().push(fromHex(pad('00000009' + '90' + '1dba'))))).toBe(CtapHidErrorCode.INVALID_LEN);
  });
});
