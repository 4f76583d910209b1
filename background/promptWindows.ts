import type { SecurityKeyHook, UserDecision, UserInterface, UserPrompt } from '../src/authenticator/types';
import type { CallerContext } from '../src/client/ceremony';
import type { OrphanDetector } from '../src/orphans/detector';
import { toPasskeyView } from '../src/vault/passkeyView';
import { describePinCheck, type PinCheck } from '../src/vault/pinRetries';
import type { PromptDecision, PromptView } from '../src/webauthn/messages';

/**
 * User presence is given in an extension-owned window the page cannot script or overlay
 * (DESIGN invariant 4). Each prompt waits here until the window answers or is closed.
 */
interface PendingPrompt {
  view: PromptView;
  settle(decision: UserDecision): void;
  windowId?: number;
  /** Turns the window's answer into the decision, or into an error the window shows (a wrong PIN). */
  check?(decision: UserDecision): Promise<UserDecision | string>;
  /** For setup and unlock prompts: uses the passphrase; an error string keeps the window open. */
  passphrase?(passphrase: string): Promise<string | null>;
  /** "Security key": runs the ceremony on a USB key while the window says "touch your key". */
  securityKey?: SecurityKeyHook;
}

type PromptHooks = Pick<PendingPrompt, 'check' | 'passphrase' | 'securityKey'>;

const pending = new Map<string, PendingPrompt>();

const PROMPT_PAGE = 'extension/prompt/index.html';
const PROMPT_SIZE = { width: 440, height: 620 } as const;

interface ViewOptions {
  /** The orphaned-credential detector, whose warnings the account picker shows. */
  orphans: OrphanDetector;
  /** The organisation requires the PIN on every ceremony. */
  pinRequired: boolean;
  /** The site is set to "ask each time". */
  askWhere: boolean;
}

async function viewOf(
  promptId: string,
  request: UserPrompt,
  caller: CallerContext,
  testerMode: boolean,
  options: ViewOptions,
): Promise<PromptView> {
  const common = { promptId, origin: caller.origin, rpId: request.rpId, testerMode };
  switch (request.kind) {
    case 'request-new-credential':
      return {
        ...common,
        kind: 'create',
        rpName: request.rpName,
        userName: request.userName,
        userDisplayName: request.userDisplayName,
        suggestedName: request.suggestedName,
        userVerification: request.userVerification || options.pinRequired,
        askWhere: options.askWhere,
      };
    case 'request-existing-credential':
    {
      // Suspected passkeys are offered with the detector's warning (orphaned ones never get here).
      const verdicts = await options.orphans.verdicts(request.candidates);
      return {
        ...common,
        kind: 'get',
        candidates: request.candidates.map((record) => toPasskeyView(record, verdicts.get(record.id))),
        userVerification: request.userVerification || options.pinRequired,
      };
    }
    case 'inform-excluded-credential-found':
      return { ...common, kind: 'excluded', userName: request.credential.userName };
    case 'inform-no-credentials-found':
      return { ...common, kind: 'no-credentials' };
  }
}

/**
 * Tester mode: the answer a person would most likely give, without a window. Switched on only
 * from the extension's own settings or the worker, never by a page, and shown by a badge.
 */
function testerDecision(request: UserPrompt): UserDecision {
  switch (request.kind) {
    case 'request-new-credential':
    case 'inform-excluded-credential-found':
      return { outcome: 'approve', verified: false };
    case 'request-existing-credential':
      return { outcome: 'approve', verified: false, credentialId: request.candidates[0]?.id };
    case 'inform-no-credentials-found':
      return { outcome: 'cancel' };
  }
}

async function showPromptWindow(view: PromptView, signal: AbortSignal | undefined, hooks: PromptHooks = {}): Promise<UserDecision> {
  if (signal?.aborted) return { outcome: 'cancel' };
  const decision = new Promise<UserDecision>((resolve) => {
    pending.set(view.promptId, { view, settle: resolve, ...hooks });
  });
  const close = () => {
    const entry = pending.get(view.promptId);
    pending.delete(view.promptId);
    if (entry?.windowId !== undefined) chrome.windows.remove(entry.windowId).catch(() => undefined);
  };
  signal?.addEventListener('abort', () => {
    pending.get(view.promptId)?.settle({ outcome: 'cancel' });
    close();
  });
  const created = await chrome.windows.create({
    url: chrome.runtime.getURL(`${PROMPT_PAGE}?id=${encodeURIComponent(view.promptId)}`),
    type: 'popup',
    focused: true,
    ...PROMPT_SIZE,
  });
  const entry = pending.get(view.promptId);
  if (entry) entry.windowId = created?.id;
  else if (created?.id !== undefined) chrome.windows.remove(created.id).catch(() => undefined);
  try {
    return await decision;
  } finally {
    close();
  }
}

/**
 * The ceremony's prompts. A PIN typed in the window is checked here, in the
 * worker, and only a PIN that checks out makes `verified` true (WebAuthn L3
 * §6.3.2: the UV flag reports a verification that happened). Tester mode never
 * verifies: it has no PIN to enter.
 */
export interface PromptPolicy extends ViewOptions {
  verifyPin(pin: string): Promise<PinCheck>;
  /** "Remember for this site": approve keeps the site with Latchkey, another device hands it to the browser. */
  rememberSite(mode: 'latchkey' | 'browser'): Promise<unknown>;
}

export function promptUserInterface(caller: CallerContext, testerMode: boolean, policy: PromptPolicy): UserInterface {
  const check = async (answer: UserDecision): Promise<UserDecision | string> => {
    const { rememberForSite, pin, ...decision } = answer as UserDecision & { rememberForSite?: boolean; pin?: string };
    if (decision.outcome === 'approve') {
      if (pin === undefined) {
        if (policy.pinRequired) return 'Your organisation requires your Latchkey PIN for every passkey.';
        decision.verified = false;
      } else {
        const result = await policy.verifyPin(pin);
        if (!result.ok) return describePinCheck(result);
        decision.verified = true;
      }
    }
    if (rememberForSite && decision.outcome !== 'cancel') {
      await policy.rememberSite(decision.outcome === 'approve' ? 'latchkey' : 'browser');
    }
    return decision;
  };
  return {
    async prompt(request, signal, securityKey) {
      // Tester mode has no PIN to give: under a PIN-required policy it verifies nothing and the ceremony fails.
      if (testerMode) return policy.pinRequired ? { outcome: 'cancel' } : testerDecision(request);
      const view = await viewOf(crypto.randomUUID(), request, caller, false, policy);
      if (securityKey && (view.kind === 'create' || view.kind === 'get' || view.kind === 'no-credentials')) view.securityKey = true;
      return showPromptWindow(view, signal, { check, ...(securityKey ? { securityKey } : {}) });
    },
  };
}

/**
 * Before a ceremony: the vault must exist (`setup`: the user chooses a passphrase)
 * or be unlocked (`unlock`). Shown in the same kind of extension window as the
 * ceremony's prompts, also in tester mode, which has no passphrase to give.
 */
export async function askForVault(
  kind: 'setup' | 'unlock',
  caller: CallerContext,
  rpId: string,
  testerMode: boolean,
  submit: (passphrase: string) => Promise<void>,
  signal: AbortSignal | undefined,
): Promise<'done' | 'cancel' | 'use-another'> {
  const view: PromptView = { promptId: crypto.randomUUID(), kind, origin: caller.origin, rpId, testerMode };
  const decision = await showPromptWindow(view, signal, {
    async passphrase(passphrase) {
      try {
        await submit(passphrase);
        return null;
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    },
  });
  if (decision.outcome === 'approve') return 'done';
  return decision.outcome === 'use-another-authenticator' ? 'use-another' : 'cancel';
}

/** prompt.load: the view for an open prompt window, or null when it no longer waits. */
export function promptView(promptId: string): PromptView | null {
  return pending.get(promptId)?.view ?? null;
}

/** prompt.answer: settles the waiting ceremony, or says why not (a wrong PIN keeps the window waiting). */
export async function answerPrompt(promptId: string, answer: PromptDecision): Promise<{ ok: true } | { error: string }> {
  const entry = pending.get(promptId);
  if (!entry) return { error: 'This request is no longer waiting.' };
  if (answer.outcome === 'use-security-key') {
    if (!entry.securityKey) return { error: 'This request cannot go to a security key from here.' };
    // The key's own PIN and touch; the window stays open (and says so) until the key answers, and shows its errors.
    try {
      // The window polls prompt.load while it waits: "touch your key" appears when the key asks for it.
      await entry.securityKey(answer.pin, () => {
        entry.view = { ...entry.view, touchKey: true } as PromptView;
      });
    } catch (error) {
      entry.view = { ...entry.view, touchKey: false } as PromptView;
      return { error: error instanceof Error ? error.message : String(error) };
    }
    entry.settle({ outcome: 'used-security-key' });
    return { ok: true };
  }
  const decision = answer as UserDecision;
  if (decision.outcome === 'approve' && entry.passphrase) return { error: 'This window needs a passphrase.' };
  const checked = entry.check ? await entry.check(decision) : decision;
  if (typeof checked === 'string') return { error: checked };
  entry.settle(checked);
  return { ok: true };
}

/** prompt.passphrase: the passphrase from a setup or unlock window. */
export async function answerPassphrase(promptId: string, passphrase: string): Promise<{ ok: true } | { error: string }> {
  const entry = pending.get(promptId);
  if (!entry?.passphrase) return { error: 'This request is no longer waiting.' };
  const problem = await entry.passphrase(passphrase);
  if (problem !== null) return { error: problem };
  entry.settle({ outcome: 'approve', verified: false });
  return { ok: true };
}

/** A prompt window closed without an answer is a cancel. Registered at the worker's top level. */
export function cancelPromptsOfWindow(windowId: number): void {
  for (const entry of pending.values()) {
    if (entry.windowId === windowId) entry.settle({ outcome: 'cancel' });
  }
}

/**
 * Gives the focus back to the tab that asked, after its prompt window closed. Browsers refuse
 * WebAuthn to an unfocused document, so a request handed to the browser's own WebAuthn needs it.
 */
export async function focusTab(tab: chrome.tabs.Tab | undefined): Promise<void> {
  if (!tab) return;
  await chrome.windows.update(tab.windowId, { focused: true }).catch(() => undefined);
  if (tab.id !== undefined) await chrome.tabs.update(tab.id, { active: true }).catch(() => undefined);
}
