import type { UserDecision, UserInterface, UserPrompt } from '../src/authenticator/types';
import type { CallerContext } from '../src/client/ceremony';
import type { OrphanDetector } from '../src/orphans/detector';
import { toPasskeyView } from '../src/vault/passkeyView';
import type { PromptView } from '../src/webauthn/messages';

/**
 * User presence is given in an extension-owned window the page cannot script or overlay
 * (DESIGN invariant 4). Each prompt waits here until the window answers or is closed.
 */
interface PendingPrompt {
  view: PromptView;
  settle(decision: UserDecision): void;
  windowId?: number;
}

const pending = new Map<string, PendingPrompt>();

const PROMPT_PAGE = 'extension/prompt/index.html';
const PROMPT_SIZE = { width: 440, height: 620 } as const;

async function viewOf(
  promptId: string,
  request: UserPrompt,
  caller: CallerContext,
  testerMode: boolean,
  orphans: OrphanDetector,
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
        userVerification: request.userVerification,
      };
    case 'request-existing-credential':
    {
      // Suspected passkeys are offered with the detector's warning (orphaned ones never get here).
      const verdicts = await orphans.verdicts(request.candidates);
      const candidates = request.candidates.map((record) => toPasskeyView(record, verdicts.get(record.id)));
      return { ...common, kind: 'get', candidates, userVerification: request.userVerification };
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

async function showPromptWindow(view: PromptView, signal: AbortSignal | undefined): Promise<UserDecision> {
  const decision = new Promise<UserDecision>((resolve) => {
    pending.set(view.promptId, { view, settle: resolve });
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

export function promptUserInterface(caller: CallerContext, testerMode: boolean, orphans: OrphanDetector): UserInterface {
  return {
    async prompt(request, signal) {
      if (testerMode) return testerDecision(request);
      return showPromptWindow(await viewOf(crypto.randomUUID(), request, caller, false, orphans), signal);
    },
  };
}

/** prompt.load: the view for an open prompt window, or null when it no longer waits. */
export function promptView(promptId: string): PromptView | null {
  return pending.get(promptId)?.view ?? null;
}

/** prompt.answer: settles the waiting ceremony. */
export function answerPrompt(promptId: string, decision: UserDecision): boolean {
  const entry = pending.get(promptId);
  if (!entry) return false;
  entry.settle(decision);
  return true;
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
