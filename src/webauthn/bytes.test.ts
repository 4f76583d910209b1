import { describe, expect, it } from 'vitest';
import { concat, equalBytes, fromHex, sha256, toBufferSource, toHex, utf8 } from './bytes';

describe('bytes', () => {
  it('converts hex both ways', () => {
    expect(toHex(new Uint8Array([0, 15, 255]))).toBe('000fff');
    expect(fromHex('000fff')).toEqual(new Uint8Array([0, 15, 255]));
    expect(() => fromHex('0')).toThrow();
    expect(() => fromHex('zz')).toThrow();
  });

  it('concatenates and compares', () => {
    expect(concat(new Uint8Array([1]), new Uint8Array(), new Uint8Array([2, 3]))).toEqual(new Uint8Array([1, 2, 3]));
    expect(equalBytes(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    expect(equalBytes(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false);
    expect(equalBytes(new Uint8Array([1]), new Uint8Array([1, 0]))).toBe(false);
  });

  it('hashes with SHA-256 (FIPS 180-4 "abc" example)', () => {
    expect(toHex(sha256(utf8('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('copies into a plain ArrayBuffer for WebCrypto', () => {
    const view = new Uint8Array([9, 1, 2, 9]).subarray(1, 3);
    const copy = toBufferSource(view);
    expect(copy).toEqual(new Uint8Array([1, 2]));
    expect(copy.buffer.byteLength).toBe(2);
  });
});
