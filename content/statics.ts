/**
 * PublicKeyCredential's static methods as Latchkey answers them (WebAuthn L3 §5.1.7–§5.1.11).
 * Installed by the MAIN-world script at document_start, with the browser's own versions
 * captured first. Decisions, each truthful for a page that Latchkey stands in front of:
 *
 * - isUserVerifyingPlatformAuthenticatorAvailable: the browser's own answer. Latchkey verifies
 *   with its PIN only once the person has set one, which a page must not learn; every Latchkey
 *   prompt offers "Use another device or security key", which reaches that platform authenticator.
 * - isConditionalMediationAvailable: true. Latchkey offers its passkeys in its own autofill
 *   dropdown under inputs marked `autocomplete="… webauthn"` (content/autofill.ts).
 * - getClientCapabilities: the browser's answer, with the extension capabilities replaced by
 *   what Latchkey implements ("extension:credProps", "extension:prf", "extension:largeBlob"
 *   true, any other extension false: Latchkey ignores it), conditionalGet true, and
 *   relatedOrigins true (the worker fetches the rpId's /.well-known/webauthn).
 * - parseCreationOptionsFromJSON / parseRequestOptionsFromJSON: the browser's own where it has
 *   them (they are exact and touch no authenticator), Latchkey's where it lacks them.
 */
import { parseCreationOptionsFromJSON, parseRequestOptionsFromJSON } from '../src/webauthn/parseOptionsJSON';

const LATCHKEY_EXTENSIONS = ['credProps', 'prf', 'largeBlob'];

type Statics = Record<string, ((...args: never[]) => unknown) | undefined>;

function defineStatic(name: string, value: (...args: never[]) => unknown): void {
  Object.defineProperty(PublicKeyCredential, name, { value, writable: true, enumerable: true, configurable: true });
}

export function installStatics(): void {
  if (typeof PublicKeyCredential === 'undefined') return;
  const native = PublicKeyCredential as unknown as Statics;
  const nativeUvpaa = native.isUserVerifyingPlatformAuthenticatorAvailable?.bind(PublicKeyCredential) as (() => Promise<boolean>) | undefined;
  const nativeCapabilities = native.getClientCapabilities?.bind(PublicKeyCredential) as (() => Promise<Record<string, boolean>>) | undefined;

  defineStatic('isUserVerifyingPlatformAuthenticatorAvailable', function isUserVerifyingPlatformAuthenticatorAvailable() {
    return nativeUvpaa ? nativeUvpaa() : Promise.resolve(false);
  });
  defineStatic('isConditionalMediationAvailable', function isConditionalMediationAvailable() {
    return Promise.resolve(true);
  });
  defineStatic('getClientCapabilities', async function getClientCapabilities() {
    const capabilities: Record<string, boolean> = { ...((await nativeCapabilities?.().catch(() => undefined)) ?? {}) };
    for (const key of Object.keys(capabilities)) if (key.startsWith('extension:')) capabilities[key] = false;
    for (const extension of LATCHKEY_EXTENSIONS) capabilities[`extension:${extension}`] = true;
    capabilities.relatedOrigins = true;
    capabilities.conditionalGet = true;
    return capabilities;
  });
  if (!native.parseCreationOptionsFromJSON) defineStatic('parseCreationOptionsFromJSON', parseCreationOptionsFromJSON);
  if (!native.parseRequestOptionsFromJSON) defineStatic('parseRequestOptionsFromJSON', parseRequestOptionsFromJSON);
}
