/**
 * The WebAuthn Level 3 test vectors (`shared/vectors/webauthn-l3-test-vectors.bs`,
 * beside the repository), read as data: each example's byte strings by name.
 *
 *   const { registration, authentication } = webauthnTestVector('none.ES256');
 *   registration.credential_id  // Uint8Array
 *
 * Examples are keyed by their HKDF `info` label ('none.ES256',
 * 'packed-self.ES256', 'none.ES256.crossOrigin', ...), which the spec's comments
 * name as "Derived by: HKDF-SHA-256(..., info='none.ES256', ...)".
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fromHex } from '../src/webauthn/bytes';

export interface WebAuthnTestVector {
  label: string;
  registration: Record<string, Uint8Array>;
  authentication: Record<string, Uint8Array>;
}

const VECTORS_FILE = new URL('../../shared/vectors/webauthn-l3-test-vectors.bs', import.meta.url);

let parsed: Map<string, WebAuthnTestVector> | undefined;

/** Every generated example, by label. */
export function webauthnTestVectors(): Map<string, WebAuthnTestVector> {
  parsed ??= parseVectors(readVectorsFile());
  return parsed;
}

/** One example; throws if the file has no example with this label. */
export function webauthnTestVector(label: string): WebAuthnTestVector {
  const vector = webauthnTestVectors().get(label);
  if (!vector) throw new Error(`no WebAuthn test vector labelled ${label}`);
  return vector;
}

function readVectorsFile(): string {
  const path = fileURLToPath(VECTORS_FILE);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(
      `WebAuthn test vectors not found at ${path}: the tests expect the shared/ folder beside the repository checkout.`,
      { cause: error },
    );
  }
}

const SECTION = /^## .* ## \{#sctn-test-vectors-/;
const VALUE = /^(\w+) = h'([0-9a-f]*)'/;
const LABEL = /info='([^']+)'/;

function parseVectors(text: string): Map<string, WebAuthnTestVector> {
  const vectors = new Map<string, WebAuthnTestVector>();
  let current: WebAuthnTestVector | undefined;
  let ceremony: Record<string, Uint8Array> | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('<!-- END GENERATED CONTENT')) break;
    if (SECTION.test(line)) {
      current = { label: '', registration: {}, authentication: {} };
      ceremony = undefined;
    } else if (current && line.startsWith('[=registration ceremony|')) {
      ceremony = current.registration;
    } else if (current && line.startsWith('[=authentication ceremony|')) {
      ceremony = current.authentication;
    } else if (current && ceremony) {
      const value = VALUE.exec(line);
      if (!value) continue;
      ceremony[value[1]!] = fromHex(value[2]!);
      const label = LABEL.exec(line)?.[1];
      if (!current.label && label) {
        current.label = label;
        vectors.set(label, current);
      }
    }
  }
  if (vectors.size === 0) throw new Error('the WebAuthn test vectors file has no examples in the expected format');
  return vectors;
}
