import { useFocusOnMount } from '../ui/useFocusOnMount';
import type { PromptProps } from './PromptApp';
import { SecurityKeyChoice } from './SecurityKeyChoice';
import { UseAnotherButton } from './UseAnotherButton';

export function NoCredentialsPrompt({ prompt, answering, answer }: PromptProps<'no-credentials'>) {
  const useAnother = useFocusOnMount<HTMLButtonElement>();
  return (
    <div class="prompt-form">
      <h1>
        Latchkey has no passkey for <span class="rp">{prompt.rpId}</span>.
      </h1>
      <p class="muted">
        Your passkey may be on your phone, in your browser or on a security key. Or close this window and sign in
        another way.
      </p>
      <div class="actions">
        <UseAnotherButton primary buttonRef={useAnother} answering={answering} answer={answer} />
        {prompt.securityKey ? <SecurityKeyChoice available answering={answering} answer={answer} touchKey={prompt.touchKey === true} /> : null}
        <button type="button" data-testid="cancel" disabled={answering} onClick={() => answer({ outcome: 'cancel' })}>
          Close
        </button>
      </div>
    </div>
  );
}
