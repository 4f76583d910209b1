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
import type { AuthenticationResponseJSON, ExtensionOutputsJSON, RegistrationResponseJSON } from '../src/webauthn/types';

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

/**
 * getClientExtensionResults() gives the binary outputs as ArrayBuffers (prf results, the
 * largeBlob blob); toJSON() keeps them base64url, as PublicKeyCredential's own toJSON() does.
 * Each call returns fresh objects, so a page cannot tamper with what the next call sees.
 */
function extensionResultsForPage(json: ExtensionOutputsJSON): AuthenticationExtensionsClientOutputs {
  const results: Record<string, unknown> = JSON.parse(JSON.stringify(json));
  if (json.prf?.results) {
    const { first, second } = json.prf.results;
    (results.prf as Record<string, unknown>).results = { first: buffer(first), ...(second !== undefined ? { second: buffer(second) } : {}) };
  }
  if (json.largeBlob?.blob !== undefined) (results.largeBlob as Record<string, unknown>).blob = buffer(json.largeBlob.blob);
  return results as AuthenticationExtensionsClientOutputs;
}

function credential(
  json: RegistrationResponseJSON | AuthenticationResponseJSON,
  response: AuthenticatorResponse,
): PublicKeyCredential {
  const rawId = buffer(json.rawId);
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
      getClientExtensionResults: () => extensionResultsForPage(json.clientExtensionResults),
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
