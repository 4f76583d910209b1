/**
 * authenticatorMakeCredential (CTAP 2.1 §6.1; WebAuthn L3 §6.3.2) for a
 * software authenticator that keeps every credential it creates.
 */
import { toBase64url } from '../webauthn/base64url';
import { buildAuthenticatorData } from '../webauthn/authenticatorData';
import { concat, equalBytes, sha256, utf8 } from '../webauthn/bytes';
import type { CredentialRecord } from '../vault/credentialRecord';
import { ensureNotCancelled, requireApproval } from './approval';
import { encodeAttestationObject } from './attestationObject';
import { CRED_RANDOM_LENGTH, hmacSecretOutputs } from './hmacSecret';
import { credentialAlgorithms, type CredentialAlgorithm } from './keys';
import {
  AnotherAuthenticatorChosen,
  CtapError,
  type AuthenticatorEnvironment,
  type MakeCredentialRequest,
  type MakeCredentialResult,
} from './types';

/** 32 random bytes: unguessable, and short enough for every RP's storage (the spec allows up to 1023). */
const CREDENTIAL_ID_LENGTH = 32;

/**
 * Creates a credential after the user approves it.
 *
 * Randomness is drawn in the order the WebAuthn test vectors derive it: first the
 * private key (32 bytes, drawn again only if outside [1, n-1]), then the
 * credential ID (32 bytes).
 *
 * Counter policy: a device-bound credential keeps a signature counter starting
 * at 0; a backup-eligible (synced) one keeps none (`signCount: null`, always
 * reporting 0), because copies on several devices cannot share one counter and
 * an RP would read their divergence as cloning.
 */
export async function makeCredential(
  env: AuthenticatorEnvironment,
  request: MakeCredentialRequest,
): Promise<MakeCredentialResult> {
  const { rp, user, options, signal } = request;
  const algorithm = chooseAlgorithm(request.pubKeyCredParams);

  // CTAP 2.0 authenticatorMakeCredential: "If the option is known but not supported, terminate this procedure and return CTAP2_ERR_UNSUPPORTED_OPTION."
  if (options.uv && !env.userVerificationAvailable) {
    throw new CtapError('CTAP2_ERR_UNSUPPORTED_OPTION', 'User verification was requested but this authenticator cannot verify the user.');
  }

  await refuseExcludedCredential(env, request);

  const suggestedName = `${rp.name || rp.id} (${user.name})`;
  const approval = requireApproval(
    await env.ui.prompt(
      {
        kind: 'request-new-credential',
        rpId: rp.id,
        rpName: rp.name,
        userName: user.name,
        userDisplayName: user.displayName,
        suggestedName,
        userVerification: options.uv,
      },
      signal,
    ),
    options.uv,
  );
  ensureNotCancelled(signal);

  const key = await algorithm.generate(env.randomBytes);
  const credentialId = env.randomBytes(CREDENTIAL_ID_LENGTH);
  // Drawn after the key and id, so the spec vectors' order of randomness holds.
  const prfSecret = request.extensions?.hmacSecret ? env.randomBytes(CRED_RANDOM_LENGTH) : undefined;
  const largeBlobSupported = request.extensions?.largeBlobKey === true && options.rk;
  const backupEligible = env.backupEligible ?? false;
  // WebAuthn L3 §6.1.3: BE 0 with BS 1 "is not allowed".
  const backupState = backupEligible && (env.backupState ?? backupEligible);

  // Everything that can fail is built before anything is stored.
  const authenticatorData = buildAuthenticatorData({
    rpIdHash: sha256(utf8(rp.id)),
    // The approval prompt is the test of user presence.
    userPresent: !env.responseOverrides?.badUP,
    userVerified: approval.verified && !env.responseOverrides?.badUV,
    backupEligible,
    backupState,
    // A new credential's counter starts at 0, and one without a counter always reports 0.
    signCount: 0,
    attestedCredentialData: { aaguid: env.aaguid, credentialId, credentialPublicKey: key.publicKeyCose },
  });
  const attestationObject =
    request.attestation === 'packed'
      ? await selfAttestation(algorithm, key.privateKeyPkcs8, authenticatorData, request.clientDataHash)
      : encodeAttestationObject(authenticatorData);

  const record: CredentialRecord = {
    id: toBase64url(credentialId),
    credentialId,
    rpId: rp.id,
    // A copy: the caller's id may be a view into a larger buffer, which structured clone would store whole.
    userHandle: user.id.slice(),
    userName: user.name,
    userDisplayName: user.displayName,
    name: approval.name?.trim() || suggestedName,
    algorithm: algorithm.alg,
    publicKeyCose: key.publicKeyCose,
    privateKeyPkcs8: key.privateKeyPkcs8,
    signCount: backupEligible ? null : 0,
    discoverable: options.rk,
    backupEligible,
    backupState,
    ...(prfSecret ? { prfSecret } : {}),
    ...(largeBlobSupported ? { largeBlobSupported } : {}),
    createdAt: env.now(),
    lastUsedAt: null,
  };
  await storeReplacingResidentCredential(env, record);

  return {
    credentialId,
    authenticatorData,
    attestationObject,
    algorithm: algorithm.alg,
    publicKeyCose: key.publicKeyCose,
    publicKeySpki: key.publicKeySpki,
    residentKey: options.rk,
    extensions: {
      ...(request.extensions?.hmacSecret
        ? {
            hmacSecret: {
              enabled: true,
              ...(request.extensions.hmacSecret.salts ? { outputs: hmacSecretOutputs(prfSecret!, request.extensions.hmacSecret.salts) } : {}),
            },
          }
        : {}),
      ...(request.extensions?.largeBlobKey !== undefined ? { largeBlobSupported } : {}),
    },
  };
}

/**
 * WebAuthn L3 §8.2 "Packed Attestation Statement Format", self attestation: "If self
 * attestation is in use, the authenticator produces sig by concatenating authenticatorData
 * and clientDataHash, and signing the result using the credential private key. It sets alg
 * to the algorithm of the credential private key and omits the other fields."
 */
async function selfAttestation(
  algorithm: CredentialAlgorithm,
  privateKeyPkcs8: Uint8Array,
  authenticatorData: Uint8Array,
  clientDataHash: Uint8Array,
): Promise<Uint8Array> {
  const sig = await algorithm.sign(privateKeyPkcs8, concat(authenticatorData, clientDataHash));
  return encodeAttestationObject(authenticatorData, 'packed', { alg: algorithm.alg, sig });
}

/**
 * CTAP 2.1 authenticatorMakeCredential, pubKeyCredParams: "If the element specifies an algorithm that is
 * supported by the authenticator, and no algorithm has yet been chosen by this
 * loop, then let the algorithm specified by the current element be the chosen
 * algorithm. If the loop completes and no algorithm was chosen then return
 * CTAP2_ERR_UNSUPPORTED_ALGORITHM."
 */
function chooseAlgorithm(pubKeyCredParams: MakeCredentialRequest['pubKeyCredParams']): CredentialAlgorithm {
  for (const { type, alg } of pubKeyCredParams) {
    const algorithm = type === 'public-key' ? credentialAlgorithms.get(alg) : undefined;
    if (algorithm) return algorithm;
  }
  const supported = [...credentialAlgorithms.keys()].join(', ');
  throw new CtapError(
    'CTAP2_ERR_UNSUPPORTED_ALGORITHM',
    `None of the requested algorithms is supported; this authenticator supports COSE algorithms ${supported}.`,
  );
}

/**
 * WebAuthn L3 §6.3.2 step 3: if an excluded credential is bound to this
 * authenticator and RP, "collect an authorization gesture confirming user
 * consent for creating a new credential. [...] If the user confirms consent to
 * create a new credential, return an error code equivalent to "InvalidStateError"
 * and terminate the operation. If the user does not consent to create a new
 * credential, return an error code equivalent to "NotAllowedError" and terminate
 * the operation." The gesture authorizes telling the RP the credential exists;
 * it never goes on to create one.
 */
async function refuseExcludedCredential(env: AuthenticatorEnvironment, request: MakeCredentialRequest): Promise<void> {
  for (const descriptor of request.excludeList ?? []) {
    if (descriptor.type !== 'public-key') continue;
    const credential = await env.store.get(toBase64url(descriptor.id));
    if (credential?.rpId !== request.rp.id) continue;
    const decision = await env.ui.prompt(
      { kind: 'inform-excluded-credential-found', rpId: request.rp.id, credential },
      request.signal,
    );
    if (decision.outcome === 'use-another-authenticator') throw new AnotherAuthenticatorChosen();
    if (decision.outcome === 'cancel') {
      throw new CtapError('CTAP2_ERR_OPERATION_DENIED', 'The user cancelled the prompt about an already registered passkey.');
    }
    throw new CtapError(
      'CTAP2_ERR_CREDENTIAL_EXCLUDED',
      'A passkey for this account is already on this authenticator (it is in the excludeCredentials list).',
    );
  }
}

/**
 * CTAP 2.1 authenticatorMakeCredential, "rk" option: "If a credential for the same rp.id and account ID
 * already exists on the authenticator [...] overwrite that credential." Only
 * discoverable credentials are replaced; the new one is stored first so a failed
 * write never loses the old one.
 */
async function storeReplacingResidentCredential(env: AuthenticatorEnvironment, record: CredentialRecord): Promise<void> {
  const replaced = record.discoverable
    ? (await env.store.listByRpId(record.rpId)).filter(
        (existing) => existing.discoverable && equalBytes(existing.userHandle, record.userHandle),
      )
    : [];
  await env.store.add(record);
  for (const existing of replaced) await env.store.delete(existing.id);
}
