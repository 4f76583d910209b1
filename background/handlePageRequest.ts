import { LATCHKEY_AAGUID } from '../src/authenticator/aaguid';
import { applySignal } from '../src/client/applySignal';
import { type CallerContext, TIMEOUT_RANGE } from '../src/client/ceremony';
import type { ClientEnvironment } from '../src/client/clientEnvironment';
import { createCredential } from '../src/client/createCredential';
import { getAssertion } from '../src/client/getAssertion';
import type { CredentialStore } from '../src/vault/credentialRecord';
import { countCredentials } from '../src/vault/credentialMetadata';
import { createMemoryCredentialStore } from '../src/vault/memoryCredentialStore';
import { virtualEnvironment } from '../src/virtualAuthenticators/virtualEnvironment';
import { CeremonyError } from '../src/webauthn/errors';
import { type PageReply, pageRequest } from '../src/webauthn/messages';
import { callerContextOf } from './callerContext';
import { askForVault, focusTab, promptUserInterface } from './promptWindows';
import type { Services } from './services';
import { loadPolicy, loadSettings, saveSiteMode, siteDecision } from './settings';
import type { VaultService } from './vaultService';
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
    const [caller, settings, service] = await Promise.all([callerContextOf(sender), loadSettings(), services()]);
    const { orphans, virtual, vault } = service;
    if (request.kind !== 'create' && request.kind !== 'get') {
      // Names can only be changed in an unlocked vault; the detector's evidence needs no key.
      const store = (await vault.status()).locked ? null : await vault.credentialStore();
      await applySignal(request, caller, store, orphans);
      return { kind: 'done' };
    }
    const host = hostOf(caller);
    // A site set to "hand to the browser" (by the user or the organisation) never sees Latchkey's UI.
    const [site, policy] = await Promise.all([siteDecision(host), loadPolicy()]);
    if (site.mode === 'browser') return { kind: 'fallback' };

    const base = {
      randomBytes: (length: number) => crypto.getRandomValues(new Uint8Array(length)),
      now: () => Date.now(),
      aaguid: LATCHKEY_AAGUID,
    };
    // Tester mode with a virtual authenticator for this origin: it answers with its own credentials, no vault.
    const authenticator = settings.testerAutoApprove ? await virtual.select(caller.origin) : null;
    const frame = frameOf(sender);
    const prompts = !settings.testerAutoApprove;
    if (prompts && promptingFrames.has(frame)) {
      return { kind: 'error', name: 'NotAllowedError', message: 'A request is already pending.' };
    }
    if (prompts) promptingFrames.add(frame);
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
      let env: ClientEnvironment;
      if (authenticator) {
        env = virtualEnvironment(virtual, authenticator, base);
      } else {
        const rpIdHint = request.kind === 'create' ? (request.options.rp.id ?? host) : (request.options.rpId ?? host);
        const opened = await openVaultFor(request.kind, service, caller, rpIdHint, settings.testerAutoApprove, controller.signal);
        if (opened === 'use-another') {
          await focusTab(sender.tab);
          return { kind: 'fallback' };
        }
        if (opened === 'cancel') throw new CeremonyError('user-cancelled', 'The Latchkey vault was not unlocked.');
        if (policy.pinRequired && !opened.pinSet) {
          throw new CeremonyError(
            'user-verification-unavailable',
            'Your organisation requires a Latchkey PIN: set one in the Latchkey popup.',
          );
        }
        env = {
          ...base,
          // Sign-in never offers a passkey the detector judged orphaned (hidden, not deleted).
          store: orphans.hidingOrphans(opened.store),
          orphans,
          ui: promptUserInterface(caller, settings.testerAutoApprove, {
            verifyPin: (pin) => vault.verifyPin(pin),
            rememberSite: (mode) => saveSiteMode(host, mode),
            pinRequired: policy.pinRequired === true,
            askWhere: site.mode === 'ask',
            orphans,
          }),
          // User verification is the vault PIN, checked in the worker (promptWindows.ts).
          userVerificationAvailable: opened.pinSet,
        };
      }
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

function hostOf(caller: CallerContext): string {
  try {
    return new URL(caller.origin).hostname;
  } catch {
    return caller.origin;
  }
}

/**
 * The vault a ceremony runs on. A vault that does not exist yet is created with a
 * passphrase (no passkey is ever stored unencrypted); a locked one is unlocked,
 * both in Latchkey's prompt window before the ceremony's own prompt. A sign-in
 * with nothing stored at all needs neither: it runs on an empty store and says so.
 */
async function openVaultFor(
  kind: 'create' | 'get',
  { db, vault }: VaultService,
  caller: CallerContext,
  rpId: string,
  testerMode: boolean,
  pageSignal: AbortSignal,
): Promise<{ store: CredentialStore; pinSet: boolean } | 'cancel' | 'use-another'> {
  // The unlock window waits no longer than the ceremony itself would (clampTimeout's default).
  const signal = AbortSignal.any([pageSignal, AbortSignal.timeout(TIMEOUT_RANGE.default)]);
  let status = await vault.status();
  if (!status.exists && kind === 'get' && (await countCredentials(db)) === 0) {
    return { store: createMemoryCredentialStore(), pinSet: false };
  }
  if (status.locked) {
    const answer = await askForVault(
      status.exists ? 'unlock' : 'setup',
      caller,
      rpId,
      testerMode,
      (passphrase) => (status.exists ? vault.unlock(passphrase) : vault.create(passphrase)),
      signal,
    );
    if (answer !== 'done') return answer;
    status = await vault.status();
  }
  return { store: await vault.credentialStore(), pinSet: status.pinSet };
}
