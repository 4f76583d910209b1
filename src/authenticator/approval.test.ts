import { describe, expect, it } from 'vitest';
import { ensureNotCancelled, requireApproval } from './approval';
import { AnotherAuthenticatorChosen, CtapError } from './types';

describe('requireApproval', () => {
  it('passes an approval through', () => {
    const decision = { outcome: 'approve', verified: false, credentialId: 'abc' } as const;
    expect(requireApproval(decision, false)).toBe(decision);
  });

  it('ends a cancel with CTAP2_ERR_OPERATION_DENIED', () => {
    expect(() => requireApproval({ outcome: 'cancel' }, false)).toThrow(
      expect.objectContaining({ status: 'CTAP2_ERR_OPERATION_DENIED' }),
    );
  });

  it('hands "use another device" back as AnotherAuthenticatorChosen', () => {
    expect(() => requireApproval({ outcome: 'use-another-authenticator' }, false)).toThrow(AnotherAuthenticatorChosen);
  });

  it('refuses an approval without the user verification that was required', () => {
    expect(() => requireApproval({ outcome: 'approve', verified: false }, true)).toThrow(CtapError);
    expect(requireApproval({ outcome: 'approve', verified: true }, true).verified).toBe(true);
  });
});

describe('ensureNotCancelled', () => {
  it('throws CTAP2_ERR_KEEPALIVE_CANCEL once the signal has fired', () => {
    const controller = new AbortController();
    expect(() => ensureNotCancelled(controller.signal)).not.toThrow();
    expect(() => ensureNotCancelled(undefined)).not.toThrow();
    controller.abort();
    expect(() => ensureNotCancelled(controller.signal)).toThrow(expect.objectContaining({ status: 'CTAP2_ERR_KEEPALIVE_CANCEL' }));
  });
});
