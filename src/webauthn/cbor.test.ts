import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from './bytes';
import { decode, decodeFirst, encodeCanonical, type CborValue } from './cbor';

const hex = (value: CborValue) => toHex(encodeCanonical(value));

describe('encodeCanonical: CTAP2 canonical map key order', () => {
  it('sorts a COSE key as 1, 3, -1, -2, -3 whatever the insertion order', () => {
    const x = new Uint8Array([0xaa]);
    const y = new Uint8Array([0xbb]);
    const scrambled = new Map<number, number | Uint8Array>([
      [-3, y],
      [-1, 1],
      [3, -7],
      [-2, x],
      [1, 2],
    ]);
    expect(hex(scrambled)).toBe('a5' + '0102' + '0326' + '2001' + '2141aa' + '2241bb');
  });

  it('puts the lower major type first: unsigned, then negative, then byte string, then text', () => {
    const map = new Map<CborValue, CborValue>([
      ['a', 1],
      [new Uint8Array([0]), 2],
      [-1, 3],
      [100, 4],
    ]);
    // 100 (0x18 0x64) is longer than -1 (0x20) but major type 0 sorts before 1.
    expect(hex(map)).toBe('a4' + '186404' + '2003' + '410002' + '616101');
  });

  it('puts the shorter key first, then the bytewise lower one', () => {
    expect(hex({ ccc: 3, a: 1, bb: 2, b: 4 })).toBe('a4' + '616101' + '616204' + '62626202' + '6363636303');
    expect(hex(new Map([[256, 0], [24, 0], [23, 0], [25, 0]]))).toBe('a4' + '1700' + '181800' + '181900' + '19010000');
  });

  it('sorts nested maps and maps inside arrays', () => {
    expect(hex({ z: [{ b: 1, a: 2 }], y: { d: 1, c: 2 } })).toBe('a2' + '6179a2616302616401' + '617a81a2616102616201');
  });

  it('orders an attestation object fmt, attStmt, authData', () => {
    expect(hex({ authData: new Uint8Array([1]), attStmt: {}, fmt: 'none' })).toBe(
      'a3' + '63666d74646e6f6e65' + '6761747453746d74a0' + '68617574684461746141' + '01',
    );
  });

  it('refuses duplicate keys, including number and bigint spellings of one integer', () => {
    expect(() => encodeCanonical(new Map<CborValue, CborValue>([[1, 1], [1n, 2]]))).toThrow(TypeError);
  });

  it('leaves out object members that are undefined', () => {
    expect(hex({ a: 1, b: undefined })).toBe('a1616101');
  });
});

describe('encodeCanonical: encodings', () => {
  it('encodes Uint8Array (and Buffer) as a plain byte string, never a tagged typed array', () => {
    expect(hex(new Uint8Array([1, 2]))).toBe('420102');
    expect(hex(Buffer.from([1, 2]))).toBe('420102');
  });

  it('writes integers in their shortest form, 64-bit ones as integers rather than floats', () => {
    expect(hex(0)).toBe('00');
    expect(hex(23)).toBe('17');
    expect(hex(24)).toBe('1818');
    expect(hex(-24)).toBe('37');
    expect(hex(-25)).toBe('3818');
    expect(hex(0xffffffff)).toBe('1affffffff');
    expect(hex(2 ** 32)).toBe('1b0000000100000000');
    expect(hex(-(2 ** 32) - 1)).toBe('3b0000000100000000');
    expect(hex(Number.MAX_SAFE_INTEGER)).toBe('1b001fffffffffffff');
    expect(hex(10n)).toBe('0a');
    expect(hex(2n ** 64n - 1n)).toBe('1bffffffffffffffff');
    expect(() => encodeCanonical(2n ** 64n)).toThrow(RangeError);
    expect(() => encodeCanonical(-(2n ** 64n))).toThrow(RangeError);
  });

  it('keeps floating-point values as they are', () => {
    expect(hex(1.5)).toBe('fb3ff8000000000000');
  });

  it('writes definite lengths in their shortest form', () => {
    const cases = [
      { length: 23, bytes: '57', text: '77', array: '97', map: 'b7' },
      { length: 24, bytes: '5818', text: '7818', array: '9818', map: 'b818' },
      { length: 255, bytes: '58ff', text: '78ff', array: '98ff', map: 'b8ff' },
      { length: 256, bytes: '590100', text: '790100', array: '990100', map: 'b90100' },
    ];
    for (const { length, bytes, text, array, map } of cases) {
      expect(hex(new Uint8Array(length))).toMatch(new RegExp(`^${bytes}00`));
      expect(hex('a'.repeat(length))).toMatch(new RegExp(`^${text}61`));
      expect(hex(new Array<number>(length).fill(0))).toMatch(new RegExp(`^${array}00`));
      expect(hex(new Map(Array.from({ length }, (_, i) => [i, 0])))).toMatch(new RegExp(`^${map}0000`));
    }
  });

  it('counts text length in UTF-8 bytes', () => {
    expect(hex('é'.repeat(12))).toBe('7818' + 'c3a9'.repeat(12));
  });

  it('refuses values that would need a CBOR tag', () => {
    expect(() => encodeCanonical(new Date() as never)).toThrow(TypeError);
    expect(() => encodeCanonical(new Set([1]) as never)).toThrow(TypeError);
    expect(() => encodeCanonical(new Uint16Array(1) as never)).toThrow(TypeError);
    expect(() => encodeCanonical(new ArrayBuffer(1) as never)).toThrow(TypeError);
  });
});

describe('decode', () => {
  it('decodes maps as Maps with their integer keys and byte strings as Uint8Array copies', () => {
    const input = fromHex('a2' + '0102' + '2142aabb');
    const value = decode(input) as Map<number, unknown>;
    expect(value).toBeInstanceOf(Map);
    expect(value.get(1)).toBe(2);
    const bytes = value.get(-2) as Uint8Array;
    expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype);
    expect(bytes).toEqual(new Uint8Array([0xaa, 0xbb]));
    expect(bytes.buffer).not.toBe(input.buffer);
  });

  it('round-trips what encodeCanonical writes', () => {
    const value = new Map<CborValue, CborValue>([
      ['fmt', 'none'],
      ['list', [1, -1, 'x', new Uint8Array([7])]],
      [3, new Map([['nested', true]])],
    ]);
    const encoded = encodeCanonical(value);
    expect(encodeCanonical(decode(encoded) as CborValue)).toEqual(encoded);
  });

  it('refuses trailing bytes', () => {
    expect(() => decode(fromHex('0102'))).toThrow();
  });
});

describe('decodeFirst', () => {
  it('says how many bytes the first item took', () => {
    const { value, length } = decodeFirst(fromHex('a1' + '0142aabb' + 'ff00'));
    expect(length).toBe(5);
    expect((value as Map<number, Uint8Array>).get(1)).toEqual(new Uint8Array([0xaa, 0xbb]));
  });

  it('measures every major type', () => {
    const items = ['00', '1b0000000100000000', '3818', '43010203', '6161', '820102', 'a1616101', 'c24101', 'f5', 'fb3ff8000000000000'];
    for (const item of items) expect(decodeFirst(fromHex(item + '00')).length).toBe(item.length / 2);
  });

  it('refuses truncated items and indefinite lengths', () => {
    expect(() => decodeFirst(fromHex('43aabb'))).toThrow(/end of data/);
    expect(() => decodeFirst(fromHex('a201'))).toThrow(/end of data/);
    expect(() => decodeFirst(new Uint8Array())).toThrow(/end of data/);
    expect(() => decodeFirst(fromHex('9f01ff'))).toThrow(/indefinite/);
  });
});
