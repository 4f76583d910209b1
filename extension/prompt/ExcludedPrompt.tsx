import { useFocusOnMount } from '../ui/useFocusOnMount';
import type { PromptProps } from './PromptApp';

/**
 * The site listed a passkey Latchkey already holds in excludeCredentials.
 * OK is the user's presence; the worker then answers the page with the
 * InvalidStateError the spec asks for.
 */
export function ExcludedPrompt({ prompt, answering, answer }: PromptProps<'excluded'>) {
  const ok = useFocusOnMount<HTMLButtonElement>();
  return (
    <div class="prompt-form">
      <h1>
        You already have a passkey for <span class="rp">{prompt.rpId}</span> (
        <span class="user">{prompt.userName}</span>) in Latchkey.
      </h1>
      <p class="muted">The site does not need a second one. Sign in with the passkey you already have.</p>
      <div class="actions">
        <button
          ref={ok}
          type="button"
          class="primary"
          data-testid="approve"
          disabled={answering}
          onClick={() => answer({ outcome: 'approve', verified: false })}
        >
          OK
        </button>
        <button type="button" data-testid="cancel" disabled={answering} onClick={() => answer({ outcome: 'cancel' })}>
          Cancel
        </button>
      </div>
    </div>
  );
}
