import { describe, expect, it } from 'vitest';
import { parseCreationOptionsFromJSON, parseRequestOptionsFromJSON } from './parseOptionsJSON';

const bytes = (value: unknown) => Array.from(new Uint8Array(value as ArrayBuffer));

describe('parseCreationOptionsFromJSON / parseRequestOptionsFromJSON', () => {
  it('decodes every base64url member into an ArrayBuffer and keeps the rest', () => {
    const options = parseCreationOptionsFromJSON({
      rp: { name: 'Example' },
      user: { id: 'AQID', name: 'a', displayName: 'A' },
      challenge: 'CQkJCQ',
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
      excludeCredentials: [{ type: 'public-key', id: '_w', transports: ['usb'] }],
      extensions: { credProps: true, prf: { eval: { first: 'AQ' } } },
    }) as unknown as Record<string, any>;
    expect(bytes(options.user.id)).toEqual([1, 2, 3]);
    expect(bytes(options.challenge)).toEqual([9, 9, 9, 9]);
    expect(bytes(options.excludeCredentials[0].id)).toEqual([255]);
    expect(options.excludeCredentials[0].transports).toEqual(['usb']);
    expect(bytes(options.extensions.prf.eval.first)).toEqual([1]);
    expect(options.extensions.credProps).toBe(true);
  });

  it('decodes allowCredentials, prf.evalByCredential and largeBlob.write at get', () => {
    const options = parseRequestOptionsFromJSON({
      challenge: 'AA',
      allowCredentials: [{ type: 'public-key', id: 'AQ' }],
      extensions: { prf: { evalByCredential: { AQ: { first: 'Ag', second: 'Aw' } } }, largeBlob: { write: 'BA' } },
    }) as unknown as Record<string, any>;
    expect(bytes(options.allowCredentials[0].id)).toEqual([1]);
    expect(bytes(options.extensions.prf.evalByCredential.AQ.second)).toEqual([3]);
    expect(bytes(options.extensions.largeBlob.write)).toEqual([4]);
  });

  it.each([
    ['a challenge that is not base64url', () => parseRequestOptionsFromJSON({ challenge: 'a+b/' })],
    ['a user.id that is not base64url', () => parseCreationOptionsFromJSON({ user: { id: '!' }, challenge: 'AA' })],
    ['an allowCredentials id of impossible length', () => parseRequestOptionsFromJSON({ challenge: 'AA', allowCredentials: [{ type: 'public-key', id: 'A' }] })],
  ])('%s is an EncodingError', (_, parse) => {
    expect(parse).toThrow(expect.objectContaining({ name: 'EncodingError' }));
  });
});
