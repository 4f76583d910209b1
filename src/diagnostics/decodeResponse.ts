import { fromBase64url } from '../webauthn/base64url';
import { type BinaryView, binary } from './binary';
import { type DecodedAttestationObject, decodeAttestationObject } from './decodeAttestationObject';
import { type DecodedAuthenticatorData, decodeAuthenticatorData } from './decodeAuthenticatorData';
import { type DecodedClientData, decodeClientData } from './decodeClientData';
import { type DecodedExtension, decodeExtensions } from './decodeExtensions';
import type { ResponseJSONLike } from './record';

export interface DecodedResponse {
  credentialId?: BinaryView;
  authenticatorAttachment?: string | null;
  transports?: string[];
  clientData?: DecodedClientData;
  authenticatorData?: DecodedAuthenticatorData;
  attestationObject?: DecodedAttestationObject;
  signature?: BinaryView;
  userHandle?: BinaryView;
  clientExtensionResults: DecodedExtension[];
  authenticatorExtensions: DecodedExtension[];
  /** Parts that could not be decoded, with why. */
  errors: string[];
}

function bytesOf(value: unknown): Uint8Array | undefined {
  return typeof value === 'string' ? fromBase64url(value) : undefined;
}

/** A response's public JSON form (toJSON()), decoded part by part; a part that fails does not hide the others. */
export function decodeResponse(
  json: ResponseJSONLike,
  expected: { rpId: string | null; origin?: string; operation: 'create' | 'get' },
): DecodedResponse {
  const response = json.response ?? {};
  const errors: string[] = [];
  const decoded: DecodedResponse = {
    clientExtensionResults: decodeExtensions(json.clientExtensionResults),
    authenticatorExtensions: [],
    errors,
  };
  const attempt = (part: string, run: () => void) => {
    try {
      run();
    } catch (error) {
      errors.push(`${part}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  attempt('id', () => {
    const id = bytesOf(json.rawId ?? json.id);
    if (id) decoded.credentialId = binary(id);
  });
  if (json.authenticatorAttachment !== undefined) decoded.authenticatorAttachment = json.authenticatorAttachment;
  if (Array.isArray(response.transports)) decoded.transports = response.transports.map(String);
  attempt('clientDataJSON', () => {
    const bytes = bytesOf(response.clientDataJSON);
    if (bytes) {
      decoded.clientData = decodeClientData(bytes, {
        type: expected.operation === 'create' ? 'webauthn.create' : 'webauthn.get',
        ...(expected.origin ? { origin: expected.origin } : {}),
      });
    }
  });
  attempt('attestationObject', () => {
    const bytes = bytesOf(response.attestationObject);
    if (bytes) decoded.attestationObject = decodeAttestationObject(bytes, expected.rpId);
  });
  attempt('authenticatorData', () => {
    const bytes = bytesOf(response.authenticatorData);
    if (bytes) decoded.authenticatorData = decodeAuthenticatorData(bytes, expected.rpId);
    else if (decoded.attestationObject) decoded.authenticatorData = decoded.attestationObject.authData;
  });
  attempt('signature', () => {
    const bytes = bytesOf(response.signature);
    if (bytes) decoded.signature = binary(bytes);
  });
  attempt('userHandle', () => {
    const bytes = bytesOf(response.userHandle);
    if (bytes) decoded.userHandle = binary(bytes);
  });
  decoded.authenticatorExtensions = decodeExtensions(decoded.authenticatorData?.extensions);
  return decoded;
}
