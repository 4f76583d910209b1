import { describe, expect, it } from 'vitest';
import {
  allAcceptedCredentialsOptions,
  creationOptionsToJSON,
  currentUserDetailsOptions,
  mediationOf,
  requestOptionsToJSON,
  unknownCredentialOptions,
} from './convertOptions';

const valid = () => ({
  rp: { name: 'Example', id: 'example.com' },
  user: { id: new Uint8Array([1, 2, 3]), name: 'alice', displayName: 'Alice' },
  challenge: new Uint8Array([9, 9, 9, 9]).buffer,
  pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
});

describe('creationOptionsToJSON: WebIDL conversion of PublicKeyCredentialCreationOptions', () => {
  it('turns BufferSources into base64url and fills the IDL defaults', () => {
    expect(creationOptionsToJSON({ ...valid(), excludeCredentials: [{ type: 'public-key', id: new Uint8Array([255]) }] })).toEqual({
      rp: { id: 'example.com', name: 'Example' },
      user: { id: 'AQID', name: 'alice', displayName: 'Alice' },
      challenge: 'CQkJCQ',
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
      excludeCredentials: [{ type: 'public-key', id: '_w' }],
      attestation: 'none',
    });
  });

  it('reads a view of part of a buffer, not the whole buffer', () => {
    const buffer = new Uint8Array([0, 1, 2, 3, 4]).buffer;
    expect(creationOptionsToJSON({ ...valid(), challenge: new DataView(buffer, 1, 2) }).challenge).toBe('AQI');
  });

  it.each([
    ['challenge', "Failed to read the 'challenge' property from 'PublicKeyCredentialCreationOptions': Required member is undefined."],
    ['rp', "Failed to read the 'rp' property from 'PublicKeyCredentialCreationOptions': Required member is undefined."],
    ['user', "Failed to read the 'user' property from 'PublicKeyCredentialCreationOptions': Required member is undefined."],
    ['pubKeyCredParams', "Failed to read the 'pubKeyCredParams' property from 'PublicKeyCredentialCreationOptions': Required member is undefined."],
  ])('a missing %s is a TypeError naming it', (member, message) => {
    const options: Record<string, unknown> = valid();
    delete options[member];
    expect(() => creationOptionsToJSON(options)).toThrow(TypeError);
    expect(() => creationOptionsToJSON(options)).toThrow(message);
  });

  it('a challenge that is not a BufferSource is a TypeError', () => {
    expect(() => creationOptionsToJSON({ ...valid(), challenge: 'abc' })).toThrow(/not of type '\(ArrayBuffer or ArrayBufferView\)'/);
  });

  it('a missing user.id or rp.name is a TypeError', () => {
    expect(() => creationOptionsToJSON({ ...valid(), user: { name: 'a', displayName: 'a' } })).toThrow(TypeError);
    expect(() => creationOptionsToJSON({ ...valid(), rp: { id: 'example.com' } })).toThrow(TypeError);
  });

  it('pubKeyCredParams that is not a sequence is a TypeError', () => {
    expect(() => creationOptionsToJSON({ ...valid(), pubKeyCredParams: { type: 'public-key', alg: -7 } })).toThrow(
      /cannot be converted to a sequence/,
    );
  });

  it('a missing publicKey dictionary member of a pubKeyCredParams entry is a TypeError', () => {
    expect(() => creationOptionsToJSON({ ...valid(), pubKeyCredParams: [{ type: 'public-key' }] })).toThrow(TypeError);
  });

  it('converts DOMStrings and longs as ECMAScript does', () => {
    const json = creationOptionsToJSON({ ...valid(), rp: { name: 42 }, pubKeyCredParams: [{ type: 'public-key', alg: '-7' }], timeout: 60000.7 });
    expect(json.rp).toEqual({ name: '42' });
    expect(json.pubKeyCredParams).toEqual([{ type: 'public-key', alg: -7 }]);
    expect(json.timeout).toBe(60000);
  });

  it('a symbol where a string belongs is a TypeError', () => {
    expect(() => creationOptionsToJSON({ ...valid(), rp: { name: Symbol('x') } })).toThrow(TypeError);
  });

  it('keeps only the extensions Latchkey implements', () => {
    expect(creationOptionsToJSON({ ...valid(), extensions: { credProps: true, somethingElse: 1 } }).extensions).toEqual({ credProps: true });
  });

  it('a primitive where the dictionary belongs is a TypeError', () => {
    expect(() => creationOptionsToJSON(5)).toThrow(TypeError);
  });
});

describe('requestOptionsToJSON', () => {
  it('converts allowCredentials and defaults userVerification to preferred', () => {
    expect(
      requestOptionsToJSON({ challenge: new Uint8Array([1]), allowCredentials: [{ type: 'public-key', id: new Uint8Array([2]), transports: ['usb'] }] }),
    ).toEqual({ challenge: 'AQ', allowCredentials: [{ type: 'public-key', id: 'Ag', transports: ['usb'] }], userVerification: 'preferred' });
  });

  it('a missing challenge is a TypeError', () => {
    expect(() => requestOptionsToJSON({ rpId: 'example.com' })).toThrow(TypeError);
  });
});

describe('mediationOf', () => {
  it('defaults to optional and refuses a value outside the enum with a TypeError', () => {
    expect(mediationOf({}, 'get')).toBe('optional');
    expect(mediationOf({ mediation: 'conditional' }, 'get')).toBe('conditional');
    expect(() => mediationOf({ mediation: 'sometimes' }, 'get')).toThrow(TypeError);
  });
});

describe('Signal API options', () => {
  it('pass valid options through', () => {
    expect(unknownCredentialOptions({ rpId: 'example.com', credentialId: 'AQID' })).toEqual({ rpId: 'example.com', credentialId: 'AQID' });
    expect(allAcceptedCredentialsOptions({ rpId: 'example.com', userId: 'AQ', allAcceptedCredentialIds: ['AQID', 'BA'] })).toEqual({
      rpId: 'example.com',
      userId: 'AQ',
      allAcceptedCredentialIds: ['AQID', 'BA'],
    });
    expect(currentUserDetailsOptions({ rpId: 'example.com', userId: 'AQ', name: 'a', displayName: 'A' })).toEqual({
      rpId: 'example.com',
      userId: 'AQ',
      name: 'a',
      displayName: 'A',
    });
  });

  it.each([
    ['a credential id that is not base64url', () => unknownCredentialOptions({ rpId: 'example.com', credentialId: 'a+b/' })],
    ['a missing credential id', () => unknownCredentialOptions({ rpId: 'example.com' })],
    ['no options at all', () => unknownCredentialOptions(undefined)],
    ['an accepted id that is not base64url', () => allAcceptedCredentialsOptions({ rpId: 'x', userId: 'AQ', allAcceptedCredentialIds: ['ok', '%%'] })],
    ['accepted ids that are not a sequence', () => allAcceptedCredentialsOptions({ rpId: 'x', userId: 'AQ', allAcceptedCredentialIds: 'AQ' })],
    ['a user id that is not base64url', () => currentUserDetailsOptions({ rpId: 'x', userId: '!!', name: 'a', displayName: 'A' })],
    ['a missing display name', () => currentUserDetailsOptions({ rpId: 'x', userId: 'AQ', name: 'a' })],
  ])('%s is a TypeError', (_, convert) => {
    expect(convert).toThrow(TypeError);
  });
});

describe('extension inputs: carried as JSON, unknown ones dropped', () => {
  it('prf eval and evalByCredential, largeBlob and credProps: BufferSources become base64url', () => {
    const extensions = {
      credProps: 1,
      prf: { eval: { first: new Uint8Array([1]), second: new Uint8Array([2]).buffer }, evalByCredential: { AQID: { first: new Uint8Array([3]) } } },
      largeBlob: { read: true, write: new Uint8Array([4]) },
      somethingElse: { x: 1 },
    };
    expect(requestOptionsToJSON({ challenge: new Uint8Array(1), extensions: { prf: extensions.prf, largeBlob: extensions.largeBlob, somethingElse: 1 } }).extensions).toEqual({
      prf: { eval: { first: 'AQ', second: 'Ag' }, evalByCredential: { AQID: { first: 'Aw' } } },
      largeBlob: { read: true, write: 'BA' },
    });
    expect(creationOptionsToJSON({ ...valid(), extensions: { credProps: 1, largeBlob: { support: 'required' }, prf: {} } }).extensions).toEqual({
      credProps: true,
      largeBlob: { support: 'required' },
      prf: {},
    });
  });

  it('a prf input without first is a TypeError, as the IDL requires it', () => {
    expect(() => requestOptionsToJSON({ challenge: new Uint8Array(1), extensions: { prf: { eval: {} } } })).toThrow(TypeError);
  });

  it('credProps at get() is NotSupportedError, as Chromium answers', () => {
    expect(() => requestOptionsToJSON({ challenge: new Uint8Array(1), extensions: { credProps: true } })).toThrow(
      expect.objectContaining({ name: 'NotSupportedError' }),
    );
  });
});
