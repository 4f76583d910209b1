/**
 * Fuzzing the binary decoders with random and mutated bytes: each returns a value or throws an
 * Error — never hangs, never throws something that is not an Error.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { webauthnTestVector } from '../../test/vectors';
import { parseAuthenticatorData } from './authenticatorData';
import { decode, encodeCanonical } from './cbor';
import { decodeCoseP256Key } from './cose';
import { derSignatureToRaw } from './der';
import { extensionRequest, pageRequest } from './messages';

const RUNS = 2_000;
const registration = webauthnTestVector('none.ES256').registration;
const authData = (decode(registration.attestationObject!) as Map<string, Uint8Array>).get('authData')!;

/** Random bytes, and real structures with bytes flipped, cut short or extended. */
function around(real: Uint8Array): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.uint8Array({ maxLength: 400 }),
    fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([at, value]) => {
      const copy = real.slice();
      copy[at % copy.length] = value;
      return copy;
    }),
    fc.nat().map((length) => real.slice(0, length % real.length)),
    fc.uint8Array({ maxLength: 40 }).map((tail) => new Uint8Array([...real, ...tail])),
  );
}

function returnsOrThrowsError(parse: (bytes: Uint8Array) => unknown) {
  return (bytes: Uint8Array) => {
    try {
      parse(bytes);
    } catch (error) {
      expect(error).toBeInstanceOf(Error);
    }
  };
}

describe('fuzzing the decoders', () => {
  it(`CBOR: ${RUNS} inputs around a real attestation object`, () => {
    fc.assert(fc.property(around(registration.attestationObject!), returnsOrThrowsError(decode)), { numRuns: RUNS });
  });

  it(`authenticatorData: ${RUNS} inputs around real authenticator data`, () => {
    fc.assert(fc.property(around(authData), returnsOrThrowsError(parseAuthenticatorData)), { numRuns: RUNS });
  });

  it(`COSE keys and DER signatures: ${RUNS} inputs each`, () => {
    const cose = parseAuthenticatorData(authData).attestedCredentialData!.credentialPublicKey;
    fc.assert(fc.property(around(cose), returnsOrThrowsError(decodeCoseP256Key)), { numRuns: RUNS });
    fc.assert(
      fc.property(around(webauthnTestVector('none.ES256').authentication.signature!), returnsOrThrowsError(derSignatureToRaw)),
      {
        numRuns: RUNS,
      },
    );
  });

  it('canonical CBOR decodes back to what was encoded', () => {
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.integer(),
        fc.string(),
        fc.uint8Array({ maxLength: 20 }),
        fc.boolean(),
        fc.array(tie('node'), { maxLength: 4 }),
        fc
          .array(fc.tuple(fc.oneof(fc.integer({ min: -30, max: 30 }), fc.string({ maxLength: 6 })), tie('node')), {
            maxLength: 4,
          })
          .map((entries) => new Map(entries)),
      ),
    })).node;
    fc.assert(
      fc.property(value, (original) => {
        expect(decode(encodeCanonical(original as never))).toEqual(original);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('fuzzing the message schema', () => {
  it(`${RUNS} arbitrary runtime messages are validated without throwing`, () => {
    fc.assert(
      fc.property(fc.anything(), (message) => {
        expect(() => pageRequest.safeParse(message)).not.toThrow();
        expect(() => extensionRequest.safeParse(message)).not.toThrow();
      }),
      { numRuns: RUNS },
    );
  });
});
