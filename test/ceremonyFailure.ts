import { expect } from 'vitest';
import { CeremonyError } from '../src/webauthn/errors';

/** Awaits a ceremony that must fail with a CeremonyError, and returns the DOMException name the page would see. */
export async function ceremonyFailure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(CeremonyError);
    return (error as CeremonyError).name;
  }
  throw new Error('the ceremony succeeded');
}
