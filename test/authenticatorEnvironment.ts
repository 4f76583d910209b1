/**
 * An AuthenticatorEnvironment for tests: an in-memory store, a scripted user,
 * and randomness that is either real or fed in a fixed order (so the spec's test
 * vectors can supply the credential key and id).
 */
import type { AuthenticatorEnvironment, UserDecision, UserInterface, UserPrompt } from '../src/authenticator/types';
import { createMemoryCredentialStore } from '../src/vault/memoryCredentialStore';

export type ScriptedAnswer = UserDecision | ((prompt: UserPrompt) => UserDecision);

export interface ScriptedUser extends UserInterface {
  /** Every prompt shown, in order. */
  prompts: UserPrompt[];
}

/** Answers prompts with `answers` in order; a prompt beyond the script fails the test. */
export function scriptedUser(...answers: ScriptedAnswer[]): ScriptedUser {
  const prompts: UserPrompt[] = [];
  return {
    prompts,
    async prompt(request) {
      prompts.push(request);
      const answer = answers.shift();
      if (!answer) throw new Error(`unexpected prompt: ${request.kind}`);
      return typeof answer === 'function' ? answer(request) : answer;
    },
  };
}

/** Approves a new credential, or picks the first candidate offered. */
export function approve(verified = false): ScriptedAnswer {
  return (prompt) =>
    prompt.kind === 'request-existing-credential'
      ? { outcome: 'approve', verified, credentialId: prompt.candidates[0]?.id }
      : { outcome: 'approve', verified };
}

/** Returns `chunks` in order; a request of another length, or past the end, fails the test. */
export function fedRandomBytes(...chunks: Uint8Array[]): (length: number) => Uint8Array {
  return (length) => {
    const chunk = chunks.shift();
    if (!chunk) throw new Error(`randomBytes(${length}) called after the fed bytes ran out`);
    if (chunk.length !== length) throw new Error(`randomBytes(${length}) called where ${chunk.length} bytes were fed`);
    return chunk;
  };
}

export function testEnvironment(overrides: Partial<AuthenticatorEnvironment> = {}): AuthenticatorEnvironment {
  let clock = Date.UTC(2026, 0, 1);
  return {
    store: createMemoryCredentialStore(),
    ui: scriptedUser(),
    randomBytes: (length) => crypto.getRandomValues(new Uint8Array(length)),
    // A clock that moves, so "newest first" is well defined.
    now: () => clock++,
    aaguid: new Uint8Array(16),
    userVerificationAvailable: true,
    ...overrides,
  };
}
