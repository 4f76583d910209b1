import { toPasskeyView } from '../src/vault/passkeyView';
import { credentialMetadataOfRp } from '../src/vault/credentialMetadata';
import type { OrphanDetector } from '../src/orphans/detector';
import type { VaultDatabase } from '../src/vault/vaultDatabase';
import { type AutofillReply, type AutofillRequest, autofillRequest } from '../src/webauthn/messages';
import { autofillCandidates, VISIBLE_BEFORE_PICK_MS } from '../src/client/autofillCandidates';
import { CeremonyError } from '../src/webauthn/errors';

/**
 * Passkey autofill (`mediation: "conditional"`). "A conditional get() call does not show the
 * browser UI and remains pending until the user picks an account to sign-in with from
 * available autofill suggestions." The page's request waits here; the bridge shows Latchkey's
 * dropdown (an extension page in a closed shadow root, so the page can read neither the account
 * names nor their number) under inputs whose autocomplete contains "webauthn", and the
 * dropdown's pick ends the wait. Only a frame of this extension in the same tab can list the
 * accounts or pick one: the page only ever learns the account the person chose.
 */

/** How the person ended the wait in the dropdown. */
export type AutofillPick =
  | {
      kind: 'credential';
      credentialId: string;
      /**
       * The dropdown was shown unobscured (IntersectionObserver v2 `isVisible`) long enough before a
       * trusted click for the click to count as user presence. Otherwise a Latchkey window confirms.
       */
      presenceConfirmed: boolean;
    }
  /** "Other passkey options": the browser's own WebAuthn dialog takes the request. */
  | { kind: 'other' };

interface WaitingRequest {
  tabId: number;
  rpId: string;
  /** base64url ids of the page's allowCredentials; empty: discoverable passkeys of the rpId. */
  allowIds: string[];
  settle(pick: AutofillPick): void;
}

/** Conditional requests waiting for a pick, by the page's request id (unguessable: a random UUID). */
const waiting = new Map<string, WaitingRequest>();
/** Dropdown requests that came before their conditional request was set up in the worker. */
const early = new Map<string, (() => void)[]>();

/**
 * The dropdown loads as soon as the bridge has relayed the request, and can ask before the worker
 * has checked it (settings, rpId): it waits for it a little while, rather than be told it ended.
 */
const SET_UP_WAIT_MS = 10_000;

function waitingRequest(requestId: string): Promise<WaitingRequest | undefined> {
  const entry = waiting.get(requestId);
  if (entry) return Promise.resolve(entry);
  return new Promise((resolve) => {
    const arrived = () => {
      clearTimeout(timer);
      resolve(waiting.get(requestId));
    };
    const timer = setTimeout(() => {
      early.set(
        requestId,
        (early.get(requestId) ?? []).filter((callback) => callback !== arrived),
      );
      if (early.get(requestId)?.length === 0) early.delete(requestId);
      resolve(undefined);
    }, SET_UP_WAIT_MS);
    early.set(requestId, [...(early.get(requestId) ?? []), arrived]);
  });
}

/** Waits until the person picks in the dropdown; rejects with the signal's reason when the page aborts. */
export function waitForAutofillPick(
  requestId: string,
  tabId: number,
  rpId: string,
  allowIds: string[],
  signal: AbortSignal,
): Promise<AutofillPick> {
  return new Promise((resolve, reject) => {
    const done = () => {
      waiting.delete(requestId);
      signal.removeEventListener('abort', aborted);
    };
    const aborted = () => {
      done();
      reject(new CeremonyError('aborted'));
    };
    if (signal.aborted) return aborted();
    waiting.set(requestId, {
      tabId,
      rpId,
      allowIds,
      settle(pick) {
        done();
        resolve(pick);
      },
    });
    signal.addEventListener('abort', aborted, { once: true });
    for (const arrived of early.get(requestId) ?? []) arrived();
    early.delete(requestId);
  });
}

/** Requests from the autofill dropdown, an extension frame inside the page's tab. */
export async function handleAutofillRequest(
  message: unknown,
  sender: chrome.runtime.MessageSender,
  services: () => Promise<{ db: VaultDatabase; orphans: OrphanDetector }>,
): Promise<AutofillReply> {
  const parsed = autofillRequest.safeParse(message);
  if (!parsed.success) return { error: `Malformed request: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
  const request: AutofillRequest = parsed.data;
  const entry = await waitingRequest(request.requestId);
  // A frame of another tab (or one whose request ended) learns nothing, not even whether it waits.
  if (!entry || sender.tab?.id !== entry.tabId) return { error: 'This sign-in is no longer waiting.' };
  switch (request.kind) {
    case 'autofill.candidates': {
      const { db, orphans } = await services();
      const records = await credentialMetadataOfRp(db, entry.rpId);
      const verdicts = await orphans.verdicts(records);
      const offered = autofillCandidates(records, entry.allowIds, verdicts);
      return { rpId: entry.rpId, candidates: offered.map((record) => toPasskeyView(record, verdicts.get(record.id))) };
    }
    case 'autofill.pick': {
      const { db, orphans } = await services();
      const records = await credentialMetadataOfRp(db, entry.rpId);
      const offered = autofillCandidates(records, entry.allowIds, await orphans.verdicts(records));
      if (!offered.some((record) => record.id === request.credentialId)) return { error: 'This passkey is not offered here.' };
      entry.settle({
        kind: 'credential',
        credentialId: request.credentialId,
        presenceConfirmed: request.visibleForMs >= VISIBLE_BEFORE_PICK_MS,
      });
      return { ok: true };
    }
    case 'autofill.other':
      entry.settle({ kind: 'other' });
      return { ok: true };
  }
}
