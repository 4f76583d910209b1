/**
 * CBOR as CTAP2 and WebAuthn use it, over cbor-x.
 *
 * cbor-x writes Maps in insertion order, integers and lengths in their shortest
 * form and never uses indefinite lengths; what it does not do is sort keys, keep
 * integers above 2^32 as integers, or refuse values it would tag. `canonicalize`
 * closes those gaps before cbor-x sees the value.
 *
 * CTAP 2.1, "Message Encoding", "CTAP2 canonical CBOR encoding form":
 * "Integers must be encoded as small as possible." "The representations of any
 * floating-point values are not changed." "The expression of lengths in major
 * types 2 through 5 must be as short as possible." "Indefinite-length items must
 * be made into definite-length items." "The keys in every map must be sorted
 * lowest value to highest. [...] If the major types are different, the one with
 * the lower value in numerical order sorts earlier. If two keys have different
 * lengths, the shorter one sorts earlier; If two keys have the same length, the
 * one with the lower value in (byte-wise) lexical order sorts earlier." "Tags as
 * defined in Section 2.4 in [RFC7049] MUST NOT be present."
 */
import { Decoder, Encoder } from 'cbor-x';

/** What `encodeCanonical` accepts. Plain objects become maps with text keys. */
export type CborValue =
  | null
  | undefined
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | CborValue[]
  | Map<CborValue, CborValue>
  | { [key: string]: CborValue };

const encoder = new Encoder({
  useRecords: false,
  // Uint8Array must be a plain byte string (major type 2), never tag 64.
  tagUint8Array: false,
  // Otherwise cbor-x marks every Map with tag 259 ("explicit map").
  mapsAsObjects: false,
  variableMapSize: true,
});

const decoder = new Decoder({
  useRecords: false,
  // Maps stay Maps so COSE keys keep their integer keys.
  mapsAsObjects: false,
  // Decoded byte strings must not be views into the input: a view would drag the
  // whole input buffer into IndexedDB on structured clone.
  copyBuffers: true,
});

const UINT32_MAX = 0xffffffff;
const UINT64_MAX = 2n ** 64n - 1n;

/** Encodes `value` in CTAP2 canonical CBOR. Throws TypeError/RangeError for values it cannot encode without a tag. */
export function encodeCanonical(value: CborValue): Uint8Array {
  // Copy: cbor-x returns a Buffer in Node, a view into its reusable output buffer.
  return new Uint8Array(encoder.encode(canonicalize(value)));
}

/** Decodes exactly one CBOR item; trailing bytes are an error. Maps decode as `Map`, byte strings as `Uint8Array`. */
export function decode(bytes: Uint8Array): unknown {
  // A fresh view over the same memory: cbor-x caches a `dataView` property on the
  // array it is given, and the caller's array should come back as it went in.
  return decoder.decode(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

/**
 * Decodes the first CBOR item of `bytes` and says how many bytes it took, for
 * structures where CBOR is followed by more data (the credential public key in
 * authenticatorData is followed by the extensions map).
 */
export function decodeFirst(bytes: Uint8Array): { value: unknown; length: number } {
  const length = itemEnd(bytes, 0);
  return { value: decode(bytes.subarray(0, length)), length };
}

function canonicalize(value: CborValue): unknown {
  switch (typeof value) {
    case 'number':
      // cbor-x writes integers beyond 32 bits as doubles; as bigints they get the uint64/negint64 form.
      return Number.isInteger(value) && Math.abs(value) > UINT32_MAX ? canonicalizeBigint(BigInt(value)) : value;
    case 'bigint':
      return canonicalizeBigint(value);
    case 'string':
    case 'boolean':
    case 'undefined':
      return value;
  }
  if (value === null || value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map(canonicalize);
  if (value instanceof Map) return sortedMap([...value.entries()]);
  const prototype = Object.getPrototypeOf(value);
  if (prototype === Object.prototype || prototype === null) {
    // Members set to undefined are absent, as in JSON: optional CTAP members are simply left out.
    return sortedMap(Object.entries(value).filter(([, member]) => member !== undefined));
  }
  throw new TypeError(`encodeCanonical: cannot encode ${prototype?.constructor?.name ?? typeof value} without a CBOR tag`);
}

function canonicalizeBigint(value: bigint): number | bigint {
  // Major type 1 would reach -2^64, but cbor-x writes that one value as a bignum, so stop one short.
  if (value > UINT64_MAX || value < -UINT64_MAX) {
    throw new RangeError('encodeCanonical: integer beyond 64 bits needs a bignum tag');
  }
  return value >= -UINT32_MAX - 1 && value <= UINT32_MAX ? Number(value) : value;
}

function sortedMap(entries: [CborValue, CborValue][]): Map<unknown, unknown> {
  const keyed = entries.map(([key, member]) => {
    const canonicalKey = canonicalize(key);
    return { encodedKey: new Uint8Array(encoder.encode(canonicalKey)), key: canonicalKey, member };
  });
  keyed.sort((a, b) => compareKeys(a.encodedKey, b.encodedKey));
  for (let i = 1; i < keyed.length; i++) {
    if (compareKeys(keyed[i - 1]!.encodedKey, keyed[i]!.encodedKey) === 0) {
      throw new TypeError('encodeCanonical: duplicate map key');
    }
  }
  return new Map(keyed.map(({ key, member }) => [key, canonicalize(member)]));
}

function compareKeys(a: Uint8Array, b: Uint8Array): number {
  const majorTypeOrder = (a[0]! >> 5) - (b[0]! >> 5);
  if (majorTypeOrder !== 0) return majorTypeOrder;
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return 0;
}

/** Offset just past the CBOR item that starts at `offset`. Walks headers only; cbor-x does the decoding. */
function itemEnd(bytes: Uint8Array, offset: number): number {
  const initial = bytes[offset];
  if (initial === undefined) throw new Error('CBOR: unexpected end of data');
  const majorType = initial >> 5;
  const info = initial & 0x1f;
  let position = offset + 1;
  let argument = info;
  if (info >= 24) {
    if (info > 27) throw new Error('CBOR: indefinite length or reserved header (not allowed in CTAP2 canonical CBOR)');
    const size = 1 << (info - 24);
    if (position + size > bytes.length) throw new Error('CBOR: unexpected end of data');
    argument = 0;
    for (let i = 0; i < size; i++) argument = argument * 256 + bytes[position + i]!;
    position += size;
  }
  switch (majorType) {
    case 2:
    case 3:
      position += argument;
      break;
    case 4:
      for (let i = 0; i < argument; i++) position = itemEnd(bytes, position);
      break;
    case 5:
      for (let i = 0; i < argument * 2; i++) position = itemEnd(bytes, position);
      break;
    case 6:
      position = itemEnd(bytes, position);
      break;
    // 0, 1 and 7 (integers, simple values, floats) end with their header.
  }
  if (position > bytes.length) throw new Error('CBOR: unexpected end of data');
  return position;
}
