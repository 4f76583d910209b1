import { useState } from 'preact/hooks';
import { useFocusOnMount } from '../ui/useFocusOnMount';
import type { PromptProps } from './PromptApp';
import { UseAnotherButton } from './UseAnotherButton';

/** The minimum the worker accepts (src/vault/vault.ts). */
const MIN_PASSPHRASE_LENGTH = 8;

/**
 * Before a ceremony: choose a passphrase for a new vault (`setup`), or unlock a
 * locked one (`unlock`). A wrong passphrase comes back as the window's error
 * notice and the field stays for another try.
 */
export function VaultPrompt({
  prompt,
  answering,
  answer,
  submitPassphrase,
}: PromptProps<'setup' | 'unlock'> & { submitPassphrase: (passphrase: string) => void }) {
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const field = useFocusOnMount<HTMLInputElement>();
  const setup = prompt.kind === 'setup';

  const onSubmit = (event: Event) => {
    event.preventDefault();
    if (setup && passphrase.length < MIN_PASSPHRASE_LENGTH) return setProblem(`Use at least ${MIN_PASSPHRASE_LENGTH} characters.`);
    if (setup && passphrase !== repeat) return setProblem('The two passphrases differ.');
    setProblem(null);
    submitPassphrase(passphrase);
  };

  return (
    <form class="prompt-form" onSubmit={onSubmit}>
      <h1>{setup ? 'Protect your passkeys with a passphrase' : 'Unlock Latchkey'}</h1>
      <p class="muted">
        {setup
          ? `Latchkey encrypts every passkey with a key only this passphrase opens. You will need it after each browser restart and when Latchkey locks itself. It cannot be recovered.`
          : `${prompt.rpId} wants to use a passkey. Enter your Latchkey passphrase to continue.`}
      </p>
      <div class="field">
        <label for="vault-passphrase">{setup ? 'New passphrase' : 'Passphrase'}</label>
        <input
          id="vault-passphrase"
          ref={field}
          type="password"
          data-testid="passphrase"
          autoComplete={setup ? 'new-password' : 'current-password'}
          value={passphrase}
          disabled={answering}
          onInput={(event) => setPassphrase(event.currentTarget.value)}
        />
      </div>
      {setup ? (
        <div class="field">
          <label for="vault-passphrase-repeat">Repeat the passphrase</label>
          <input
            id="vault-passphrase-repeat"
            type="password"
            data-testid="passphrase-repeat"
            autoComplete="new-password"
            value={repeat}
            disabled={answering}
            onInput={(event) => setRepeat(event.currentTarget.value)}
          />
        </div>
      ) : null}
      {problem ? (
        <p class="error" role="alert">
          {problem}
        </p>
      ) : null}
      <div class="actions">
        <button type="submit" class="primary" data-testid="unlock" disabled={answering || passphrase === ''}>
          {setup ? 'Set passphrase' : 'Unlock'}
        </button>
        <button type="button" data-testid="cancel" disabled={answering} onClick={() => answer({ outcome: 'cancel' })}>
          Cancel
        </button>
      </div>
      <UseAnotherButton answering={answering} answer={answer} />
    </form>
  );
}
