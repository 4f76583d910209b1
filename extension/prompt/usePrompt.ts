import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { PromptDecision, PromptView } from '../../src/webauthn/messages';
import { errorMessage, sendToWorker } from '../ui/sendToWorker';

export type UserDecision = PromptDecision;

const KEEPALIVE_MS = 20_000;

export type PromptState =
  | { status: 'loading' }
  | { status: 'ready'; prompt: PromptView }
  /** Answered, timed out or cancelled by the page: the worker no longer waits for it. */
  | { status: 'gone' }
  | { status: 'failed'; message: string };

export interface PromptController {
  state: PromptState;
  /** True from the moment an answer is sent until it fails (on success the window closes). */
  answering: boolean;
  answerError: string | null;
  answer: (decision: UserDecision) => void;
  /** For setup and unlock prompts. */
  submitPassphrase: (passphrase: string) => void;
}

/** Loads the prompt the worker is waiting on, and sends the one answer that closes it. */
export function usePrompt(promptId: string | null): PromptController {
  const [state, setState] = useState<PromptState>({ status: 'loading' });
  const [answering, setAnswering] = useState(false);
  const [answerError, setAnswerError] = useState<string | null>(null);
  // A ref, not state: two quick key presses in one frame must not send two answers.
  const sent = useRef(false);

  useEffect(() => {
    if (!promptId) {
      setState({ status: 'failed', message: 'This window was opened without a request id, so there is nothing to answer.' });
      return;
    }
    sendToWorker({ kind: 'prompt.load', promptId }).then(
      (reply) => setState(reply.prompt ? { status: 'ready', prompt: reply.prompt } : { status: 'gone' }),
      (error: unknown) => setState({ status: 'failed', message: errorMessage(error) }),
    );
  }, [promptId]);

  // The worker holds the waiting ceremony in memory: a port with traffic keeps it from being
  // stopped for idleness (30 s) while the person reads the prompt.
  useEffect(() => {
    const port = chrome.runtime.connect({ name: 'prompt-keepalive' });
    const timer = setInterval(() => port.postMessage('keepalive'), KEEPALIVE_MS);
    return () => {
      clearInterval(timer);
      port.disconnect();
    };
  }, []);

  // While a security key works, the worker's view says when the key waits for a touch.
  useEffect(() => {
    if (!answering || !promptId) return;
    const timer = setInterval(() => {
      sendToWorker({ kind: 'prompt.load', promptId }).then(
        (reply) => reply.prompt && setState({ status: 'ready', prompt: reply.prompt }),
        () => undefined,
      );
    }, 250);
    return () => clearInterval(timer);
  }, [answering, promptId]);

  const send = useCallback(
    (request: Parameters<typeof sendToWorker>[0]) => {
      if (!promptId || sent.current) return;
      sent.current = true;
      setAnswering(true);
      setAnswerError(null);
      sendToWorker(request).then(
        () => window.close(),
        (error: unknown) => {
          // A wrong PIN or passphrase: the worker still waits, so the window stays to try again.
          sent.current = false;
          setAnswering(false);
          setAnswerError(errorMessage(error));
        },
      );
    },
    [promptId],
  );
  const answer = useCallback(
    (decision: UserDecision) => promptId && send({ kind: 'prompt.answer', promptId, decision }),
    [promptId, send],
  );
  const submitPassphrase = useCallback(
    (passphrase: string) => promptId && send({ kind: 'prompt.passphrase', promptId, passphrase }),
    [promptId, send],
  );

  return { state, answering, answerError, answer, submitPassphrase };
}
