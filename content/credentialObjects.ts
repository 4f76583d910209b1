/**
 * Turns the worker's JSON answer into objects that behave as the browser's own
 * PublicKeyCredential: `instanceof PublicKeyCredential`, `[object PublicKeyCredential]`,
 * the same ArrayBuffer on every read of rawId/clientDataJSON ([SameObject]), and the
 * Level 3 methods (getPublicKey, getAuthenticatorData, getTransports, toJSON …).
 *
 * The native accessors on PublicKeyCredential.prototype only work on objects the
 * browser made, so each object gets own accessors that shadow them; its prototype is
 * still the real one, so `instanceof`, `Symbol.toStringTag` and the statics are native.
 */
import { fromBase64url } from '../src/webauthn/base64url';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '../src/webauthn/types';

function buffer(base64url: string): ArrayBuffer {
  const bytes = fromBase64url(base64url);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** Defines enumerable getters and non-enumerable methods, as the IDL attributes and operations are. */
function define(target: object, getters: Record<string, () => unknown>, methods: Record<string, (...args: never[]) => unknown>): void {
  for (const [name, get] of Object.entries(getters)) {
    Object.defineProperty(target, name, { get, enumerable: true, configurable: true });
  }
  for (const [name, value] of Object.entries(methods)) {
    Object.defineProperty(target, name, { value, enumerable: false, configurable: true, writable: true });
  }
}

function credential(
  json: RegistrationResponseJSON | AuthenticationResponseJSON,
  response: AuthenticatorResponse,
): PublicKeyCredential {
  const rawId = buffer(json.rawId);
  const extensionResults = JSON.stringify(json.clientExtensionResults);
  const jsonText = JSON.stringify(json);
  const object = Object.create(PublicKeyCredential.prototype) as PublicKeyCredential;
  define(
    object,
    {
      id: () => json.id,
      rawId: () => rawId,
      type: () => json.type,
      response: () => response,
      authenticatorAttachment: () => json.authenticatorAttachment,
    },
    {
      getClientExtensionResults: () => JSON.parse(extensionResults),
      toJSON: () => JSON.parse(jsonText),
    },
  );
  return object;
}

export function registrationCredential(json: RegistrationResponseJSON): PublicKeyCredential {
  const clientDataJSON = buffer(json.response.clientDataJSON);
  const attestationObject = buffer(json.response.attestationObject);
  const authenticatorData = buffer(json.response.authenticatorData);
  const publicKey = json.response.publicKey === undefined ? null : buffer(json.response.publicKey);
  const response = Object.create(AuthenticatorAttestationResponse.prototype) as AuthenticatorAttestationResponse;
  define(
    response,
    { clientDataJSON: () => clientDataJSON, attestationObject: () => attestationObject },
    {
      getTransports: () => [...json.response.transports],
      // These return new copies: they are operations, not [SameObject] attributes.
      getAuthenticatorData: () => authenticatorData.slice(0),
      getPublicKey: () => publicKey?.slice(0) ?? null,
      getPublicKeyAlgorithm: () => json.response.publicKeyAlgorithm,
    },
  );
  return credential(json, response);
}

export function assertionCredential(json: AuthenticationResponseJSON): PublicKeyCredential {
  const clientDataJSON = buffer(json.response.clientDataJSON);
  const authenticatorData = buffer(json.response.authenticatorData);
  const signature = buffer(json.response.signature);
  const userHandle = json.response.userHandle === undefined ? null : buffer(json.response.userHandle);
  const response = Object.create(AuthenticatorAssertionResponse.prototype) as AuthenticatorAssertionResponse;
  define(
    response,
    {
      clientDataJSON: () => clientDataJSON,
      authenticatorData: () => authenticatorData,
      signature: () => signature,
      userHandle: () => userHandle,
    },
    {},
  );
  return credential(json, response);
}
