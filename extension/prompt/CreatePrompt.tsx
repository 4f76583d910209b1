import { useState } from 'preact/hooks';
import { useFocusOnMount } from '../ui/useFocusOnMount';
import type { PromptProps } from './PromptApp';
import { PinField } from './PinField';
import { SecurityKeyChoice } from './SecurityKeyChoice';

/** The limit `prompt.answer` accepts for a name (src/webauthn/messages.ts). */
const MAX_NAME_LENGTH = 200;

/** "Save a passkey for <rpId> as <userName>?" — with a name the user can change before saving. */
export function CreatePrompt({ prompt, answering, answer }: PromptProps<'create'>) {
  const [name, setName] = useState(prompt.suggestedName);
  const [pin, setPin] = useState('');
  const [remember, setRemember] = useState(false);
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
      ...(remember ? { rememberForSite: true } : {}),
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

      <fieldset class="where" aria-describedby="where-help">
        <legend>Where to save it</legend>
        <div class="actions where-options">
          <button
            ref={prompt.userVerification || prompt.askWhere ? undefined : approve}
            type="submit"
            class={prompt.askWhere ? '' : 'primary'}
            data-testid="approve"
            disabled={answering || (prompt.userVerification && pin === '')}
          >
            Latchkey in this browser
          </button>
          {/* Both hand the site's original request to the browser's own WebAuthn, whose dialog shows the QR code or asks for the key. */}
          <button
            type="button"
            data-testid="use-another"
            disabled={answering}
            onClick={() => answer({ outcome: 'use-another-authenticator', ...(remember ? { rememberForSite: true } : {}) })}
          >
            Another device (phone or tablet, by QR code)
          </button>
          <SecurityKeyChoice available={prompt.securityKey === true} answering={answering} answer={answer} touchKey={prompt.touchKey === true} rememberForSite={remember} />
        </div>
        <p id="where-help" class="muted help">
          Another device hands the request to your browser, which shows a QR code for your phone. A security key is used through
          Latchkey’s bridge when it is installed, otherwise through your browser.
        </p>
        {prompt.askWhere ? null : (
          <label class="remember">
            <input type="checkbox" data-testid="remember-site" checked={remember} disabled={answering} onChange={(e) => setRemember(e.currentTarget.checked)} />{' '}
            Remember my choice for {hostOf(prompt.origin)}
          </label>
        )}
      </fieldset>

      <div class="actions">
        <button type="button" data-testid="cancel" disabled={answering} onClick={() => answer({ outcome: 'cancel' })}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The site the choice is remembered for: the page's host, as the worker keys it. */
function hostOf(origin: string): string {
  try {
    return new URL(origin).hostname;
  } catch {
    return origin;
  }
}
