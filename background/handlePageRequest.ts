import { LATCHKEY_AAGUID } from '../src/authenticator/aaguid';
import type { ClientEnvironment } from '../src/client/clientEnvironment';
import { createCredential } from '../src/client/createCredential';
import { applySignal } from '../src/client/applySignal';
import { getAssertion } from '../src/client/getAssertion';
import { resolveRpIdWithRelatedOrigins } from '../src/client/relatedOrigins';
import type { UserInterface } from '../src/authenticator/types';
import { type CallerContext, TIMEOUT_RANGE } from '../src/client/ceremony';
import type { CredentialStore } from '../src/vault/credentialRecord';
import { countCredentials, credentialMetadataOfRp } from '../src/vault/credentialMetadata';
import { createMemoryCredentialStore } from '../src/vault/memoryCredentialStore';
import { decodeRequest } from '../src/diagnostics/decodeRequest';
import type { BrowserReason, RecordContext, RecordedOutcome, ResponseJSONLike } from '../src/diagnostics/record';
import type { Recorder } from '../src/diagnostics/recorder';
import { CeremonyError } from '../src/webauthn/errors';
import { type PageReply, type PageRequest, pageRequest } from '../src/webauthn/messages';
import { callerContextOf, callerContextOfChain, frameChainOf, framePolicyAllows } from './callerContext';
import { type AutofillPick, waitForAutofillPick } from './conditionalMediation';
import { recorder as workerRecorder } from './diagnostics';
import { virtualEnvironment } from '../src/virtualAuthenticators/virtualEnvironment';
import { askForVault, focusTab, promptUserInterface } from './promptWindows';
import type { Services } from './services';
import { loadPolicy, loadSettings, saveSiteMode, siteDecision } from './settings';
import type { VaultService } from './vaultService';
import { fetchWellKnown } from './wellKnownFetcher';
import { securityKeyAuthenticator } from '../src/native/securityKeyAuthenticator';
import { bridge } from './securityKeys';
import { requestSync } from './syncService';

/** Ceremonies under way, keyed by tab, frame and the page's request id, so one frame cannot abort another's. */
const running = new Map<string, AbortController>();
/** When the bridge last asked after a watched passkey autofill request (it asks every 2 s while its document lives). */
const lastPinged = new Map<string, number>();
/** A passkey autofill request whose document stopped asking this long ago is gone (navigated away, closed). */
const FORGOTTEN_AFTER_MS = 15_000;

/**
 * Aborts `controller` once the bridge has stopped asking after `key`: a document that navigated
 * away or closed cannot abort its passkey autofill request, which would otherwise wait for ever.
 */
function abortWhenForgotten(key: string, controller: AbortController): () => void {
  lastPinged.set(key, Date.now());
  const timer = setInterval(() => {
    if (Date.now() - (lastPinged.get(key) ?? 0) > FORGOTTEN_AFTER_MS) controller.abort();
  }, FORGOTTEN_AFTER_MS / 3);
  return () => {
    clearInterval(timer);
    lastPinged.delete(key);
  };
}

/** Diagnostics reports being written, by the same key, so that they are applied in order. */
const reporting = new Map<string, Promise<void>>();

function frameOf(sender: chrome.runtime.MessageSender): string {
  return `${sender.tab?.id ?? -1}/${sender.frameId ?? -1}/${sender.documentId ?? ''}`;
}

export function keyOf(sender: chrome.runtime.MessageSender, requestId: string): string {
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

function outcomeOf(reply: PageReply): RecordedOutcome {
  switch (reply.kind) {
    case 'credential':
      return { status: 'success', response: reply.credential as unknown as ResponseJSONLike };
    case 'done':
      return { status: 'success' };
    case 'fallback':
    case 'alive':
      return { status: 'pending' };
    case 'error':
      return { status: 'error', name: reply.name, message: reply.message };
  }
}

type RecordedRequest = Exclude<PageRequest, { kind: 'abort' | 'report' | 'ping' }>;

/** What the recorder learns about the caller: from the browser (DESIGN invariant 1). */
function recordBase(
  sender: chrome.runtime.MessageSender,
  key: string,
  caller: CallerContext,
  request: RecordedRequest,
  answeredBy: 'latchkey' | 'browser',
) {
  return {
    key,
    requestId: request.requestId,
    operation: request.kind,
    startedAt: Date.now(),
    tabId: sender.tab?.id ?? -1,
    frameId: sender.frameId ?? -1,
    topOrigin: caller.topOrigin,
    origin: caller.origin,
    sameOriginWithAncestors: caller.sameOriginWithAncestors,
    request: decodeRequest(request),
    answeredBy,
  };
}

/** Waits for a recorder step, but never longer than `ms`: the log must not hold a ceremony up. */
function atMost(step: Promise<unknown>, ms: number): Promise<unknown> {
  return Promise.race([step, new Promise((resolve) => setTimeout(resolve, ms))]);
}

/**
 * The MAIN world's report of what the browser's own WebAuthn answered. A pass-through request
 * (conditional mediation) is announced by its first report; later reports only update the
 * record of the same tab, frame, document and request id, and only while it is pending.
 */
async function recordReport(
  request: Extract<PageRequest, { kind: 'report' }>,
  sender: chrome.runtime.MessageSender,
  key: string,
  recorder: Recorder,
): Promise<void> {
  if (request.passThrough) {
    const caller = await callerContextOf(sender);
    const { operation, options, mediation } = request.passThrough;
    const asked = (
      operation === 'create'
        ? { kind: 'create', requestId: request.requestId, options, mediation }
        : { kind: 'get', requestId: request.requestId, options, mediation }
    ) as RecordedRequest;
    await recorder.begin({ ...recordBase(sender, key, caller, asked, 'browser'), browserReason: 'pass-through' });
  }
  if (request.outcome.status !== 'pending') await recorder.report(key, request.outcome);
}

/**
 * One request relayed from a page. The message is validated here (DESIGN invariant 6): a
 * malformed one is answered with a TypeError and touches nothing.
 */
export async function handlePageRequest(
  message: unknown,
  sender: chrome.runtime.MessageSender,
  services: () => Promise<Services>,
  recorder: Recorder = workerRecorder,
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
  if (request.kind === 'ping') {
    // Only watched requests (passkey autofill) are tracked, so the map holds nothing else.
    if (lastPinged.has(key)) lastPinged.set(key, Date.now());
    return { kind: 'alive', running: running.has(key) };
  }
  if (request.kind === 'report') {
    // A pass-through request's first report creates the record; its next one may follow at once.
    // Runtime messages are handled concurrently, so the reports of one request wait for each other.
    const previous = reporting.get(key) ?? Promise.resolve();
    const current = previous.then(() => recordReport(request, sender, key, recorder)).catch(() => undefined);
    reporting.set(key, current);
    await current;
    if (reporting.get(key) === current) reporting.delete(key);
    return undefined;
  }
  if (running.has(key)) return { kind: 'error', name: 'NotAllowedError', message: 'A request with this id is already running.' };
  const controller = new AbortController();
  running.set(key, controller);
  let begun: Promise<void> = Promise.resolve();
  let reply: PageReply | undefined;
  let failure: unknown;
  let origin = sender.origin ?? 'null';
  try {
    const [frames, settings, service] = await Promise.all([frameChainOf(sender), loadSettings(), services()]);
    const caller = callerContextOfChain(frames);
    const { orphans, virtual, vault } = service;
    origin = caller.origin;
    begun = recorder.begin(recordBase(sender, key, caller, request, 'latchkey'));
    // The browser's own WebAuthn answers from here; the page reports how it ended, and the record
    // must say so before that report can arrive (but the log never holds the ceremony up long).
    const recordHandOver = (browserReason: BrowserReason) =>
      atMost(
        begun.then(() => recorder.finish(key, { status: 'pending' }, { answeredBy: 'browser', browserReason })),
        1_000,
      );
    if (request.kind !== 'create' && request.kind !== 'get') {
      // Names can only be changed in an unlocked vault; the detector's evidence needs no key.
      const store = (await vault.status()).locked ? null : await vault.credentialStore();
      await applySignal(request, caller, store, orphans);
      reply = { kind: 'done' };
      return reply;
    }
    // Firefox: a cross-origin frame's permissions policy, which its document could not tell.
    if (!caller.sameOriginWithAncestors) {
      const feature = request.kind === 'create' ? 'publickey-credentials-create' : 'publickey-credentials-get';
      if (!(await framePolicyAllows(sender, frames, feature))) {
        throw new CeremonyError('cross-origin-iframe', `the '${feature}' feature is not enabled in this frame`);
      }
    }
    const host = hostOf(caller);
    // A site set to "hand to the browser" (by the user or the organisation) never sees Latchkey's UI.
    const [site, policy] = await Promise.all([siteDecision(host), loadPolicy()]);
    if (site.mode === 'browser') {
      await recordHandOver('site-setting');
      return { kind: 'fallback' };
    }
    const base = {
      randomBytes: (length: number) => crypto.getRandomValues(new Uint8Array(length)),
      now: () => Date.now(),
      aaguid: LATCHKEY_AAGUID,
    };
    // Tester mode with a virtual authenticator for this origin: it answers, with its own credentials.
    const authenticator = settings.testerAutoApprove ? await virtual.select(caller.origin) : null;
    // Passkey autofill: nothing is shown until the person picks in Latchkey's dropdown. A virtual
    // authenticator answers at once instead, as CDP's does with automatic presence simulation.
    let options = request.options;
    let pick: AutofillPick | undefined;
    if (request.kind === 'get' && request.mediation === 'conditional' && !authenticator) {
      // A wrong rpId is refused at once (SecurityError), not after the person picked.
      const rpId = await resolveRpIdWithRelatedOrigins(caller.origin, request.options.rpId, fetchWellKnown);
      const allowIds = (request.options.allowCredentials ?? []).map((descriptor) => descriptor.id);
      const stopWatching = abortWhenForgotten(key, controller);
      try {
        pick = await waitForAutofillPick(request.requestId, sender.tab?.id ?? -1, rpId, allowIds, controller.signal);
      } finally {
        stopWatching();
      }
      if (pick.kind === 'other') {
        await recordHandOver('user-chose-another-device');
        return { kind: 'fallback', modal: true };
      }
      // The ceremony runs on the passkey the person picked, and on no other.
      options = { ...request.options, allowCredentials: [{ type: 'public-key', id: pick.credentialId }] };
    }
    const frame = frameOf(sender);
    const prompts = !settings.testerAutoApprove;
    if (prompts && promptingFrames.has(frame)) {
      // Chromium's own words for the page; the catalogue's code for the log.
      failure = new CeremonyError('request-pending');
      reply = { kind: 'error', name: 'NotAllowedError', message: 'A request is already pending.' };
      return reply;
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
          await recordHandOver('user-chose-another-device');
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
          ui: presenceFromAutofill(
            promptUserInterface(caller, settings.testerAutoApprove, {
              verifyPin: (pin) => vault.verifyPin(pin),
              rememberSite: (mode) => saveSiteMode(host, mode),
              pinRequired: policy.pinRequired === true,
              askWhere: site.mode === 'ask',
              orphans,
            }),
            pick,
            policy.pinRequired === true,
          ),
          // User verification is the vault PIN, checked in the worker (promptWindows.ts).
          userVerificationAvailable: opened.pinSet,
          // "Security key" in the prompt: a USB key through the native bridge, when it is installed (never in tester mode).
          ...(settings.testerAutoApprove ? {} : { securityKey: securityKeyAuthenticator(bridge) }),
          // With sync on, a new passkey is made to travel: backup eligible, no signature counter
          // (docs/SYNC.md). BS is 0 until sync has put it in storage.sync; the engine then sets it.
          backupEligible: settings.sync,
          backupState: false,
        };
      }
      const outcome =
        request.kind === 'create'
          ? await createCredential(env, { options: request.options, caller, signal: controller.signal, fetchWellKnown })
          : await getAssertion(env, {
              options: options as typeof request.options,
              caller,
              signal: controller.signal,
              fetchWellKnown,
              onlyWithMatchingPasskey: settings.onlyWithMatchingPasskey,
            });
      if (outcome.kind === 'credential') {
        await logCeremony('ok', outcome.credential.id);
        reply = { kind: 'credential', credential: outcome.credential };
        return reply;
      }
      await logCeremony('handed to the browser');
      await recordHandOver('user-chose-another-device');
    } catch (error) {
      await logCeremony(error instanceof Error ? error.name : 'Error');
      throw error;
    } finally {
      if (prompts) promptingFrames.delete(frame);
    }
    await focusTab(sender.tab);
    return { kind: 'fallback' };
  } catch (error) {
    failure = error;
    reply = errorReply(error);
    return reply;
  } finally {
    running.delete(key);
    // A new passkey, a counter or a site's signal (orphan evidence): sync it when sync is on.
    if (reply?.kind === 'credential' || reply?.kind === 'done') requestSync();
    if (reply) void finishRecord(recorder, begun, key, reply, failure, request, origin, services);
  }
}

/** Writes the outcome, with what the orphan detector knew when there was no passkey to offer. */
async function finishRecord(
  recorder: Recorder,
  begun: Promise<void>,
  key: string,
  reply: PageReply,
  failure: unknown,
  request: RecordedRequest,
  origin: string,
  services: () => Promise<Services>,
): Promise<void> {
  await begun;
  const outcome = outcomeOf(reply);
  if (outcome.status === 'error' && failure instanceof CeremonyError) outcome.code = failure.code;
  let context: RecordContext | undefined;
  if (outcome.status === 'error' && outcome.code === 'no-credentials' && request.kind === 'get') {
    try {
      const { db, orphans } = await services();
      const rpId = request.options.rpId ?? new URL(origin).hostname;
      const records = await credentialMetadataOfRp(db, rpId);
      const verdicts = await orphans.verdicts(records);
      context = {
        passkeysForRp: records.map((record) => ({
          credentialId: record.id,
          health: verdicts.get(record.id)?.health ?? 'ok',
          reason: verdicts.get(record.id)?.reason ?? '',
        })),
      };
    } catch {
      // Evidence is a help, not a requirement.
    }
  }
  await recorder.finish(key, outcome, context ? { context } : {});
}

/**
 * A pick in the autofill dropdown that was shown unobscured is the person's own click in UI the page
 * cannot script (DESIGN invariant 4), so it gives user presence for that passkey, as the browser's
 * own autofill does. Anything more (user verification, a PIN policy, an unconfirmed pick) goes to
 * Latchkey's window, which shows just the picked passkey.
 */
function presenceFromAutofill(ui: UserInterface, pick: AutofillPick | undefined, pinRequired: boolean): UserInterface {
  if (pick?.kind !== 'credential' || !pick.presenceConfirmed || pinRequired) return ui;
  return {
    prompt(request, signal, securityKey) {
      if (
        request.kind === 'request-existing-credential' &&
        !request.userVerification &&
        request.candidates.some((candidate) => candidate.id === pick.credentialId)
      ) {
        return Promise.resolve({ outcome: 'approve', verified: false, credentialId: pick.credentialId });
      }
      return ui.prompt(request, signal, securityKey);
    },
  };
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
