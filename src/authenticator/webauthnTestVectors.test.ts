/**
 * The authenticator against the WebAuthn Level 3 test vectors, byte for byte.
 *
 * The vectors' inputs reach the authenticator the way real ones do: the
 * credential private key and id through `randomBytes` (in that order), the
 * AAGUID and backup eligibility through the environment, user verification
 * through the user's answer, and clientDataJSON as its SHA-256 hash. The UV, BE
 * and BS bits come from the vectors' `auth_data_UV_BE_BS` / `auth_data_UV_BS`
 * bytes: "BS is set only if BE is".
 */
import { describe, expect, it } from 'vitest';
import { approve, fedRandomBytes, scriptedUser, testEnvironment } from '../../test/authenticatorEnvironment';
import { webauthnTestVector, type WebAuthnTestVector } from '../../test/vectors';
import { verifyES256 } from '../../test/verifyES256';
import { toBase64url } from '../webauthn/base64url';
import { AuthenticatorDataFlag, buildAuthenticatorData } from '../webauthn/authenticatorData';
import { concat, sha256, toHex, utf8 } from '../webauthn/bytes';
import { decode } from '../webauthn/cbor';
import type { CredentialRecord } from '../vault/credentialRecord';
import { encodeAttestationObject } from './attestationObject';
import { getAssertion } from './getAssertion';
import { es256 } from './keys';
import { makeCredential } from './makeCredential';
import type { AuthenticatorEnvironment, MakeCredentialResult } from './types';

/** Every ES256 example whose credential id is one the authenticator draws (32 bytes). */
const ES256_EXAMPLES = [
  'none.ES256',
  'packed-self.ES256',
  'none.ES256.crossOrigin',
  'none.ES256.topOrigin',
  'packed.ES256',
  'tpm.ES256',
  'android-key.ES256',
  'apple.ES256',
  'fido-u2f.ES256',
];

const RP = { id: 'example.org', name: 'Example' };

interface Bits {
  uv: boolean;
  be: boolean;
  bs: boolean;
}

function registrationBits(vector: WebAuthnTestVector): Bits {
  const bits = vector.registration.auth_data_UV_BE_BS?.[0] ?? 0;
  const be = (bits & AuthenticatorDataFlag.BE) !== 0;
  return { uv: (bits & AuthenticatorDataFlag.UV) !== 0, be, bs: be && (bits & AuthenticatorDataFlag.BS) !== 0 };
}

function authenticationBits(vector: WebAuthnTestVector): Bits {
  const bits = vector.authentication.auth_data_UV_BS![0]!;
  const { be } = registrationBits(vector);
  return { uv: (bits & AuthenticatorDataFlag.UV) !== 0, be, bs: be && (bits & AuthenticatorDataFlag.BS) !== 0 };
}

function expectedAttestation(vector: WebAuthnTestVector): { fmt: string; authData: Uint8Array } {
  const decoded = decode(vector.registration.attestationObject!) as Map<string, unknown>;
  return { fmt: decoded.get('fmt') as string, authData: decoded.get('authData') as Uint8Array };
}

async function register(
  vector: WebAuthnTestVector,
  attestation: 'none' | 'packed' = 'none',
): Promise<{ env: AuthenticatorEnvironment; result: MakeCredentialResult }> {
  const { registration } = vector;
  const { uv, be, bs } = registrationBits(vector);
  const env = testEnvironment({
    aaguid: registration.aaguid!,
    backupEligible: be,
    backupState: bs,
    randomBytes: fedRandomBytes(registration.credential_private_key!, registration.credential_id!),
    ui: scriptedUser(approve(uv)),
  });
  const result = await makeCredential(env, {
    clientDataHash: sha256(registration.clientDataJSON!),
    rp: RP,
    user: { id: new Uint8Array([1]), name: 'user', displayName: 'User' },
    pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
    options: { rk: true, uv },
    attestation,
  });
  return { env, result };
}

/**
 * The vectors authenticate with counter 0 and a backup state of their own:
 * the credential is one without a counter (as synced passkeys are), and its
 * backup state is what the vector says it is now.
 */
async function authenticate(env: AuthenticatorEnvironment, vector: WebAuthnTestVector, credentialId: Uint8Array) {
  const { authentication } = vector;
  const { uv, bs } = authenticationBits(vector);
  await env.store.update(toBase64url(credentialId), (record) => ({ ...record, signCount: null, backupState: bs }));
  env.ui = scriptedUser(approve(uv));
  return getAssertion(env, {
    rpId: RP.id,
    clientDataHash: sha256(authentication.clientDataJSON!),
    allowList: [{ type: 'public-key', id: credentialId }],
    options: { up: true, uv },
  });
}

describe('WebAuthn L3 test vectors', () => {
  it.each(ES256_EXAMPLES)('%s: registration authenticatorData, and the attestation object for "none"', async (label) => {
    const vector = webauthnTestVector(label);
    const { result } = await register(vector);
    const expected = expectedAttestation(vector);
    expect(toHex(result.authenticatorData)).toBe(toHex(expected.authData));
    expect(result.credentialId).toEqual(vector.registration.credential_id);
    if (expected.fmt === 'none') expect(toHex(result.attestationObject)).toBe(toHex(vector.registration.attestationObject!));
  });

  it.each(ES256_EXAMPLES)('%s: authentication authenticatorData and signature', async (label) => {
    const vector = webauthnTestVector(label);
    const { env, result } = await register(vector);
    const assertion = await authenticate(env, vector, result.credentialId);
    expect(toHex(assertion.authenticatorData)).toBe(toHex(vector.authentication.authenticatorData!));
    expect(toHex(assertion.signature)).toBe(toHex(vector.authentication.signature!));
    const signed = concat(assertion.authenticatorData, sha256(vector.authentication.clientDataJSON!));
    expect(await verifyES256(result.publicKeySpki, assertion.signature, signed)).toBe(true);
  });

  it('packed-self.ES256: makeCredential with packed attestation gives the whole self-attested attestation object', async () => {
    const vector = webauthnTestVector('packed-self.ES256');
    const { result } = await register(vector, 'packed');
    expect(toHex(result.attestationObject)).toBe(toHex(vector.registration.attestationObject!));
  });

  describe('none.ES256.long-credential-id (a 1023-byte credential id, which makeCredential never draws)', () => {
    const vector = webauthnTestVector('none.ES256.long-credential-id');

    it('registration: authenticatorData and attestation object from the same parts', async () => {
      const { registration } = vector;
      const { uv, be, bs } = registrationBits(vector);
      const key = await es256.generate(fedRandomBytes(registration.credential_private_key!));
      const authenticatorData = buildAuthenticatorData({
        rpIdHash: sha256(utf8(RP.id)),
        userPresent: true,
        userVerified: uv,
        backupEligible: be,
        backupState: bs,
        signCount: 0,
        attestedCredentialData: { aaguid: registration.aaguid!, credentialId: registration.credential_id!, credentialPublicKey: key.publicKeyCose },
      });
      expect(toHex(encodeAttestationObject(authenticatorData))).toBe(toHex(registration.attestationObject!));
    });

    it('authentication: getAssertion with the stored long-id credential', async () => {
      const { registration } = vector;
      const { be, bs } = registrationBits(vector);
      const key = await es256.generate(fedRandomBytes(registration.credential_private_key!));
      const env = testEnvironment();
      const record: CredentialRecord = {
        id: toBase64url(registration.credential_id!),
        credentialId: registration.credential_id!,
        rpId: RP.id,
        userHandle: new Uint8Array([1]),
        userName: 'user',
        userDisplayName: 'User',
        name: 'Example (user)',
        algorithm: -7,
        publicKeyCose: key.publicKeyCose,
        privateKeyPkcs8: key.privateKeyPkcs8,
        signCount: 0,
        discoverable: true,
        backupEligible: be,
        backupState: bs,
        createdAt: 0,
        lastUsedAt: null,
      };
      await env.store.add(record);
      const assertion = await authenticate(env, vector, record.credentialId);
      expect(toHex(assertion.authenticatorData)).toBe(toHex(vector.authentication.authenticatorData!));
      expect(toHex(assertion.signature)).toBe(toHex(vector.authentication.signature!));
      expect(assertion.credentialId).toEqual(registration.credential_id);
    });
  });
});
