/**
 * ECDSA signatures in their two encodings: WebCrypto and `@noble/curves` give the
 * raw `r || s` concatenation, WebAuthn wants ASN.1 DER.
 *
 * WebAuthn L3, "Signature Formats for Packed Attestation, FIDO U2F Attestation,
 * and Assertion Signatures": "For COSEAlgorithmIdentifier -7 (ES256), and other ECDSA-based
 * algorithms, the sig value MUST be encoded as an ASN.1 DER Ecdsa-Sig-Value, as
 * defined in [RFC3279] section 2.2.3."
 *   Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }
 *
 * DER INTEGERs are two's complement and minimal: leading zero bytes go, and a
 * zero byte comes back when the top bit is set so the value stays positive.
 */

const SEQUENCE = 0x30;
const INTEGER = 0x02;

/** Raw `r || s` (each half `raw.length / 2` bytes) to DER Ecdsa-Sig-Value. */
export function rawSignatureToDer(raw: Uint8Array): Uint8Array {
  if (raw.length === 0 || raw.length % 2 !== 0) throw new Error('raw ECDSA signature must be r || s of equal halves');
  const half = raw.length / 2;
  const body = [...derInteger(raw.subarray(0, half)), ...derInteger(raw.subarray(half))];
  return new Uint8Array([SEQUENCE, ...derLength(body.length), ...body]);
}

/**
 * DER Ecdsa-Sig-Value to raw `r || s`, each left-padded to `componentLength`
 * bytes (32 for P-256). Strict: rejects non-minimal or negative integers,
 * long-form lengths that fit the short form, and trailing bytes.
 */
export function derSignatureToRaw(der: Uint8Array, componentLength = 32): Uint8Array {
  const reader = { bytes: der, position: 0 };
  const sequenceLength = readHeader(reader, SEQUENCE);
  if (reader.position + sequenceLength !== der.length) throw new Error('DER signature: length does not match the data');
  const raw = new Uint8Array(componentLength * 2);
  raw.set(readUnsignedInteger(reader, componentLength), 0);
  raw.set(readUnsignedInteger(reader, componentLength), componentLength);
  if (reader.position !== der.length) throw new Error('DER signature: trailing bytes');
  return raw;
}

function derInteger(unsigned: Uint8Array): number[] {
  let start = 0;
  while (start < unsigned.length - 1 && unsigned[start] === 0) start++;
  const magnitude = [...unsigned.subarray(start)];
  const content = magnitude[0]! & 0x80 ? [0, ...magnitude] : magnitude;
  return [INTEGER, ...derLength(content.length), ...content];
}

function derLength(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

interface Reader {
  bytes: Uint8Array;
  position: number;
}

function readByte(reader: Reader): number {
  const byte = reader.bytes[reader.position++];
  if (byte === undefined) throw new Error('DER signature: unexpected end of data');
  return byte;
}

function readHeader(reader: Reader, expectedTag: number): number {
  if (readByte(reader) !== expectedTag) throw new Error(`DER signature: expected tag 0x${expectedTag.toString(16)}`);
  const first = readByte(reader);
  if (first < 0x80) return first;
  const count = first & 0x7f;
  if (count === 0 || count > 2) throw new Error('DER signature: unsupported length form');
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + readByte(reader);
  if (length < 0x80 || (count === 2 && length < 0x100)) throw new Error('DER signature: non-minimal length');
  return length;
}

function readUnsignedInteger(reader: Reader, componentLength: number): Uint8Array {
  const length = readHeader(reader, INTEGER);
  const end = reader.position + length;
  if (length === 0 || end > reader.bytes.length) throw new Error('DER signature: bad INTEGER length');
  let content = reader.bytes.subarray(reader.position, end);
  reader.position = end;
  if (content[0]! & 0x80) throw new Error('DER signature: negative INTEGER');
  if (content.length > 1 && content[0] === 0) {
    if (!(content[1]! & 0x80)) throw new Error('DER signature: non-minimal INTEGER');
    content = content.subarray(1);
  }
  if (content.length > componentLength) throw new Error('DER signature: INTEGER longer than the curve order');
  const padded = new Uint8Array(componentLength);
  padded.set(content, componentLength - content.length);
  return padded;
}
