/**
 * Client extension processing (WebAuthn L3 §9, §10.1.4 prf, §10.1.5 largeBlob, §10.1.3 credProps):
 * checks the inputs, turns them into authenticator extension inputs, and turns the
 * authenticator's outputs into client extension outputs. Extensions Latchkey does not implement
 * never get this far (the page drops them), as "the client … MUST ignore" unsupported ones.
 */
import type { HmacSecretSalts } from '../authenticator/hmacSecret';
import type { GetAssertionRequest, GetAssertionResult, MakeCredentialRequest, MakeCredentialResult } from '../authenticator/types';
import { fromBase64url, isBase64url, toBase64url } from '../webauthn/base64url';
import { concat, sha256, utf8 } from '../webauthn/bytes';
import { CeremonyError } from '../webauthn/errors';
import type { ExtensionInputsJSON, ExtensionOutputsJSON, PrfValuesJSON, PublicKeyCredentialDescriptorJSON } from '../webauthn/types';

const PRF_SALT_PREFIX = concat(utf8('WebAuthn PRF'), new Uint8Array([0]));

/** §10.1.4: "Let salt1 be the value of SHA-256(UTF8Encode("WebAuthn PRF") || 0x00 || ev.first)", and salt2 likewise from ev.second. */
export function prfSalts(values: PrfValuesJSON): HmacSecretSalts {
  const salt = (input: string) => sha256(concat(PRF_SALT_PREFIX, fromBase64url(input)));
  return values.second === undefined ? [salt(values.first)] : [salt(values.first), salt(values.second)];
}

function prfResults(outputs: Uint8Array[]): PrfValuesJSON {
  const [first, second] = outputs.map(toBase64url);
  return { first: first!, ...(second !== undefined ? { second } : {}) };
}

/** Registration: the authenticator extension inputs, after the client's checks. */
export function creationExtensions(inputs: ExtensionInputsJSON | undefined): MakeCredentialRequest['extensions'] {
  const out: NonNullable<MakeCredentialRequest['extensions']> = {};
  if (inputs?.prf) {
    // §10.1.4 registration: "If evalByCredential is present, return a DOMException whose name is NotSupportedError."
    if (inputs.prf.evalByCredential !== undefined) throw new CeremonyError('extension-not-supported', 'prf.evalByCredential is for authentication only');
    out.hmacSecret = inputs.prf.eval ? { salts: prfSalts(inputs.prf.eval) } : {};
  }
  if (inputs?.largeBlob) {
    // §10.1.5 registration: "If read or write is present: Return a DOMException whose name is NotSupportedError."
    if (inputs.largeBlob.read !== undefined || inputs.largeBlob.write !== undefined) {
      throw new CeremonyError('extension-not-supported', 'largeBlob read and write are for authentication only');
    }
    out.largeBlobKey = true;
  }
  return out;
}

export function creationExtensionOutputs(inputs: ExtensionInputsJSON | undefined, result: MakeCredentialResult): ExtensionOutputsJSON {
  const outputs: ExtensionOutputsJSON = {};
  // credProps: "rk … the Resident Key credential property", reported truthfully.
  if (inputs?.credProps === true) outputs.credProps = { rk: result.residentKey };
  if (inputs?.prf) {
    const hmacSecret = result.extensions.hmacSecret;
    outputs.prf = { enabled: hmacSecret?.enabled ?? false, ...(hmacSecret?.outputs ? { results: prfResults(hmacSecret.outputs) } : {}) };
  }
  if (inputs?.largeBlob) outputs.largeBlob = { supported: result.extensions.largeBlobSupported ?? false };
  return outputs;
}

/** Authentication: the authenticator extension inputs, after the client's checks. */
export function assertionExtensions(
  inputs: ExtensionInputsJSON | undefined,
  allowCredentials: PublicKeyCredentialDescriptorJSON[],
): GetAssertionRequest['extensions'] {
  const out: NonNullable<GetAssertionRequest['extensions']> = {};
  const prf = inputs?.prf;
  if (prf) {
    const byCredential = Object.entries(prf.evalByCredential ?? {});
    // §10.1.4: "If evalByCredential is not empty but allowCredentials is empty, return a DOMException whose name is NotSupportedError."
    if (byCredential.length > 0 && allowCredentials.length === 0) {
      throw new CeremonyError('extension-not-supported', 'prf.evalByCredential needs allowCredentials');
    }
    // "If any key in evalByCredential is the empty string, or is not a valid base64url encoding, or does not equal
    // the id of some element of allowCredentials after performing base64url decoding, then return a DOMException whose name is SyntaxError."
    const allowed = new Set(allowCredentials.map((descriptor) => toBase64url(fromBase64url(descriptor.id))));
    const salts = new Map<string, HmacSecretSalts>();
    for (const [key, values] of byCredential) {
      if (key === '' || !isBase64url(key) || !allowed.has(toBase64url(fromBase64url(key)))) {
        throw new CeremonyError('extension-syntax', `prf.evalByCredential key "${key.slice(0, 64)}" names no allowed credential`);
      }
      salts.set(toBase64url(fromBase64url(key)), prfSalts(values));
    }
    const fallback = prf.eval ? prfSalts(prf.eval) : undefined;
    out.hmacSecret = (credentialId) => salts.get(credentialId) ?? fallback;
  }
  const largeBlob = inputs?.largeBlob;
  if (largeBlob) {
    // §10.1.5 authentication: "If support is present, return a DOMException whose name is NotSupportedError."
    if (largeBlob.support !== undefined) throw new CeremonyError('extension-not-supported', 'largeBlob.support is for registration only');
    // "If both read and write are present, return a DOMException whose name is NotSupportedError."
    if (largeBlob.read !== undefined && largeBlob.write !== undefined) {
      throw new CeremonyError('extension-not-supported', 'largeBlob read and write cannot be asked together');
    }
    if (largeBlob.write !== undefined) {
      // "If write is present and allowCredentials does not contain exactly one element, return NotSupportedError."
      if (allowCredentials.length !== 1) throw new CeremonyError('extension-not-supported', 'largeBlob.write needs exactly one allowCredentials entry');
      out.largeBlob = { write: fromBase64url(largeBlob.write) };
    } else if (largeBlob.read === true) {
      out.largeBlob = { read: true };
    }
  }
  return out;
}

export function assertionExtensionOutputs(inputs: ExtensionInputsJSON | undefined, result: GetAssertionResult): ExtensionOutputsJSON {
  const outputs: ExtensionOutputsJSON = {};
  // "results" only when the authenticator evaluated the PRF; { prf: {} } otherwise (§10.1.4's examples).
  if (inputs?.prf) outputs.prf = result.extensions.hmacSecret ? { results: prfResults(result.extensions.hmacSecret) } : {};
  if (inputs?.largeBlob) {
    const { largeBlob, largeBlobWritten } = result.extensions;
    outputs.largeBlob = {
      ...(largeBlob ? { blob: toBase64url(largeBlob) } : {}),
      ...(largeBlobWritten !== undefined ? { written: largeBlobWritten } : {}),
    };
  }
  return outputs;
}
