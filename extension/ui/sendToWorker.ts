/**
 * The one way an extension page (popup, prompt window) talks to the service
 * worker: a request from the schema in `src/webauthn/messages.ts`, answered by
 * the matching reply or by `{ error }`. Errors become thrown `Error`s carrying
 * the worker's own words, so every caller can show them instead of guessing.
 */
import type { AutofillRequest, ExtensionError, ExtensionReply, ExtensionRequest } from '../../src/webauthn/messages';

function isExtensionError(reply: unknown): reply is ExtensionError {
  return typeof reply === 'object' && reply !== null && typeof (reply as { error?: unknown }).error === 'string';
}

export function sendToWorker<R extends ExtensionRequest>(request: R): Promise<ExtensionReply<R['kind']>> {
  return askWorker<ExtensionReply<R['kind']>>(request);
}

/** Any request of an extension page (the autofill dropdown has a schema of its own), with the same errors. */
export function askWorker<Reply>(request: ExtensionRequest | AutofillRequest): Promise<Reply> {
  return new Promise((resolve, reject) => {
    if (typeof chrome === 'undefined' || !chrome.runtime?.sendMessage) {
      reject(new Error('This page must be opened from the Latchkey extension: its service worker is not reachable here.'));
      return;
    }
    // The callback form, because `chrome.runtime.lastError` is how the browser
    // reports a worker that is missing or closed the channel without answering.
    chrome.runtime.sendMessage(request, (reply: unknown) => {
      const lastError = chrome.runtime.lastError;
      if (lastError) {
        reject(new Error(`Latchkey's service worker did not answer: ${lastError.message ?? 'unknown reason'}.`));
      } else if (reply === undefined || reply === null) {
        reject(new Error(`Latchkey's service worker sent no answer to "${request.kind}".`));
      } else if (isExtensionError(reply)) {
        reject(new Error(reply.error));
      } else {
        resolve(reply as Reply);
      }
    });
  });
}

/** The message to show for anything a `sendToWorker` call (or other code) threw. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  if (typeof error === 'string' && error) return error;
  return 'Something went wrong, and no reason was given.';
}
