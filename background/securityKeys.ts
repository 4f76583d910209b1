/**
 * The worker's security-key bridge: the native client over `runtime.connectNative`, and what the
 * popup and the prompt ask of it. A bridge that is not installed is a normal state: the status
 * says so and "Security key" falls back to the browser's own WebAuthn.
 */
import { BridgeUnavailableError, createNativeClient } from '../src/native/nativeClient';
import { type KeyCredentialJSON, credentialsResult, keysResult } from '../src/native/protocol';
import type { SecurityKeyStatus } from '../src/webauthn/messages';

export const bridge = createNativeClient({
  connect: (name) => chrome.runtime.connectNative(name),
  lastError: () => chrome.runtime.lastError?.message,
});

export async function securityKeyStatus(): Promise<SecurityKeyStatus> {
  try {
    const { keys, problem } = keysResult.parse(await bridge.request({ kind: 'keys' }));
    return { installed: true, keys, ...(problem ? { problem } : {}) };
  } catch (error) {
    if (error instanceof BridgeUnavailableError) return { installed: false, keys: [], problem: error.message };
    return { installed: true, keys: [], problem: error instanceof Error ? error.message : String(error) };
  }
}

export async function listKeyCredentials(pin: string, path?: string): Promise<{ credentials: KeyCredentialJSON[] }> {
  return credentialsResult.parse(await bridge.request({ kind: 'credentials.list', pin, ...(path ? { path } : {}) }));
}

export async function deleteKeyCredential(pin: string, credentialId: string, path?: string): Promise<void> {
  await bridge.request({ kind: 'credentials.delete', pin, credentialId, ...(path ? { path } : {}) });
}
