import { LATCHKEY_AAGUID } from '../src/authenticator/aaguid';
import type { ClientEnvironment } from '../src/client/clientEnvironment';
import { createCredential } from '../src/client/createCredential';
import { applySignal } from '../src/client/applySignal';
import { getAssertion } from '../src/client/getAssertion';
import { CeremonyError } from '../src/webauthn/errors';
import { type PageReply, pageRequest } from '../src/webauthn/messages';
import { callerContextOf } from './callerContext';
import { virtualEnvironment } from '../src/virtualAuthenticators/virtualEnvironment';
import { focusTab, promptUserInterface } from './promptWindows';
import type { Services } from './services';
import { loadSettings } from './settings';
import { fetchWellKnown } from './wellKnownFetcher';

/** Ceremonies under way, keyed by tab, frame and the page's request id, so one frame cannot abort another's. */
const running = new Map<string, AbortController>();

function frameOf(sender: chrome.runtime.MessageSender): string {
  return `${sender.tab?.id ?? -1}/${sender.frameId ?? -1}/${sender.documentId ?? ''}`;
}

function keyOf(sender: chrome.runtime.MessageSender, requestId: string): string {
  return `${frameOf(sender)}/${requestId}`;
}

/**
 * Frames with a ceremony waiting for the person. Like Chromium ("A request is already
 * pending"), a frame gets one at a time, so a page cannot flood the screen with prompt windows.
 */
const promptingFrames = new Set<string>();

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
  services: () => Promise<Services>,
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
  if (request.kind === 'ping') return { kind: 'alive', running: running.has(key) };
  if (running.has(key)) return { kind: 'error', name: 'NotAllowedError', message: 'A request with this id is already running.' };
  const controller = new AbortController();
  running.set(key, controller);
  try {
    const [caller, settings, { credentials, orphans, virtual }] = await Promise.all([
      callerContextOf(sender),
      loadSettings(),
      services(),
    ]);
    if (request.kind !== 'create' && request.kind !== 'get') {
      await applySignal(request, caller, credentials, orphans);
      return { kind: 'done' };
    }
    const base = {
      randomBytes: (length: number) => crypto.getRandomValues(new Uint8Array(length)),
      now: () => Date.now(),
      aaguid: LATCHKEY_AAGUID,
    };
    // Tester mode with a virtual authenticator for this origin: it answers, with its own credentials.
    const authenticator = settings.testerAutoApprove ? await virtual.select(caller.origin) : null;
    const frame = frameOf(sender);
    const prompts = !settings.testerAutoApprove;
    if (prompts && promptingFrames.has(frame)) {
      return { kind: 'error', name: 'NotAllowedError', message: 'A request is already pending.' };
    }
    if (prompts) promptingFrames.add(frame);
    const env: ClientEnvironment = authenticator
      ? virtualEnvironment(virtual, authenticator, base)
      : {
          ...base,
          // Sign-in never offers a passkey the detector judged orphaned (hidden, not deleted).
          store: orphans.hidingOrphans(credentials),
          orphans,
          ui: promptUserInterface(caller, settings.testerAutoApprove, orphans),
          // No PIN or biometric yet (the vault issue adds one): never claim UV.
          userVerificationAvailable: false,
        };
    // The testing API's ceremony log, for ceremonies a virtual authenticator answered.
    const logCeremony = (outcome: string, credentialId?: string) =>
      authenticator
        ? virtual
            .recordCeremony(authenticator.authenticatorId, {
              operation: request.kind,
              origin: caller.origin,
              outcome,
              ...(credentialId ? { credentialId } : {}),
            })
            .catch(() => undefined)
        : undefined;
    try {
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
      if (outcome.kind === 'credential') {
        await logCeremony('ok', outcome.credential.id);
        return { kind: 'credential', credential: outcome.credential };
      }
      await logCeremony('handed to the browser');
    } catch (error) {
      await logCeremony(error instanceof Error ? error.name : 'Error');
      throw error;
    } finally {
      if (prompts) promptingFrames.delete(frame);
    }
    await focusTab(sender.tab);
    return { kind: 'fallback' };
  } catch (error) {
    return errorReply(error);
  } finally {
    running.delete(key);
  }
}
