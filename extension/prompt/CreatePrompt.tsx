import { useState } from 'preact/hooks';
import { useFocusOnMount } from '../ui/useFocusOnMount';
import type { PromptProps } from './PromptApp';
import { PinField } from './PinField';
import { UseAnotherButton } from './UseAnotherButton';

/** The limit `prompt.answer` accepts for a name (src/webauthn/messages.ts). */
const MAX_NAME_LENGTH = 200;

/** "Save a passkey for <rpId> as <userName>?" — with a name the user can change before saving. */
export function CreatePrompt({ prompt, answering, answer }: PromptProps<'create'>) {
  const [name, setName] = useState(prompt.suggestedName);
  const [pin, setPin] = useState('');
  const approve = useFocusOnMount<HTMLButtonElement>();
  const pinField = useFocusOnMount<HTMLInputElement>();
  const showDisplayName = prompt.userDisplayName !== '' && prompt.userDisplayName !== prompt.userName;
  const showRpName = prompt.rpName !== '' && prompt.rpName !== prompt.rpId;

  const onSubmit = (event: Event) => {
    event.preventDefault();
    const trimmed = name.trim();
    // The click is user presence; verification is the PIN, which the worker checks (and sets `verified`).
    answer({
      outcome: 'approve',
      verified: false,
      ...(trimmed ? { name: trimmed } : {}),
      ...(prompt.userVerification ? { pin } : {}),
    });
  };

  return (
    <form class="prompt-form" onSubmit={onSubmit}>
      <h1>
        Save a passkey for <span class="rp">{prompt.rpId}</span> as <span class="user">{prompt.userName}</span>?
      </h1>
      {showRpName || showDisplayName ? (
        <p class="muted">
          {showRpName ? <>The site calls itself “{prompt.rpName}”. </> : null}
          {showDisplayName ? <>The account’s display name is “{prompt.userDisplayName}”.</> : null}
        </p>
      ) : null}

      <div class="field">
        <label for="passkey-name">Passkey name</label>
        <input
          id="passkey-name"
          type="text"
          data-testid="passkey-name"
          value={name}
          maxLength={MAX_NAME_LENGTH}
          autoComplete="off"
          spellcheck={false}
          disabled={answering}
          aria-describedby="passkey-name-help"
          onInput={(event) => setName(event.currentTarget.value)}
        />
        <p id="passkey-name-help" class="muted help">
          Helps you tell your passkeys apart in Latchkey. The site does not see it.
        </p>
      </div>

      {prompt.userVerification ? (
        <PinField inputRef={pinField} value={pin} onInput={setPin} disabled={answering} required />
      ) : null}

      <div class="actions">
        <button ref={prompt.userVerification ? undefined : approve} type="submit" class="primary" data-testid="approve" disabled={answering || (prompt.userVerification && pin === '')}>
          Save passkey
        </button>
        <button type="button" data-testid="cancel" disabled={answering} onClick={() => answer({ outcome: 'cancel' })}>
          Cancel
        </button>
      </div>
      <UseAnotherButton answering={answering} answer={answer} />
    </form>
  );
}
