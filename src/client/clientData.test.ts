import { describe, expect, it } from 'vitest';
import { webauthnTestVectors } from '../../test/vectors';
import { toBase64url } from '../webauthn/base64url';
import { serializeClientData } from './clientData';

const ORIGIN = 'https://example.org';
const TOP_ORIGIN = 'https://example.com';

/**
 * Every clientDataJSON in the WebAuthn L3 test vectors, rebuilt from the vector's inputs: the
 * challenge, the ceremony, the cross-origin variant named by the label, and "extraData" when
 * bit 0x01 of client_data_gen_flags is set (the spec's example of a future member).
 */
const examples = [...webauthnTestVectors().values()].flatMap((vector) =>
  (['registration', 'authentication'] as const)
    .filter((ceremony) => vector[ceremony].clientDataJSON && vector[ceremony].challenge)
    .map((ceremony) => ({ label: vector.label, ceremony, values: vector[ceremony] })),
);

describe('serializeClientData: the JSON-compatible serialization of client data (WebAuthn L3 §5.8.1.1)', () => {
  it('covers the vectors', () => {
    expect(examples.length).toBeGreaterThanOrEqual(20);
  });

  it.each(examples)('$label $ceremony: clientDataJSON byte for byte', ({ label, ceremony, values }) => {
    const crossOrigin = label.endsWith('.crossOrigin') || label.endsWith('.topOrigin');
    const extra = (values.client_data_gen_flags![0]! & 0x01) !== 0;
    const bytes = serializeClientData({
      type: ceremony === 'registration' ? 'webauthn.create' : 'webauthn.get',
      challenge: toBase64url(values.challenge!),
      origin: ORIGIN,
      crossOrigin,
      ...(label.endsWith('.topOrigin') ? { topOrigin: TOP_ORIGIN } : {}),
      ...(extra
        ? {
            extraData: `clientDataJSON may be extended with additional fields in the future, such as this: ${toBase64url(values.extraData_random!)}`,
          }
        : {}),
    });
    expect(new TextDecoder().decode(bytes)).toBe(new TextDecoder().decode(values.clientDataJSON!));
    expect(bytes).toEqual(values.clientDataJSON);
  });

  it('escapes as CCDToString says: quote and backslash escaped, control characters as \\u00XX, the rest as UTF-8', () => {
    const text = new TextDecoder().decode(
      serializeClientData({ type: 'webauthn.get', challenge: 'AA', origin: 'https://ex"am\\ple\u0001é.org', crossOrigin: false }),
    );
    expect(text).toBe('{"type":"webauthn.get","challenge":"AA","origin":"https://ex\\"am\\\\ple\\u0001é.org","crossOrigin":false}');
    expect(JSON.parse(text).origin).toBe('https://ex"am\\ple\u0001é.org');
  });
});
