/**
 * ISOLATED world, document_start, every frame: takes the MAIN world's private port and
 * relays its requests to the service worker. The browser stamps each runtime message with
 * the sender's origin and frame; the worker trusts that, not anything in the message.
 */
import type { PageReply } from '../src/webauthn/messages';
import { FRAME_ALLOW_QUERY, PAGE_CHANNEL } from '../src/webauthn/pageChannel';
import { clampTimeout } from '../src/webauthn/timeout';
import { autofillAnchor } from './autofill';
import { BRIDGE_HELLO, type PortReply } from './channel';

(() => {
  let port: MessagePort | null = null;

  /** How often a waiting request asks the worker whether it still has it. */
  const PING_MS = 2_000;
  /**
   * A ping neither answered nor refused within this long counts as unanswered: a worker stopped
   * in the middle of a ceremony can leave runtime messages that never settle (seen in Chromium
   * 156 with the worker stopped during a sign-in), and the page's promise must not wait forever.
   */
  const PING_TIMEOUT_MS = 4_000;
  /**
   * The last resort: a ceremony the worker has not ended this long after its own timeout would
   * have is ended here (NotAllowedError, as a timeout is), and the worker told to abort it. Seen
   * once in a while with the worker stopped by the browser in the middle of a registration.
   */
  const DEADLINE_GRACE_MS = 10_000;

  const autofill = autofillAnchor((path) => chrome.runtime.getURL(path));

  function relay(request: unknown): void {
    const requestId =
      typeof request === 'object' && request !== null && typeof (request as { requestId?: unknown }).requestId === 'string'
        ? (request as { requestId: string }).requestId
        : '';
    let settled = false;
    let deadline: ReturnType<typeof setTimeout> | undefined;
    const answer = (reply: PageReply) => {
      if (settled) return;
      settled = true;
      clearInterval(pinger);
      clearTimeout(deadline);
      autofill.end(requestId);
      port?.postMessage({ requestId, reply } satisfies PortReply);
    };
    const lost = (why: string) =>
      answer({
        kind: 'error',
        name: 'NotAllowedError',
        message: `Latchkey could not complete the request: ${why}. Please try again.`,
      });
    const kind = (request as { kind?: unknown } | null)?.kind;
    const conditional = (request as { mediation?: unknown } | null)?.mediation === 'conditional';
    if (kind === 'abort') autofill.end(requestId);
    // Passkey autofill: Latchkey's dropdown is offered while the request waits.
    if (kind === 'get' && conditional) autofill.begin(requestId);
    // A worker stopped mid-ceremony (crash, update, the browser's own housekeeping) forgets the
    // request; asking now and then turns that into an error instead of a promise that never settles.
    let unanswered = 0;
    const pinger = setInterval(() => {
      if (kind !== 'create' && kind !== 'get') return clearInterval(pinger);
      const ping = chrome.runtime.sendMessage({ channel: PAGE_CHANNEL, request: { kind: 'ping', requestId } });
      const silence = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('the service worker stopped answering')), PING_TIMEOUT_MS),
      );
      Promise.race([ping, silence]).then(
        (reply: PageReply | undefined) => {
          unanswered = 0;
          if (reply?.kind === 'alive' && !reply.running) lost('it was restarted');
        },
        (error: unknown) => {
          if (++unanswered >= 2) lost(error instanceof Error ? error.message : String(error));
        },
      );
    }, PING_MS);
    const options = (request as { options?: { timeout?: unknown } } | null)?.options;
    if ((kind === 'create' || kind === 'get') && !conditional) {
      const timeout = typeof options?.timeout === 'number' ? options.timeout : undefined;
      deadline = setTimeout(
        () => {
          chrome.runtime.sendMessage({ channel: PAGE_CHANNEL, request: { kind: 'abort', requestId } }).catch(() => undefined);
          answer({ kind: 'error', name: 'NotAllowedError', message: 'The operation either timed out or was not allowed.' });
        },
        clampTimeout(timeout) + DEADLINE_GRACE_MS,
      );
    }
    chrome.runtime.sendMessage({ channel: PAGE_CHANNEL, request }).then(
      (reply: PageReply | undefined) => {
        if (reply) answer(reply);
        else clearInterval(pinger);
      },
      (error: unknown) => lost(error instanceof Error ? error.message : String(error)),
    );
  }

  // The worker asks a parent frame what its iframe element delegates (Firefox's documents cannot
  // tell their own permissions policy). Only the extension's worker can send this.
  chrome.runtime.onMessage.addListener((message: { kind?: unknown; frameId?: unknown }, sender, sendResponse) => {
    if (message?.kind !== FRAME_ALLOW_QUERY || sender.id !== chrome.runtime.id || typeof message.frameId !== 'number')
      return false;
    const getFrameId = (chrome.runtime as { getFrameId?: (target: Element) => number }).getFrameId;
    const holder = getFrameId
      ? [...document.querySelectorAll('iframe, frame')].find((element) => getFrameId(element) === message.frameId)
      : undefined;
    sendResponse({ allow: holder ? (holder.getAttribute('allow') ?? '') : null });
    return false;
  });

  window.addEventListener(
    'message',
    (event) => {
      if (port !== null || event.source !== window || event.data?.type !== BRIDGE_HELLO || event.ports.length !== 1) return;
      // Registered at document_start, before any page listener: no page script sees the port.
      event.stopImmediatePropagation();
      port = event.ports[0]!;
      port.onmessage = (message: MessageEvent<{ request?: unknown }>) => relay(message.data?.request);
    },
    { capture: true },
  );
})();
