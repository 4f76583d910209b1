import { makeCredential } from '../authenticator/makeCredential';
import type { MakeCredentialResult } from '../authenticator/types';
import { fromBase64url, toBase64url } from '../webauthn/base64url';
import { sha256 } from '../webauthn/bytes';
import { CeremonyError } from '../webauthn/errors';
import type { ExtensionInputsJSON, PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON } from '../webauthn/types';
import { type CallerContext, type CeremonyOutcome, clampTimeout, runCeremony, wantsUserVerification } from './ceremony';
import { clientDataJSONFor } from './clientData';
import { type ClientEnvironment, observe, withSecurityKey } from './clientEnvironment';
import { creationExtensionOutputs, creationExtensions } from './extensions';
import { resolveRpIdWithRelatedOrigins, type WellKnownFetcher } from './relatedOrigins';

/** "If pubKeyCredParams's size is zero: append ES256 and RS256" (WebAuthn L3 §5.1.3 step 10). */
const DEFAULT_CRED_PARAMS = [
  { type: 'public-key', alg: -7 },
  { type: 'public-key', alg: -257 },
];

const RESIDENT_KEY_VALUES = ['required', 'preferred', 'discouraged'];

export interface CreateRequest {
  options: PublicKeyCredentialCreationOptionsJSON;
  caller: CallerContext;
  signal?: AbortSignal;
  /** Fetches an rpId's /.well-known/webauthn for related origin requests; absent, they are refused. */
  fetchWellKnown?: WellKnownFetcher;
}

/**
 * The client half of [[Create]] (WebAuthn L3 §5.1.3): checks the options against the caller,
 * builds clientDataJSON, runs authenticatorMakeCredential and assembles the response.
 */
export async function createCredential(
  env: ClientEnvironment,
  { options, caller, signal, fetchWellKnown }: CreateRequest,
): Promise<CeremonyOutcome<RegistrationResponseJSON>> {
  // Step 5: "If the length of options.user.id is not between 1 and 64 bytes (inclusive) then throw a TypeError."
  const userId = fromBase64url(options.user.id);
  if (userId.length < 1 || userId.length > 64) throw new CeremonyError('user-id-length', `${userId.length} bytes`);

  const rpId = await resolveRpIdWithRelatedOrigins(caller.origin, options.rp.id, fetchWellKnown);

  // Step 10: keep the entries whose type the client knows; none at all is NotSupportedError.
  const requested = options.pubKeyCredParams.length === 0 ? DEFAULT_CRED_PARAMS : options.pubKeyCredParams;
  const pubKeyCredParams = requested.filter((param) => param.type === 'public-key');
  if (pubKeyCredParams.length === 0) throw new CeremonyError('no-supported-credential-type');

  const selection = options.authenticatorSelection ?? {};
  // WebAuthn L3 §5.4.4 residentKey: "If no value is given then the effective value is required
  // if requireResidentKey is true or discouraged if it is false or absent", and a value the
  // client does not know is treated as absent. "required" and "preferred" make a discoverable
  // credential, "discouraged" does not (Chromium answers credProps.rk the same way).
  const residentKey = RESIDENT_KEY_VALUES.includes(selection.residentKey ?? '')
    ? selection.residentKey
    : selection.requireResidentKey
      ? 'required'
      : 'discouraged';
  const canKeepResidentKey = env.residentKeyAvailable ?? true;
  if (residentKey === 'required' && !canKeepResidentKey) throw new CeremonyError('resident-key-unsupported');
  const wantsResidentKey = residentKey !== 'discouraged' && canKeepResidentKey;
  const uv = wantsUserVerification(selection.userVerification, env.userVerificationAvailable);

  const extensions = creationExtensions(options.extensions);
  const clientDataJSON = clientDataJSONFor('webauthn.create', options.challenge, caller);
  const clientDataHash = await sha256(clientDataJSON);
  const excludeList = (options.excludeCredentials ?? [])
    .filter((descriptor) => descriptor.type === 'public-key')
    .map((descriptor) => ({ type: descriptor.type, id: fromBase64url(descriptor.id) }));
  // RPs list every passkey of the user here: one of Latchkey's that is missing is evidence the site forgot it.
  await observe(
    env.orphans?.observeCreate({
      rpId,
      userHandle: userId,
      excludeIds: (options.excludeCredentials ?? []).map((descriptor) => descriptor.id),
      origin: caller.origin,
    }),
  );

  return runCeremony(
    clampTimeout(options.timeout),
    signal,
    (ceremonySignal) => {
      const request = {
        clientDataHash,
        rp: { id: rpId, name: options.rp.name },
        user: { id: userId, name: options.user.name, displayName: options.user.displayName },
        pubKeyCredParams,
        excludeList,
        options: { rk: wantsResidentKey, uv },
        attestation: attestationFormatFor(options.attestation),
        extensions,
        signal: ceremonySignal,
      };
      // A security key verifies with its own PIN, and keeps a discoverable credential whenever the site prefers one.
      return withSecurityKey(
        env,
        (key, pin, onTouch) =>
          key.makeCredential(
            { ...request, options: { rk: residentKey !== 'discouraged', uv: pin !== undefined }, extensions: {} },
            pin,
            onTouch,
          ),
        (ceremonyEnv) => makeCredential(ceremonyEnv, request),
      );
    },
    (result) => toRegistrationResponse(result, clientDataJSON, options.extensions),
  );
}

/**
 * WebAuthn L3 §5.4.7 AttestationConveyancePreference. "none" (and any value the client does not
 * know, which the spec says to treat as absent, i.e. "none") gets "none". "direct" and
 * "enterprise" get a "packed" self attestation, the only statement Latchkey can honestly make
 * (it has no attestation key, so no x5c and nothing enterprise-identifying). "indirect" lets
 * the client choose; a self attestation identifies nobody, so Latchkey passes it on as
 * Chromium does (the differential suite checks this).
 */
function attestationFormatFor(preference: string | undefined): 'none' | 'packed' {
  return preference === 'direct' || preference === 'enterprise' || preference === 'indirect' ? 'packed' : 'none';
}

function toRegistrationResponse(
  result: MakeCredentialResult,
  clientDataJSON: Uint8Array,
  extensions: ExtensionInputsJSON | undefined,
): RegistrationResponseJSON {
  const clientExtensionResults = creationExtensionOutputs(extensions, result);
  const id = toBase64url(result.credentialId);
  return {
    id,
    rawId: id,
    type: 'public-key',
    authenticatorAttachment: result.transport === 'usb' ? 'cross-platform' : 'platform',
    clientExtensionResults,
    response: {
      clientDataJSON: toBase64url(clientDataJSON),
      attestationObject: toBase64url(result.attestationObject),
      authenticatorData: toBase64url(result.authenticatorData),
      transports: [result.transport ?? 'internal'],
      publicKey: toBase64url(result.publicKeySpki),
      publicKeyAlgorithm: result.algorithm,
    },
  };
}
