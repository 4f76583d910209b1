/**
 * The client's SecurityKeyAuthenticator over the native bridge: the requests the software
 * authenticator would take, sent to the host as JSON, and the key's CTAP answers turned into the
 * results the client assembles responses from.
 */
import { encodeAttestationObject } from '../authenticator/attestationObject';
import type { GetAssertionResult, MakeCredentialResult } from '../authenticator/types';
import type { SecurityKeyAuthenticator } from '../client/clientEnvironment';
import { parseAuthenticatorData } from '../webauthn/authenticatorData';
import { fromBase64url, toBase64url } from '../webauthn/base64url';
import { decode, type CborValue } from '../webauthn/cbor';
import { coseKeyAlgorithm, coseKeyToSpki } from '../webauthn/cose';
import type { NativeClient } from './nativeClient';
import { getAssertionResult, makeCredentialResult } from './protocol';

export function securityKeyAuthenticator(client: NativeClient): SecurityKeyAuthenticator {
  return {
    async isAvailable(): Promise<boolean> {
      try {
        await client.request({ kind: 'keys' });
        return true;
      } catch {
        return false;
      }
    },

    async makeCredential(request, pin, onTouch): Promise<MakeCredentialResult> {
      // Errors (wrong PIN, no key, excluded) go back to the prompt, which shows them and waits.
      const raw = await client.request(
        {
          kind: 'makeCredential',
          ...(pin !== undefined ? { pin } : {}),
          clientDataHash: toBase64url(request.clientDataHash),
          rp: request.rp,
          user: { id: toBase64url(request.user.id), name: request.user.name, displayName: request.user.displayName },
          pubKeyCredParams: request.pubKeyCredParams,
          excludeList: (request.excludeList ?? []).map((descriptor) => toBase64url(descriptor.id)),
          residentKey: request.options.rk,
        },
        { ...(request.signal ? { signal: request.signal } : {}), ...(onTouch ? { onTouch } : {}) },
      );
      const result = makeCredentialResult.parse(raw);
      const authenticatorData = fromBase64url(result.authData);
      const attested = parseAuthenticatorData(authenticatorData).attestedCredentialData;
      if (!attested) throw new Error('The security key answered without a credential.');
      const attStmt = decode(fromBase64url(result.attStmt));
      return {
        credentialId: attested.credentialId,
        authenticatorData,
        // WebAuthn's attestation object has text keys; CTAP's answer has 1 fmt, 2 authData, 3 attStmt.
        attestationObject: encodeAttestationObject(
          authenticatorData,
          result.fmt,
          Object.fromEntries(attStmt as Map<string, CborValue>),
        ),
        algorithm: coseKeyAlgorithm(attested.credentialPublicKey),
        publicKeyCose: attested.credentialPublicKey,
        publicKeySpki: await coseKeyToSpki(attested.credentialPublicKey),
        residentKey: request.options.rk,
        transport: 'usb',
        extensions: {},
      };
    },

    async getAssertion(request, pin, onTouch): Promise<GetAssertionResult> {
      const raw = await client.request(
        {
          kind: 'getAssertion',
          ...(pin !== undefined ? { pin } : {}),
          rpId: request.rpId,
          clientDataHash: toBase64url(request.clientDataHash),
          allowList: (request.allowList ?? []).map((descriptor) => toBase64url(descriptor.id)),
        },
        { ...(request.signal ? { signal: request.signal } : {}), ...(onTouch ? { onTouch } : {}) },
      );
      const result = getAssertionResult.parse(raw);
      return {
        credentialId: fromBase64url(result.credentialId),
        authenticatorData: fromBase64url(result.authData),
        signature: fromBase64url(result.signature),
        userHandle: result.userHandle ? fromBase64url(result.userHandle) : null,
        transport: 'usb',
        extensions: {},
      };
    },
  };
}
