/**
 * CollectedClientData and its "JSON-compatible serialization" (WebAuthn L3 §5.8.1.1),
 * which fixes the member order and escaping so that relying parties may match it
 * without a full JSON parser.
 */
export interface CollectedClientData {
  type: 'webauthn.create' | 'webauthn.get';
  /** base64url of the challenge */
  challenge: string;
  origin: string;
  crossOrigin: boolean;
  topOrigin?: string;
  /** "clientDataJSON may be extended with additional fields in the future" */
  [extra: string]: unknown;
}

/**
 * CCDToString: "For each code point in the given string: if the code point is in the set
 * {U+0020, U+0021, U+0023–U+005B, U+005D–U+10FFFF}, append its UTF-8 encoding; if it is
 * U+0022, append 0x5c22 (\"); if it is U+005C, append 0x5c5c (\\); otherwise append 0x5c75
 * (\u) followed by four, lower-case hex digits."
 */
function ccdToString(value: string): string {
  let encoded = '"';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (code === 0x22) encoded += '\\"';
    else if (code === 0x5c) encoded += '\\\\';
    else if (code < 0x20) encoded += `\\u${code.toString(16).padStart(4, '0')}`;
    else encoded += char;
  }
  return `${encoded}"`;
}

/** Serializes collected client data to the bytes the RP receives as clientDataJSON. */
export function serializeClientData(data: CollectedClientData): Uint8Array {
  const { type, challenge, origin, crossOrigin, topOrigin, ...rest } = data;
  let result = `{"type":${ccdToString(type)},"challenge":${ccdToString(challenge)},"origin":${ccdToString(origin)}`;
  result += `,"crossOrigin":${crossOrigin ? 'true' : 'false'}`;
  if (topOrigin !== undefined) result += `,"topOrigin":${ccdToString(topOrigin)}`;
  // "Create a temporary copy … remove the fields type, challenge, origin, crossOrigin and
  // topOrigin. If no fields remain … append }. Otherwise serialize it, append ',' and the
  // serialization without its leading byte."
  const remainder = Object.keys(rest).length === 0 ? '}' : `,${JSON.stringify(rest).slice(1)}`;
  return new TextEncoder().encode(result + remainder);
}

/**
 * The client data of a ceremony run for `caller`: "crossOrigin: the inverse of the value of
 * the sameOriginWithAncestors argument", and topOrigin only when that is false.
 */
export function clientDataJSONFor(
  type: CollectedClientData['type'],
  challenge: string,
  caller: { origin: string; topOrigin: string; sameOriginWithAncestors: boolean },
): Uint8Array {
  return serializeClientData({
    type,
    challenge,
    origin: caller.origin,
    crossOrigin: !caller.sameOriginWithAncestors,
    ...(caller.sameOriginWithAncestors ? {} : { topOrigin: caller.topOrigin }),
  });
}
