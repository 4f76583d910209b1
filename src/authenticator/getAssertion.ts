/**
 * authenticatorGetAssertion (CTAP 2.1 §6.2; WebAuthn L3 §6.3.3).
 */
import { toBase64url } from '../webauthn/base64url';
import { buildAuthenticatorData } from '../webauthn/authenticatorData';
import { concat, sha256, utf8 } from '../webauthn/bytes';
import type { CredentialRecord, CredentialStore } from '../vault/credentialRecord';
import { ensureNotCancelled, requireApproval } from './approval';
import { hmacSecretOutputs } from './hmacSecret';
import { credentialAlgorithms } from './keys';
import {
  AnotherAuthenticatorChosen,
  CtapError,
  SecurityKeyUsed,
  type AuthenticatorEnvironment,
  type GetAssertionRequest,
  type GetAssertionResult,
} from './types';

/**
 * Signs `authenticatorData || clientDataHash` with a credential the user picks.
 *
 * With `options.up` false the assertion is silent: no prompt, the first
 * candidate signs, and the UP flag is clear. A silent assertion tells whether a
 * credential exists without any gesture, so only the extension may ask for one,
 * never a page. User verification happens only in the prompt, so `uv` without
 * `up` is refused.
 *
 * The counter is persisted before anything is signed, so a crash between the
 * two can skip a value but never reuse one. `userHandle` is returned for
 * discoverable credentials only, as Chromium's authenticators do (WebAuthn L3
 * §6.3.3: "In cases where allowCredentialDescriptorList was supplied the
 * returned userHandle value may be null").
 */
export async function getAssertion(env: AuthenticatorEnvironment, request: GetAssertionRequest): Promise<GetAssertionResult> {
  const { rpId, options, signal } = request;
  if (options.uv && !env.userVerificationAvailable) {
    throw new CtapError('CTAP2_ERR_UNSUPPORTED_OPTION', 'User verification was requested but this authenticator cannot verify the user.');
  }
  if (options.uv && !options.up) {
    throw new CtapError('CTAP2_ERR_UNSUPPORTED_OPTION', 'This authenticator verifies the user only in a prompt, so "uv" needs "up".');
  }

  const candidates = await findCandidates(env.store, request);
  if (candidates.length === 0) {
    // The "only with a matching passkey" setting: the browser's own WebAuthn answers instead, and
    // nothing was shown, so the page learns nothing it would not learn without Latchkey.
    if (request.handOverWithoutCredentials) throw new AnotherAuthenticatorChosen();
    // A page learns "no passkey here" only after a person saw the request (the
    // privacy reason CTAP waits for a gesture), and the user can turn to another device.
    if (options.up) {
      const decision = await env.ui.prompt({ kind: 'inform-no-credentials-found', rpId }, signal);
      if (decision.outcome === 'use-another-authenticator') throw new AnotherAuthenticatorChosen();
      if (decision.outcome === 'used-security-key') throw new SecurityKeyUsed();
    }
    throw new CtapError('CTAP2_ERR_NO_CREDENTIALS', `No passkey for ${rpId} on this authenticator matches the request.`);
  }

  let chosen = candidates[0]!;
  let verified = false;
  if (options.up) {
    const approval = requireApproval(
      await env.ui.prompt({ kind: 'request-existing-credential', rpId, candidates, userVerification: options.uv }, signal),
      options.uv,
    );
    const picked = candidates.find((candidate) => candidate.id === approval.credentialId);
    if (!picked) throw new CtapError('CTAP1_ERR_INVALID_PARAMETER', 'The prompt answered with a credential that was not offered.');
    chosen = picked;
    verified = approval.verified;
  }
  ensureNotCancelled(signal);

  const algorithm = credentialAlgorithms.get(chosen.algorithm);
  if (!algorithm) throw new Error(`credential ${chosen.id} uses unsupported COSE algorithm ${chosen.algorithm}`);

  const largeBlob = request.extensions?.largeBlob;
  const writesBlob = largeBlob !== undefined && 'write' in largeBlob && chosen.largeBlobSupported === true;
  // WebAuthn L3 §6.1.1: "If the authenticator does not implement a signature counter, let the signature counter value remain constant at zero."
  const credential = await env.store.update(chosen.id, (record) => ({
    ...record,
    signCount: record.signCount === null ? null : record.signCount + 1,
    lastUsedAt: env.now(),
    ...(writesBlob ? { largeBlob: (largeBlob as { write: Uint8Array }).write.slice() } : {}),
  }));
  const salts = request.extensions?.hmacSecret?.(credential.id);

  const authenticatorData = buildAuthenticatorData({
    rpIdHash: sha256(utf8(rpId)),
    userPresent: options.up && !env.responseOverrides?.badUP,
    userVerified: verified && !env.responseOverrides?.badUV,
    backupEligible: credential.backupEligible,
    backupState: credential.backupState,
    signCount: credential.signCount ?? 0,
  });
  const signed = await algorithm.sign(credential.privateKeyPkcs8, concat(authenticatorData, request.clientDataHash));
  const signature = env.responseOverrides?.bogusSignature ? new Uint8Array(signed.length) : signed;
  return {
    credentialId: credential.credentialId,
    authenticatorData,
    signature,
    userHandle: credential.discoverable ? credential.userHandle : null,
    extensions: {
      ...(salts && credential.prfSecret ? { hmacSecret: hmacSecretOutputs(credential.prfSecret, salts) } : {}),
      ...(largeBlob && 'read' in largeBlob ? { largeBlob: credential.largeBlobSupported ? (credential.largeBlob ?? null) : null } : {}),
      ...(largeBlob && 'write' in largeBlob ? { largeBlobWritten: writesBlob } : {}),
    },
  };
}

/**
 * CTAP 2.1 authenticatorGetAssertion: "If the allowList parameter is present and
 * is non-empty, locate all credentials that are eligible for retrieval under the
 * specified criteria"; otherwise "locate all discoverable credentials that are
 * created by this authenticator and bound to the specified rpId." A non-empty
 * allowList never falls back to discoverable credentials, even when none of its
 * entries is usable.
 */
async function findCandidates(store: CredentialStore, request: GetAssertionRequest): Promise<CredentialRecord[]> {
  const stored = await store.listByRpId(request.rpId);
  if (!request.allowList?.length) return stored.filter((record) => record.discoverable);
  const allowed = new Set(
    request.allowList.filter((descriptor) => descriptor.type === 'public-key').map((descriptor) => toBase64url(descriptor.id)),
  );
  return stored.filter((record) => allowed.has(record.id));
}
