/**
 * Whether a command may go on after it asked the user: the one place that turns
 * a `UserDecision` into either the approval or the CTAP error the command ends
 * with, so makeCredential and getAssertion answer a cancel the same way.
 */
import { AnotherAuthenticatorChosen, CtapError, SecurityKeyUsed, type UserDecision } from './types';

export type Approval = Extract<UserDecision, { outcome: 'approve' }>;

/**
 * WebAuthn L3 §6.3.2 authenticatorMakeCredential: "If the user does not consent
 * or if user verification fails, return an error code equivalent to
 * "NotAllowedError" and terminate the operation." The CTAP equivalent is
 * CTAP2_ERR_OPERATION_DENIED. So the UV flag is only ever set from a
 * verification that happened, never assumed because it was asked for.
 */
export function requireApproval(decision: UserDecision, userVerificationRequired: boolean): Approval {
  switch (decision.outcome) {
    case 'cancel':
      throw new CtapError('CTAP2_ERR_OPERATION_DENIED', 'The user cancelled the prompt.');
    case 'use-another-authenticator':
      throw new AnotherAuthenticatorChosen();
    case 'used-security-key':
      throw new SecurityKeyUsed();
    case 'approve':
      if (userVerificationRequired && !decision.verified) {
        throw new CtapError('CTAP2_ERR_OPERATION_DENIED', 'User verification was required and did not succeed.');
      }
      return decision;
  }
}

/**
 * The client cancelled (its AbortSignal fired) while the user was deciding.
 * Checked after every prompt and before anything is stored, so a cancelled
 * ceremony leaves no credential and spends no counter value.
 */
export function ensureNotCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CtapError('CTAP2_ERR_KEEPALIVE_CANCEL', 'The request was cancelled by the client.');
}
