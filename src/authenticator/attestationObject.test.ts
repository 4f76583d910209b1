import { describe, expect, it } from 'vitest';
import { webauthnTestVector } from '../../test/vectors';
import { toHex } from '../webauthn/bytes';
import { decode } from '../webauthn/cbor';
import { encodeAttestationObject } from './attestationObject';

function parts(label: string) {
  const attestationObject = webauthnTestVector(label).registration.attestationObject!;
  return { attestationObject, decoded: decode(attestationObject) as Map<string, unknown> };
}

describe('encodeAttestationObject', () => {
  it('encodes "none" attestation as the none.ES256 vector does, byte for byte', () => {
    const { attestationObject, decoded } = parts('none.ES256');
    expect(toHex(encodeAttestationObject(decoded.get('authData') as Uint8Array))).toBe(toHex(attestationObject));
  });

  it('encodes a packed self-attestation statement as the packed-self.ES256 vector does', () => {
    const { attestationObject, decoded } = parts('packed-self.ES256');
    const attStmt = decoded.get('attStmt') as Map<string, unknown>;
    const encoded = encodeAttestationObject(decoded.get('authData') as Uint8Array, 'packed', {
      sig: attStmt.get('sig') as Uint8Array,
      alg: attStmt.get('alg') as number,
    });
    expect(toHex(encoded)).toBe(toHex(attestationObject));
  });

  it('uses the text keys fmt, attStmt, authData', () => {
    const decoded = decode(encodeAttestationObject(new Uint8Array([1]))) as Map<string, unknown>;
    expect([...decoded.keys()]).toEqual(['fmt', 'attStmt', 'authData']);
    expect(decoded.get('fmt')).toBe('none');
    expect(decoded.get('attStmt')).toEqual(new Map());
  });
});
