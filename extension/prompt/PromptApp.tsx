import { useEffect } from 'preact/hooks';
import type { PromptView } from '../../src/webauthn/messages';
import { ErrorNotice } from '../ui/ErrorNotice';
import { LatchkeyMark } from '../ui/LatchkeyMark';
import { CreatePrompt } from './CreatePrompt';
import { ExcludedPrompt } from './ExcludedPrompt';
import { GetPrompt } from './GetPrompt';
import { NoCredentialsPrompt } from './NoCredentialsPrompt';
import { OriginBox } from './OriginBox';
import { NotWaiting } from './NotWaiting';
import { VaultPrompt } from './VaultPrompt';
import { usePrompt, type UserDecision } from './usePrompt';

/** What each kind of prompt needs from the window around it. */
export interface PromptProps<K extends PromptView['kind']> {
  prompt: Extract<PromptView, { kind: K }>;
  answering: boolean;
  answer: (decision: UserDecision) => void;
}

function titleFor(prompt: PromptView): string {
  switch (prompt.kind) {
    case 'create':
      return `Save a passkey for ${prompt.rpId}`;
    case 'get':
      return `Sign in to ${prompt.rpId}`;
    case 'excluded':
      return `Passkey already saved for ${prompt.rpId}`;
    case 'no-credentials':
      return `No passkey for ${prompt.rpId}`;
    case 'setup':
      return 'Set a passphrase';
    case 'unlock':
      return 'Unlock Latchkey';
  }
}

export function PromptApp({ promptId }: { promptId: string | null }) {
  const { state, answering, answerError, answer, submitPassphrase } = usePrompt(promptId);

  // Escape cancels, as the browser's own passkey dialog does. Once there is
  // nothing left to answer, it just closes the window.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      event.preventDefault();
      if (state.status === 'ready' || state.status === 'loading') answer({ outcome: 'cancel' });
      else window.close();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [state, answer]);

  useEffect(() => {
    document.title = state.status === 'ready' ? `${titleFor(state.prompt)} — Latchkey` : 'Latchkey';
  }, [state]);

  return (
    <div class="prompt">
      <header class="prompt-header">
        <LatchkeyMark size={20} />
        <span>Latchkey</span>
      </header>

      {state.status === 'ready' && state.prompt.testerMode ? (
        <p class="banner" role="status" data-testid="tester-banner">
          Tester mode is on
        </p>
      ) : null}

      {state.status === 'ready' ? <OriginBox origin={state.prompt.origin} /> : null}

      {answerError ? <ErrorNotice context="Latchkey could not take your answer." message={answerError} /> : null}

      <main class="prompt-main" aria-busy={state.status === 'loading' || answering}>
        {state.status === 'loading' ? <p class="muted">Loading the request…</p> : null}
        {state.status === 'gone' ? <NotWaiting /> : null}
        {state.status === 'failed' ? <NotWaiting reason={state.message} /> : null}
        {state.status === 'ready' ? <PromptBody prompt={state.prompt} answering={answering} answer={answer} submitPassphrase={submitPassphrase} /> : null}
      </main>
    </div>
  );
}

function PromptBody({
  prompt,
  answering,
  answer,
  submitPassphrase,
}: PromptProps<PromptView['kind']> & { submitPassphrase: (passphrase: string) => void }) {
  switch (prompt.kind) {
    case 'create':
      return <CreatePrompt prompt={prompt} answering={answering} answer={answer} />;
    case 'get':
      return <GetPrompt prompt={prompt} answering={answering} answer={answer} />;
    case 'excluded':
      return <ExcludedPrompt prompt={prompt} answering={answering} answer={answer} />;
    case 'no-credentials':
      return <NoCredentialsPrompt prompt={prompt} answering={answering} answer={answer} />;
    case 'setup':
    case 'unlock':
      return <VaultPrompt prompt={prompt} answering={answering} answer={answer} submitPassphrase={submitPassphrase} />;
  }
}
