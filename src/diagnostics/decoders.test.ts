/**
 * The decoders against the WebAuthn Level 3 test vectors (/work/shared/vectors): every value
 * they show is checked against the vector's own bytes.
 */
import { describe, expect, it } from 'vitest';
import { webauthnTestVector, webauthnTestVectors } from '../../test/vectors';
import { toBase64url } from '../webauthn/base64url';
import { AuthenticatorDataFlag } from '../webauthn/authenticatorData';
import { sha256, toHex, utf8 } from '../webauthn/bytes';
import { decodeAttestationObject } from './decodeAttestationObject';
import { decodeAuthenticatorData } from './decodeAuthenticatorData';
import { decodeClientData } from './decodeClientData';
import { decodeExtensions } from './decodeExtensions';
import { decodeResponse } from './decodeResponse';

const RP_ID = 'example.org';
const ORIGIN = 'https://example.org';

function uuid(bytes: Uint8Array): string {
  const hex = toHex(bytes);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

describe('decodeClientData', () => {
  it('reads type, challenge (base64url and length) and origin of the none.ES256 registration', () => {
    const { registration } = webauthnTestVector('none.ES256');
    const decoded = decodeClientData(registration.clientDataJSON!, { type: 'webauthn.create', origin: ORIGIN });
    expect(decoded.type).toBe('webauthn.create');
    expect(decoded.origin).toBe(ORIGIN);
    expect(decoded.challenge).toEqual({
      base64url: toBase64url(registration.challenge!),
      length: registration.challenge!.length,
    });
    expect(decoded.problems).toEqual([]);
  });

  it('reads crossOrigin and topOrigin where the vectors set them', () => {
    const cross = decodeClientData(webauthnTestVector('none.ES256.crossOrigin').registration.clientDataJSON!);
    expect(cross.crossOrigin).toBe(true);
    const top = decodeClientData(webauthnTestVector('none.ES256.topOrigin').registration.clientDataJSON!);
    expect(top.topOrigin).toMatch(/^https:\/\//);
  });

  it('names a type or origin that is not the expected one', () => {
    const { authentication } = webauthnTestVector('none.ES256');
    const decoded = decodeClientData(authentication.clientDataJSON!, {
      type: 'webauthn.create',
      origin: 'https://other.example',
    });
    expect(decoded.problems).toEqual([
      'type is "webauthn.get", expected "webauthn.create".',
      'origin is https://example.org, the page was https://other.example.',
    ]);
  });
});

describe('decodeAuthenticatorData', () => {
  it.each([...webauthnTestVectors().keys()])(
    '%s: assertion authenticatorData, rpIdHash checked, flags from the vector\u2019s bits',
    (label) => {
      const { authentication } = webauthnTestVector(label);
      const bytes = authentication.authenticatorData!;
      const decoded = decodeAuthenticatorData(bytes, RP_ID);
      expect(decoded.bytes).toEqual({ base64url: toBase64url(bytes), length: bytes.length });
      expect(decoded.rpIdHash.base64url).toBe(toBase64url(sha256(utf8(RP_ID))));
      expect(decoded.rpIdHashMatches).toBe(true);
      const flags = bytes[32]!;
      expect(decoded.flags).toEqual({
        UP: (flags & AuthenticatorDataFlag.UP) !== 0,
        UV: (flags & AuthenticatorDataFlag.UV) !== 0,
        BE: (flags & AuthenticatorDataFlag.BE) !== 0,
        BS: (flags & AuthenticatorDataFlag.BS) !== 0,
        AT: false,
        ED: false,
        byte: flags,
      });
      expect(decoded.signCount).toBe(new DataView(bytes.buffer, bytes.byteOffset).getUint32(33));
    },
  );

  it('says when the rpIdHash belongs to another rpId', () => {
    const decoded = decodeAuthenticatorData(webauthnTestVector('none.ES256').authentication.authenticatorData!, 'example.com');
    expect(decoded.rpIdHashMatches).toBe(false);
    expect(decoded.problems[0]).toMatch(/not the SHA-256 of "example.com"/);
  });

  it('reads authenticator extension outputs (ED) as JSON', () => {
    // rpIdHash, flags UP|ED, counter 1, then {"credProtect": 2}.
    const bytes = new Uint8Array([...sha256(utf8(RP_ID)), 0x81, 0, 0, 0, 1, 0xa1, 0x6b, ...utf8('credProtect'), 0x02]);
    const decoded = decodeAuthenticatorData(bytes, RP_ID);
    expect(decoded.flags.ED).toBe(true);
    expect(decoded.extensions).toEqual({ credProtect: 2 });
    expect(decodeExtensions(decoded.extensions)).toEqual([
      { name: 'credProtect', meaning: 'Credential protection level 2.', value: 2 },
    ]);
  });
});

describe('decodeAttestationObject', () => {
  const expected: Record<string, { fmt: string; kty: string; alg: string; crv?: string; certificates: number }> = {
    'none.ES256': { fmt: 'none', kty: 'EC2', alg: 'ES256', crv: 'P-256', certificates: 0 },
    'packed-self.ES256': { fmt: 'packed', kty: 'EC2', alg: 'ES256', crv: 'P-256', certificates: 0 },
    'packed.ES256': { fmt: 'packed', kty: 'EC2', alg: 'ES256', crv: 'P-256', certificates: 1 },
    'packed.ES384': { fmt: 'packed', kty: 'EC2', alg: 'ES384', crv: 'P-384', certificates: 1 },
    'packed.ES512': { fmt: 'packed', kty: 'EC2', alg: 'ES512', crv: 'P-521', certificates: 1 },
    'packed.RS256': { fmt: 'packed', kty: 'RSA', alg: 'RS256', certificates: 1 },
    'packed.EdDSA': { fmt: 'packed', kty: 'OKP', alg: 'EdDSA', crv: 'Ed25519', certificates: 1 },
    'tpm.ES256': { fmt: 'tpm', kty: 'EC2', alg: 'ES256', crv: 'P-256', certificates: 1 },
    'fido-u2f.ES256': { fmt: 'fido-u2f', kty: 'EC2', alg: 'ES256', crv: 'P-256', certificates: 1 },
  };

  it.each(Object.entries(expected))('%s: fmt, statement, AAGUID, credential ID and COSE key', (label, want) => {
    const { registration } = webauthnTestVector(label);
    const decoded = decodeAttestationObject(registration.attestationObject!, RP_ID);
    expect(decoded.fmt).toBe(want.fmt);
    expect(decoded.certificateCount).toBeGreaterThanOrEqual(want.certificates);
    expect(decoded.certificateCount > 0).toBe(want.certificates > 0);
    expect(decoded.authData.rpIdHashMatches).toBe(true);
    expect(decoded.authData.flags.AT).toBe(true);
    const attested = decoded.authData.attestedCredentialData!;
    expect(attested.aaguid).toBe(uuid(registration.aaguid!));
    expect(attested.credentialId).toEqual({
      base64url: toBase64url(registration.credential_id!),
      length: registration.credential_id!.length,
    });
    expect(attested.publicKey.ktyName).toBe(want.kty);
    expect(attested.publicKey.algName).toBe(want.alg);
    expect(attested.publicKey.crvName).toBe(want.crv);
    expect(decoded.problems).toEqual([]);
  });

  it('shows the packed statement\u2019s alg and signature as base64url with its length', () => {
    const decoded = decodeAttestationObject(webauthnTestVector('packed-self.ES256').registration.attestationObject!, RP_ID);
    expect(decoded.attStmtAlg).toBe(-7);
    expect(decoded.attStmt.sig).toMatchObject({ base64url: expect.any(String), length: expect.any(Number) });
  });

  it('keeps a 1023-byte credential ID whole', () => {
    const { registration } = webauthnTestVector('none.ES256.long-credential-id');
    const decoded = decodeAttestationObject(registration.attestationObject!, RP_ID);
    expect(decoded.authData.attestedCredentialData!.credentialId.length).toBe(registration.credential_id!.length);
  });
});

describe('decodeResponse', () => {
  it('decodes a registration response JSON part by part', () => {
    const { registration } = webauthnTestVector('none.ES256');
    const decoded = decodeResponse(
      {
        id: toBase64url(registration.credential_id!),
        rawId: toBase64url(registration.credential_id!),
        type: 'public-key',
        clientExtensionResults: { credProps: { rk: true } },
        response: {
          clientDataJSON: toBase64url(registration.clientDataJSON!),
          attestationObject: toBase64url(registration.attestationObject!),
        },
      },
      { rpId: RP_ID, origin: ORIGIN, operation: 'create' },
    );
    expect(decoded.errors).toEqual([]);
    expect(decoded.credentialId!.length).toBe(registration.credential_id!.length);
    expect(decoded.attestationObject!.fmt).toBe('none');
    expect(decoded.authenticatorData).toBe(decoded.attestationObject!.authData);
    expect(decoded.clientExtensionResults).toEqual([
      { name: 'credProps', meaning: 'The passkey is discoverable (stored on the authenticator).', value: { rk: true } },
    ]);
  });

  it('an undecodable part is named, and does not hide the others', () => {
    const { authentication } = webauthnTestVector('none.ES256');
    const decoded = decodeResponse(
      {
        response: {
          clientDataJSON: toBase64url(authentication.clientDataJSON!),
          authenticatorData: 'AAAA',
          signature: toBase64url(authentication.signature!),
        },
      },
      { rpId: RP_ID, origin: ORIGIN, operation: 'get' },
    );
    expect(decoded.errors).toEqual(['authenticatorData: authenticatorData is shorter than 37 bytes']);
    expect(decoded.clientData!.type).toBe('webauthn.get');
    expect(decoded.signature!.length).toBe(authentication.signature!.length);
  });
});
