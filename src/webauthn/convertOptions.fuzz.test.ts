/**
 * Fuzzing the page-side WebIDL conversion: whatever a page passes, the answer is the JSON form
 * (which the worker's schema accepts) or a TypeError — nothing else escapes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { creationOptions, mutated, requestOptions } from '../../test/fuzz/arbitraries';
import { creationOptionsToJSON, requestOptionsToJSON } from './convertOptions';
import { creationOptionsJSON, requestOptionsJSON } from './messages';

const FUZZ_RUNS = 2_000;

function convertsOrTypeError(convert: (value: unknown) => unknown, schema: { safeParse(value: unknown): { success: boolean } }) {
  return (value: unknown) => {
    let converted: unknown;
    try {
      converted = convert(value);
    } catch (error) {
      expect(error).toBeInstanceOf(TypeError);
      return;
    }
    expect(schema.safeParse(converted).success).toBe(true);
  };
}

describe('fuzzing the WebIDL conversion of page options', () => {
  it(`creation options: ${FUZZ_RUNS} valid and ${FUZZ_RUNS} mutated objects convert or give a TypeError`, () => {
    fc.assert(fc.property(creationOptions, convertsOrTypeError(creationOptionsToJSON, creationOptionsJSON)), {
      numRuns: FUZZ_RUNS,
    });
    fc.assert(fc.property(mutated(creationOptions), convertsOrTypeError(creationOptionsToJSON, creationOptionsJSON)), {
      numRuns: FUZZ_RUNS,
    });
  }, 120_000);

  it(`request options: ${FUZZ_RUNS} valid and ${FUZZ_RUNS} mutated objects convert or give a TypeError`, () => {
    fc.assert(fc.property(requestOptions, convertsOrTypeError(requestOptionsToJSON, requestOptionsJSON)), { numRuns: FUZZ_RUNS });
    fc.assert(fc.property(mutated(requestOptions), convertsOrTypeError(requestOptionsToJSON, requestOptionsJSON)), {
      numRuns: FUZZ_RUNS,
    });
  }, 120_000);

  it(`anything at all (${FUZZ_RUNS} values) converts or gives a TypeError`, () => {
    fc.assert(fc.property(fc.anything(), convertsOrTypeError(creationOptionsToJSON, creationOptionsJSON)), {
      numRuns: FUZZ_RUNS,
    });
  }, 120_000);
});
