/**
 * Fuzzing the worker's side: option objects that pass the message schema (valid ones, and
 * mutated ones that a compromised renderer could send) run through the real client and
 * authenticator. Each ends in a credential or in one of the DOMExceptions the spec names, and
 * a failed ceremony stores nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { approve, testEnvironment } from '../../test/authenticatorEnvironment';
import { creationOptions, mutated, requestOptions } from '../../test/fuzz/arbitraries';
import { creationOptionsToJSON, requestOptionsToJSON } from '../webauthn/convertOptions';
import type { UserInterface } from '../authenticator/types';
import { CeremonyError } from '../webauthn/errors';
import { creationOptionsJSON, requestOptionsJSON } from '../webauthn/messages';
import type { CallerContext } from './ceremony';
import { createCredential } from './createCredential';
import { getAssertion } from './getAssertion';

const RUNS = 1_000;
/** WebAuthn L3 §5.1.3/§5.1.4 and DESIGN.md: the names a ceremony may end with. */
const SPEC_NAMES = new Set([
  'TypeError',
  'NotSupportedError',
  'SecurityError',
  'NotAllowedError',
  'InvalidStateError',
  'AbortError',
]);
const caller: CallerContext = {
  origin: 'https://login.example.com',
  topOrigin: 'https://login.example.com',
  sameOriginWithAncestors: true,
};

/** A user who approves every prompt (the picker takes the first account). */
const approval = approve();
const alwaysApprove: UserInterface = { prompt: async (request) => (typeof approval === 'function' ? approval(request) : approval) };

function jsonOf<T>(page: fc.Arbitrary<T>, convert: (value: unknown) => unknown): fc.Arbitrary<unknown> {
  return page.map((value) => {
    try {
      return convert(value);
    } catch {
      return null;
    }
  });
}

/** How the generated requests ended, so the figures can be reported and the test cannot pass vacuously. */
function tally() {
  const counts: Record<string, number> = {};
  return {
    counts,
    add: (outcome: string) => void (counts[outcome] = (counts[outcome] ?? 0) + 1),
    reachedClient: () =>
      Object.entries(counts)
        .filter(([outcome]) => outcome !== 'refused by the schema')
        .reduce((sum, [, n]) => sum + n, 0),
  };
}

describe('fuzzing ceremonies in the worker', () => {
  it(`${RUNS * 2} creation requests end in a credential or a spec-named error, and a failure stores nothing`, async () => {
    const outcomes = tally();
    const json = fc.oneof(
      jsonOf(creationOptions, creationOptionsToJSON),
      mutated(jsonOf(creationOptions, creationOptionsToJSON)),
    );
    await fc.assert(
      fc.asyncProperty(json, async (candidate) => {
        const parsed = creationOptionsJSON.safeParse(candidate);
        if (!parsed.success) return outcomes.add('refused by the schema'); // the worker answers these with a TypeError first
        const env = testEnvironment({ ui: alwaysApprove, userVerificationAvailable: false });
        try {
          const outcome = await createCredential(env, { options: parsed.data, caller });
          expect(outcome.kind).toBe('credential');
          expect(await env.store.list()).toHaveLength(1);
          outcomes.add('credential');
        } catch (error) {
          outcomes.add((error as Error).name);
          expect(error).toBeInstanceOf(CeremonyError);
          expect(SPEC_NAMES).toContain((error as CeremonyError).name);
          expect(await env.store.list()).toEqual([]);
        }
      }),
      { numRuns: RUNS * 2 },
    );
    console.info('fuzzed outcomes', outcomes.counts);
    // Most generated requests must reach the client, or this would test only the schema.
    expect(outcomes.reachedClient()).toBeGreaterThan(RUNS);
  }, 300_000);

  it(`${RUNS * 2} sign-in requests end in an assertion or a spec-named error, and leave the stored passkey as it was on failure`, async () => {
    const outcomes = tally();
    const json = fc.oneof(jsonOf(requestOptions, requestOptionsToJSON), mutated(jsonOf(requestOptions, requestOptionsToJSON)));
    await fc.assert(
      fc.asyncProperty(json, async (candidate) => {
        const parsed = requestOptionsJSON.safeParse(candidate);
        if (!parsed.success) return outcomes.add('refused by the schema');
        const env = testEnvironment({ ui: alwaysApprove, userVerificationAvailable: false });
        await createCredential(env, {
          options: {
            rp: { id: 'example.com', name: 'Example' },
            user: { id: 'AQ', name: 'a', displayName: 'A' },
            challenge: 'AAAA',
            pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
          },
          caller,
        });
        const [before] = await env.store.list();
        try {
          const outcome = await getAssertion(env, { options: parsed.data, caller });
          expect(outcome.kind).toBe('credential');
          outcomes.add('assertion');
        } catch (error) {
          outcomes.add((error as Error).name);
          expect(error).toBeInstanceOf(CeremonyError);
          expect(SPEC_NAMES).toContain((error as CeremonyError).name);
          expect(await env.store.list()).toEqual([before]);
        }
      }),
      { numRuns: RUNS * 2 },
    );
    console.info('fuzzed outcomes', outcomes.counts);
    // Most generated requests must reach the client, or this would test only the schema.
    expect(outcomes.reachedClient()).toBeGreaterThan(RUNS);
  }, 300_000);
});
