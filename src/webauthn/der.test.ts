import { p256, p521 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from './bytes';
import { derSignatureToRaw, rawSignatureToDer } from './der';

const component = (hex: string) => fromHex(hex.padStart(64, '0'));
const raw = (r: string, s: string) => new Uint8Array([...component(r), ...component(s)]);

describe('rawSignatureToDer / derSignatureToRaw', () => {
  it('round-trips the spec vector none.ES256, where both r and s need a leading zero', () => {
    const der = fromHex(
      '3046022100f50a4e2e4409249c4a853ba361282f09841df4dd4547a13a87780218deffcd380221008480ac0f0b93538174f575bf11a1dd5d78c6e486013f937295ea13653e331e87',
    );
    const rs = derSignatureToRaw(der);
    expect(toHex(rs)).toBe(
      'f50a4e2e4409249c4a853ba361282f09841df4dd4547a13a87780218deffcd38' +
        '8480ac0f0b93538174f575bf11a1dd5d78c6e486013f937295ea13653e331e87',
    );
    expect(rawSignatureToDer(rs)).toEqual(der);
  });

  it('adds a zero byte when the top bit is set, and only then', () => {
    expect(toHex(rawSignatureToDer(raw('80'.padEnd(64, '0'), '7f'.padEnd(64, '0'))))).toBe(
      '3045' + '022100' + '80'.padEnd(64, '0') + '0220' + '7f'.padEnd(64, '0'),
    );
  });

  it('drops leading zero bytes, keeping one byte for zero', () => {
    expect(toHex(rawSignatureToDer(raw('7f', '0')))).toBe('3006' + '02017f' + '020100');
    // r = 0x00 0x80...: the zero stays, because 0x80 has the top bit set.
    expect(toHex(rawSignatureToDer(raw('80'.padEnd(62, '1'), '01')))).toBe('3025' + '0220' + '00' + '80'.padEnd(62, '1') + '020101');
    // r = 0x00 0x00 0x7f...: both zeros go.
    expect(toHex(rawSignatureToDer(raw('7f'.padEnd(60, '1'), '01')))).toBe('3023' + '021e' + '7f'.padEnd(60, '1') + '020101');
  });

  it('left-pads short integers back to 32 bytes', () => {
    expect(derSignatureToRaw(fromHex('3006' + '02017f' + '020100'))).toEqual(raw('7f', '0'));
  });

  it('agrees with @noble/curves DER on random signatures', () => {
    for (let i = 0; i < 200; i++) {
      const rs = crypto.getRandomValues(new Uint8Array(64));
      // Force the short and high-bit cases to come up often.
      if (i % 4 === 1) rs.fill(0, 0, 1 + (i % 7));
      if (i % 4 === 2) rs[32] = 0x80 | rs[32]!;
      const nobleDer = new p256.Signature(bigint(rs.subarray(0, 32)) % p256.Point.CURVE().n, bigint(rs.subarray(32)) % p256.Point.CURVE().n).toBytes('der');
      const nobleRaw = derSignatureToRaw(nobleDer);
      expect(rawSignatureToDer(nobleRaw)).toEqual(nobleDer);
    }
  });

  it('uses the long length form for P-521 (66-byte components)', () => {
    const rs = new Uint8Array(132).fill(0xff);
    const der = rawSignatureToDer(rs);
    // Two INTEGERs of 2 + 1 + 66 bytes: 138 (0x8a) is past 127, so the length takes the 0x81 form.
    expect(toHex(der.subarray(0, 3))).toBe('30818a');
    expect(derSignatureToRaw(der, 66)).toEqual(rs);
    const sig = p521.sign(new Uint8Array([1]), p521.utils.randomSecretKey(), { format: 'der' });
    expect(rawSignatureToDer(derSignatureToRaw(sig, 66))).toEqual(sig);
  });

  it.each([
    ['trailing bytes', '3006020101020101' + '00'],
    ['a sequence length that does not match', '3007020101020101'],
    ['a wrong outer tag', '3106020101020101'],
    ['a wrong integer tag', '3006030101020101'],
    ['a negative integer', '3006020181020101'],
    ['a non-minimal integer', '300702020001020101'],
    ['an empty integer', '30050200020101'],
    ['an integer longer than 32 bytes', '3027' + '0222' + '01'.repeat(34) + '020101'],
    ['a long-form length that fits the short form', '308106020101020101'],
    ['truncated data', '30060201'],
  ])('refuses %s', (_, hex) => {
    expect(() => derSignatureToRaw(fromHex(hex))).toThrow(/DER signature/);
  });

  it('refuses a raw signature of odd length', () => {
    expect(() => rawSignatureToDer(new Uint8Array(63))).toThrow();
  });
});

function bigint(bytes: Uint8Array): bigint {
  return BigInt('0x' + (toHex(bytes) || '0'));
}
