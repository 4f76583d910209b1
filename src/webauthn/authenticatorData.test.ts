import { describe, expect, it } from 'vitest';
import { webauthnTestVector, webauthnTestVectors } from '../../test/vectors';
import { AuthenticatorDataFlag, buildAuthenticatorData, parseAuthenticatorData, type AuthenticatorDataFields } from './authenticatorData';
import { fromHex, sha256, toHex, utf8 } from './bytes';
import { decode } from './cbor';

const rpIdHash = sha256(utf8('example.org'));
const base: AuthenticatorDataFields = {
  rpIdHash,
  userPresent: true,
  userVerified: false,
  backupEligible: false,
  backupState: false,
  signCount: 0,
};

function registrationAuthData(label: string): Uint8Array {
  const attestationObject = decode(webauthnTestVector(label).registration.attestationObject!) as Map<string, Uint8Array>;
  return attestationObject.get('authData')!;
}

describe('AuthenticatorDataFlag', () => {
  it('has the bit values of WebAuthn §6.1', () => {
    expect(AuthenticatorDataFlag).toEqual({ UP: 0x01, UV: 0x04, BE: 0x08, BS: 0x10, AT: 0x40, ED: 0x80 });
  });
});

describe('buildAuthenticatorData', () => {
  it('reproduces the none.ES256 registration authenticatorData byte for byte', () => {
    const vector = webauthnTestVector('none.ES256').registration;
    const expected = registrationAuthData('none.ES256');
    const credentialPublicKey = parseAuthenticatorData(expected).attestedCredentialData!.credentialPublicKey;
    const built = buildAuthenticatorData({
      ...base,
      // auth_data_UV_BE_BS = 0xba: UV (0x04) clear, BE (0x08) set, BS (0x10) set.
      backupEligible: true,
      backupState: true,
      attestedCredentialData: { aaguid: vector.aaguid!, credentialId: vector.credential_id!, credentialPublicKey },
    });
    expect(toHex(built)).toBe(toHex(expected));
  });

  it('reproduces the long-credential-id registration authenticatorData (credentialIdLength 0x03ff)', () => {
    const vector = webauthnTestVector('none.ES256.long-credential-id').registration;
    expect(vector.credential_id).toHaveLength(1023);
    const expected = registrationAuthData('none.ES256.long-credential-id');
    const built = buildAuthenticatorData({
      ...base,
      // auth_data_UV_BE_BS = 0x69: BE set, UV and BS clear.
      backupEligible: true,
      attestedCredentialData: {
        aaguid: vector.aaguid!,
        credentialId: vector.credential_id!,
        credentialPublicKey: parseAuthenticatorData(expected).attestedCredentialData!.credentialPublicKey,
      },
    });
    expect(toHex(built.subarray(53, 55))).toBe('03ff');
    expect(toHex(built)).toBe(toHex(expected));
  });

  it('writes the counter as a big-endian 32-bit integer', () => {
    expect(toHex(buildAuthenticatorData({ ...base, signCount: 0x01020304 }).subarray(33))).toBe('01020304');
    expect(() => buildAuthenticatorData({ ...base, signCount: 2 ** 32 })).toThrow(RangeError);
    expect(() => buildAuthenticatorData({ ...base, signCount: -1 })).toThrow(RangeError);
  });

  it('sets each flag only from its fact, and AT/ED only when the data is there', () => {
    const flags = (fields: Partial<AuthenticatorDataFields>) => buildAuthenticatorData({ ...base, ...fields })[32];
    expect(flags({})).toBe(0x01);
    expect(flags({ userPresent: false })).toBe(0x00);
    expect(flags({ userVerified: true })).toBe(0x05);
    expect(flags({ backupEligible: true })).toBe(0x09);
    expect(flags({ backupEligible: true, backupState: true })).toBe(0x19);
    expect(flags({ extensions: new Map([['credProtect', 2]]) })).toBe(0x81);
  });

  it('refuses backup state without backup eligibility', () => {
    expect(() => buildAuthenticatorData({ ...base, backupState: true })).toThrow(/BE/);
  });

  it('refuses a credential id over 1023 bytes, a bad aaguid or rpIdHash', () => {
    const attested = { aaguid: new Uint8Array(16), credentialId: new Uint8Array(1024), credentialPublicKey: fromHex('a0') };
    expect(() => buildAuthenticatorData({ ...base, attestedCredentialData: attested })).toThrow(/1023/);
    expect(() => buildAuthenticatorData({ ...base, attestedCredentialData: { ...attested, credentialId: new Uint8Array(1), aaguid: new Uint8Array(15) } })).toThrow(/aaguid/);
    expect(() => buildAuthenticatorData({ ...base, rpIdHash: new Uint8Array(31) })).toThrow(/rpIdHash/);
  });
});

describe('parseAuthenticatorData', () => {
  it('reads the none.ES256 registration authenticatorData', () => {
    const vector = webauthnTestVector('none.ES256').registration;
    const parsed = parseAuthenticatorData(registrationAuthData('none.ES256'));
    expect(parsed.rpIdHash).toEqual(rpIdHash);
    expect(parsed.flags).toBe(0x59);
    expect(parsed).toMatchObject({ userPresent: true, userVerified: false, backupEligible: true, backupState: true, signCount: 0 });
    expect(parsed.attestedCredentialData!.aaguid).toEqual(vector.aaguid);
    expect(parsed.attestedCredentialData!.credentialId).toEqual(vector.credential_id);
    expect(toHex(parsed.attestedCredentialData!.credentialPublicKey)).toMatch(/^a5010203262001215820/);
    expect(parsed.extensions).toBeUndefined();
  });

  it('parses and rebuilds every authenticatorData in the spec vectors byte for byte', () => {
    let count = 0;
    for (const vector of webauthnTestVectors().values()) {
      const all = [registrationAuthData(vector.label), vector.authentication.authenticatorData!];
      for (const bytes of all) {
        const { flags, extensions, ...fields } = parseAuthenticatorData(bytes);
        expect(extensions).toBeUndefined();
        expect(buildAuthenticatorData(fields)).toEqual(bytes);
        expect(flags).toBe(bytes[32]);
        count++;
      }
    }
    expect(count).toBeGreaterThanOrEqual(30);
  });

  it('reads extensions after the credential public key', () => {
    const bytes = buildAuthenticatorData({
      ...base,
      attestedCredentialData: { aaguid: new Uint8Array(16), credentialId: new Uint8Array([1, 2]), credentialPublicKey: fromHex('a10102') },
      extensions: new Map([['credProtect', 2]]),
    });
    const parsed = parseAuthenticatorData(bytes);
    expect(parsed.flags).toBe(0xc1);
    expect(parsed.attestedCredentialData!.credentialPublicKey).toEqual(fromHex('a10102'));
    expect(parsed.extensions).toEqual(new Map([['credProtect', 2]]));
  });

  it.each([
    ['shorter than 37 bytes', () => new Uint8Array(36), /37 bytes/],
    ['AT set with no attested data', () => withFlags(0x41, ''), /truncated/],
    ['a credential id longer than the data', () => withFlags(0x41, '00'.repeat(16) + '0010' + '0102'), /credentialId is truncated/],
    ['bytes left over', () => withFlags(0x01, '00'), /left over/],
    ['ED set with no extensions', () => withFlags(0x81, ''), /end of data/],
    ['extensions that are not a map', () => withFlags(0x81, '01'), /map/],
  ])('refuses %s', (_, bytes, message) => {
    expect(() => parseAuthenticatorData(bytes())).toThrow(message);
  });
});

function withFlags(flags: number, rest: string): Uint8Array {
  return fromHex(toHex(rpIdHash) + flags.toString(16).padStart(2, '0') + '00000000' + rest);
}
