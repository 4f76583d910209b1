/**
 * ISOLATED world, document_start, every frame: takes the MAIN world's private port and
 * relays its requests to the service worker. The browser stamps each runtime message with
 * the sender's origin and frame; the worker trusts that, not anything in the message.
 */
import type { PageReply } from '../src/webauthn/messages';
import { PAGE_CHANNEL } from '../src/webauthn/pageChannel';
import { BRIDGE_HELLO, type PortReply } from './channel';

(() => {
  let port: MessagePort | null = null;

  function relay(request: unknown): void {
    const requestId =
      typeof request === 'object' && request !== null && typeof (request as { requestId?: unknown }).requestId === 'string'
        ? (request as { requestId: string }).requestId
        : '';
    chrome.runtime.sendMessage({ channel: PAGE_CHANNEL, request }).then(
      (reply: PageReply | undefined) => {
        if (reply) port?.postMessage({ requestId, reply } satisfies PortReply);
      },
      (error: unknown) => {
        // The worker was restarted or the extension updated mid-ceremony.
        const message = `Latchkey could not complete the request: ${error instanceof Error ? error.message : String(error)}`;
        port?.postMessage({ requestId, reply: { kind: 'error', name: 'NotAllowedError', message } } satisfies PortReply);
      },
    );
  }

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
