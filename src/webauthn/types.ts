/**
 * Shapes every layer shares. The JSON forms are the WebAuthn Level 3
 * `PublicKeyCredential*JSON` dictionaries: binary members as base64url strings.
 * They are what crosses every message boundary (page ⇄ bridge ⇄ service worker).
 */

export type Base64URLString = string;

/** COSE algorithm identifiers (IANA "COSE Algorithms" registry). */
export const COSEAlgorithm = {
  ES256: -7,
  EdDSA: -8,
  RS256: -257,
} as const;
export type COSEAlgorithmIdentifier = number;

export type AuthenticatorTransport = 'usb' | 'nfc' | 'ble' | 'smart-card' | 'hybrid' | 'internal';
export type UserVerificationRequirement = 'required' | 'preferred' | 'discouraged';
export type ResidentKeyRequirement = 'required' | 'preferred' | 'discouraged';
export type AttestationConveyancePreference = 'none' | 'indirect' | 'direct' | 'enterprise';
export type CredentialMediationRequirement = 'silent' | 'optional' | 'conditional' | 'required';

export interface PublicKeyCredentialDescriptorJSON {
  type: string;
  id: Base64URLString;
  transports?: string[];
}

/** AuthenticationExtensionsPRFValues (WebAuthn L3 §10.1.4), binary members as base64url. */
export interface PrfValuesJSON {
  first: Base64URLString;
  second?: Base64URLString;
}

/**
 * The extension inputs Latchkey carries across the boundary (unknown ones are dropped in the
 * page, as "the client … MUST ignore any extensions it does not support").
 */
export interface ExtensionInputsJSON {
  credProps?: boolean;
  prf?: { eval?: PrfValuesJSON; evalByCredential?: Record<string, PrfValuesJSON> };
  largeBlob?: { support?: string; read?: boolean; write?: Base64URLString };
}

/** Client extension outputs in JSON form (binary members as base64url, as toJSON() gives them). */
export interface ExtensionOutputsJSON {
  credProps?: { rk: boolean };
  prf?: { enabled?: boolean; results?: PrfValuesJSON };
  largeBlob?: { supported?: boolean; blob?: Base64URLString; written?: boolean };
}

export interface PublicKeyCredentialCreationOptionsJSON {
  rp: { id?: string; name: string };
  user: { id: Base64URLString; name: string; displayName: string };
  challenge: Base64URLString;
  pubKeyCredParams: { type: string; alg: COSEAlgorithmIdentifier }[];
  timeout?: number;
  excludeCredentials?: PublicKeyCredentialDescriptorJSON[];
  authenticatorSelection?: {
    authenticatorAttachment?: string;
    residentKey?: string;
    requireResidentKey?: boolean;
    userVerification?: string;
  };
  hints?: string[];
  attestation?: string;
  attestationFormats?: string[];
  extensions?: ExtensionInputsJSON;
}

export interface PublicKeyCredentialRequestOptionsJSON {
  challenge: Base64URLString;
  timeout?: number;
  rpId?: string;
  allowCredentials?: PublicKeyCredentialDescriptorJSON[];
  userVerification?: string;
  hints?: string[];
  extensions?: ExtensionInputsJSON;
}

/** What RegistrationResponseJSON and AuthenticationResponseJSON share. */
interface PublicKeyCredentialJSON {
  id: Base64URLString;
  rawId: Base64URLString;
  type: 'public-key';
  authenticatorAttachment: 'platform' | 'cross-platform' | null;
  clientExtensionResults: ExtensionOutputsJSON;
}

export interface RegistrationResponseJSON extends PublicKeyCredentialJSON {
  response: {
    clientDataJSON: Base64URLString;
    attestationObject: Base64URLString;
    authenticatorData: Base64URLString;
    transports: AuthenticatorTransport[];
    publicKey?: Base64URLString; // SPKI DER, absent when the algorithm has no SPKI form
    publicKeyAlgorithm: COSEAlgorithmIdentifier;
  };
}

export interface AuthenticationResponseJSON extends PublicKeyCredentialJSON {
  response: {
    clientDataJSON: Base64URLString;
    authenticatorData: Base64URLString;
    signature: Base64URLString;
    userHandle?: Base64URLString;
  };
}
