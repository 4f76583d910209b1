import { getAssertion as authenticatorGetAssertion } from '../authenticator/getAssertion';
import type { GetAssertionResult } from '../authenticator/types';
import { fromBase64url, toBase64url } from '../webauthn/base64url';
import { sha256 } from '../webauthn/bytes';
import type { AuthenticationResponseJSON, ExtensionInputsJSON, PublicKeyCredentialRequestOptionsJSON } from '../webauthn/types';
import { type CallerContext, type CeremonyOutcome, clampTimeout, runCeremony, wantsUserVerification } from './ceremony';
import { clientDataJSONFor } from './clientData';
import { type ClientEnvironment, observe, withSecurityKey } from './clientEnvironment';
import { assertionExtensionOutputs, assertionExtensions } from './extensions';
import { resolveRpIdWithRelatedOrigins, type WellKnownFetcher } from './relatedOrigins';

export interface GetRequest {
  options: PublicKeyCredentialRequestOptionsJSON;
  caller: CallerContext;
  signal?: AbortSignal;
  /** Fetches an rpId's /.well-known/webauthn for related origin requests; absent, they are refused. */
  fetchWellKnown?: WellKnownFetcher;
  /** Hand the request to the browser when Latchkey holds no matching passkey (a user setting). */
  onlyWithMatchingPasskey?: boolean;
}

/**
 * The client half of [[DiscoverFromExternalSource]] (WebAuthn L3 §5.1.4): checks the rpId,
 * builds clientDataJSON, runs authenticatorGetAssertion and assembles the response.
 */
export async function getAssertion(
  env: ClientEnvironment,
  { options, caller, signal, fetchWellKnown, onlyWithMatchingPasskey }: GetRequest,
): Promise<CeremonyOutcome<AuthenticationResponseJSON>> {
  const rpId = await resolveRpIdWithRelatedOrigins(caller.origin, options.rpId, fetchWellKnown);
  const uv = wantsUserVerification(options.userVerification, env.userVerificationAvailable);

  const extensions = assertionExtensions(options.extensions, options.allowCredentials ?? []);
  const clientDataJSON = clientDataJSONFor('webauthn.get', options.challenge, caller);
  const clientDataHash = await sha256(clientDataJSON);
  // "If allowCredentials is not empty … credential descriptors whose type is not public-key are ignored."
  const allowList = (options.allowCredentials ?? [])
    .filter((descriptor) => descriptor.type === 'public-key')
    .map((descriptor) => ({ type: descriptor.type, id: fromBase64url(descriptor.id) }));
  if ((options.allowCredentials?.length ?? 0) > 0 && allowList.length === 0) {
    // Every listed descriptor was of an unknown type: nothing can match.
    allowList.push({ type: 'public-key', id: new Uint8Array(0) });
  }

  await observe(
    env.orphans?.observeGet({ rpId, allowIds: (options.allowCredentials ?? []).map((descriptor) => descriptor.id), origin: caller.origin }),
  );

  const outcome = await runCeremony(
    clampTimeout(options.timeout),
    signal,
    (ceremonySignal) => {
      const request = {
        rpId,
        clientDataHash,
        allowList,
        options: { up: true, uv },
        handOverWithoutCredentials: onlyWithMatchingPasskey === true,
        extensions,
        signal: ceremonySignal,
      };
      return withSecurityKey(
        env,
        (key, pin, onTouch) => key.getAssertion({ ...request, options: { up: true, uv: pin !== undefined }, extensions: {} }, pin, onTouch),
        (ceremonyEnv) => authenticatorGetAssertion(ceremonyEnv, request),
      );
    },
    (result) => toAuthenticationResponse(result, clientDataJSON, options.extensions),
  );
  if (outcome.kind === 'credential') {
    await observe(env.orphans?.observeAssertion({ rpId, credentialId: outcome.credential.id, origin: caller.origin }));
  }
  return outcome;
}

function toAuthenticationResponse(
  result: GetAssertionResult,
  clientDataJSON: Uint8Array,
  extensions: ExtensionInputsJSON | undefined,
): AuthenticationResponseJSON {
  const id = toBase64url(result.credentialId);
  return {
    id,
    rawId: id,
    type: 'public-key',
    authenticatorAttachment: result.transport === 'usb' ? 'cross-platform' : 'platform',
    clientExtensionResults: assertionExtensionOutputs(extensions, result),
    response: {
      clientDataJSON: toBase64url(clientDataJSON),
      authenticatorData: toBase64url(result.authenticatorData),
      signature: toBase64url(result.signature),
      ...(result.userHandle ? { userHandle: toBase64url(result.userHandle) } : {}),
    },
  };
}
