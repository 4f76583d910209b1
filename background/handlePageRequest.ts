import { LATCHKEY_AAGUID } from '../src/authenticator/aaguid';
import type { AuthenticatorEnvironment } from '../src/authenticator/types';
import { createCredential } from '../src/client/createCredential';
import { getAssertion } from '../src/client/getAssertion';
import type { CredentialStore } from '../src/vault/credentialRecord';
import { CeremonyError } from '../src/webauthn/errors';
import { type PageReply, pageRequest } from '../src/webauthn/messages';
import { callerContextOf } from './callerContext';
import { promptUserInterface } from './promptWindows';
import { loadSettings } from './settings';
import { fetchWellKnown } from './wellKnownFetcher';

/** Ceremonies under way, keyed by tab, frame and the page's request id, so one frame cannot abort another's. */
const running = new Map<string, AbortController>();

function keyOf(sender: chrome.runtime.MessageSender, requestId: string): string {
  return `${sender.tab?.id ?? -1}/${sender.frameId ?? -1}/${sender.documentId ?? ''}/${requestId}`;
}

function errorReply(error: unknown): PageReply {
  if (error instanceof CeremonyError) return { kind: 'error', name: error.name, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'error', name: 'UnknownError', message: `Latchkey failed unexpectedly: ${message}` };
}

/**
 * One request relayed from a page. The message is validated here (DESIGN invariant 6): a
 * malformed one is answered with a TypeError and touches nothing.
 */
export async function handlePageRequest(
  message: unknown,
  sender: chrome.runtime.MessageSender,
  store: () => Promise<CredentialStore>,
): Promise<PageReply | undefined> {
  const parsed = pageRequest.safeParse(message);
  if (!parsed.success) {
    return { kind: 'error', name: 'TypeError', message: `Malformed request: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
  }
  const request = parsed.data;
  const key = keyOf(sender, request.requestId);
  if (request.kind === 'abort') {
    running.get(key)?.abort(new DOMException('The operation was aborted.', 'AbortError'));
    return undefined;
  }
  if (running.has(key)) return { kind: 'error', name: 'NotAllowedError', message: 'A request with this id is already running.' };
  const controller = new AbortController();
  running.set(key, controller);
  try {
    const [caller, settings] = await Promise.all([callerContextOf(sender), loadSettings()]);
    const env: AuthenticatorEnvironment = {
      store: await store(),
      ui: promptUserInterface(caller, settings.testerAutoApprove),
      randomBytes: (length) => crypto.getRandomValues(new Uint8Array(length)),
      now: () => Date.now(),
      aaguid: LATCHKEY_AAGUID,
      // No PIN or biometric yet (the vault issue adds one): never claim UV.
      userVerificationAvailable: false,
    };
    const outcome =
      request.kind === 'create'
        ? await createCredential(env, { options: request.options, caller, signal: controller.signal, fetchWellKnown })
        : await getAssertion(env, {
            options: request.options,
            caller,
            signal: controller.signal,
            fetchWellKnown,
            onlyWithMatchingPasskey: settings.onlyWithMatchingPasskey,
          });
    return outcome.kind === 'fallback' ? { kind: 'fallback' } : { kind: 'credential', credential: outcome.credential };
  } catch (error) {
    return errorReply(error);
  } finally {
    running.delete(key);
  }
}
