export interface DecodedExtension {
  name: string;
  /** What the output says, in words. */
  meaning: string;
  value: unknown;
}

/**
 * Client extension outputs (`getClientExtensionResults()`, WebAuthn L3 §9) and authenticator
 * extension outputs (the authenticatorData extensions map), named and explained where known.
 */
export function decodeExtensions(outputs: Record<string, unknown> | undefined): DecodedExtension[] {
  return Object.entries(outputs ?? {}).map(([name, value]) => ({ name, meaning: meaningOf(name, value), value }));
}

function meaningOf(name: string, value: unknown): string {
  const object = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  switch (name) {
    case 'credProps':
      // §10.1.3: "rk: … true if the credential is a client-side discoverable credential".
      return object.rk === true
        ? 'The passkey is discoverable (stored on the authenticator).'
        : object.rk === false
          ? 'The passkey is not discoverable: the site must name it in allowCredentials.'
          : 'The authenticator did not say whether the passkey is discoverable.';
    case 'prf':
      return object.enabled === true || object.results
        ? 'PRF (hmac-secret) is available for this passkey.'
        : 'PRF was not enabled.';
    case 'largeBlob':
      return object.supported === true ? 'largeBlob storage is supported.' : 'largeBlob output.';
    case 'credProtect':
      return `Credential protection level ${String(value)}.`;
    case 'hmac-secret':
      return 'hmac-secret output of the authenticator.';
    case 'appid':
      return value === true ? 'The legacy U2F AppID was used.' : 'The legacy U2F AppID was not used.';
    default:
      return 'Extension output.';
  }
}
