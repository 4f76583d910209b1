import { fromBase64url } from '../webauthn/base64url';
import { type BinaryView, binary } from './binary';

export interface DecodedClientData {
  type: string;
  challenge: BinaryView;
  origin: string;
  crossOrigin?: boolean;
  topOrigin?: string;
  /** Members other than the ones above (e.g. Chromium's "other_keys_can_be_added_here"). */
  other: Record<string, unknown>;
  /** What does not look right, in plain words. */
  problems: string[];
}

/**
 * clientDataJSON (WebAuthn L3 §5.8.1): "the JSON-compatible serialization of client data"
 * with `type` ("webauthn.create" or "webauthn.get"), `challenge` (base64url), `origin`,
 * and optionally `crossOrigin` and `topOrigin`.
 */
export function decodeClientData(clientDataJSON: Uint8Array, expected?: { type?: string; origin?: string }): DecodedClientData {
  const parsed = JSON.parse(new TextDecoder().decode(clientDataJSON)) as Record<string, unknown>;
  const { type, challenge, origin, crossOrigin, topOrigin, ...other } = parsed;
  const problems: string[] = [];
  if (typeof type !== 'string') problems.push('clientDataJSON has no "type".');
  if (typeof challenge !== 'string') problems.push('clientDataJSON has no "challenge".');
  if (typeof origin !== 'string') problems.push('clientDataJSON has no "origin".');
  if (expected?.type && type !== expected.type) problems.push(`type is "${String(type)}", expected "${expected.type}".`);
  if (expected?.origin && origin !== expected.origin)
    problems.push(`origin is ${String(origin)}, the page was ${expected.origin}.`);
  let challengeBytes: Uint8Array = new Uint8Array(0);
  try {
    challengeBytes = fromBase64url(String(challenge ?? ''));
  } catch {
    problems.push('challenge is not base64url.');
  }
  return {
    type: String(type ?? ''),
    challenge: binary(challengeBytes),
    origin: String(origin ?? ''),
    ...(typeof crossOrigin === 'boolean' ? { crossOrigin } : {}),
    ...(typeof topOrigin === 'string' ? { topOrigin } : {}),
    other,
    problems,
  };
}
