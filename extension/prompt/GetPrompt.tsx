import { useMemo, useState } from 'preact/hooks';
import type { PasskeyView } from '../../src/webauthn/messages';
import { useFocusOnMount } from '../ui/useFocusOnMount';
import { AccountButton } from './AccountButton';
import type { PromptProps } from './PromptApp';
import { PinField } from './PinField';
import { SecurityKeyChoice } from './SecurityKeyChoice';
import { UseAnotherButton } from './UseAnotherButton';

/** Most recently used first (never used last), so the usual account is the focused one. */
function byLastUsed(candidates: readonly PasskeyView[]): PasskeyView[] {
  return [...candidates].sort((a, b) => (b.lastUsedAt ?? -Infinity) - (a.lastUsedAt ?? -Infinity));
}

/**
 * "Sign in to <rpId>": the account picker. The list lives here, in extension
 * UI, never in the page (DESIGN.md invariant 3). Arrow keys move between accounts.
 */
export function GetPrompt({ prompt, answering, answer }: PromptProps<'get'>) {
  const candidates = useMemo(() => byLastUsed(prompt.candidates), [prompt.candidates]);
  const first = useFocusOnMount<HTMLButtonElement>();
  const cancel = useFocusOnMount<HTMLButtonElement>();
  const pinField = useFocusOnMount<HTMLInputElement>();
  const [pin, setPin] = useState('');
  const [pinMissing, setPinMissing] = useState(false);
  const choose = (id: string) => {
    // The worker checks the PIN and sets `verified`; without one it cannot be verified.
    if (prompt.userVerification && pin === '') {
      setPinMissing(true);
      pinField.current?.focus();
      return;
    }
    answer({ outcome: 'approve', verified: false, credentialId: id, ...(prompt.userVerification ? { pin } : {}) });
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const list = event.currentTarget as HTMLElement;
    const buttons = [...list.querySelectorAll<HTMLButtonElement>('button[data-testid="account"]')];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (at === -1) return;
    event.preventDefault();
    const next = event.key === 'ArrowDown' ? Math.min(at + 1, buttons.length - 1) : Math.max(at - 1, 0);
    buttons[next]?.focus();
  };

  return (
    <div class="prompt-form">
      <h1>
        Sign in to <span class="rp">{prompt.rpId}</span>
      </h1>
      {candidates.length === 0 ? (
        <p>Latchkey has no passkey for {prompt.rpId}.</p>
      ) : (
        <>
          {prompt.userVerification ? (
            <>
              <PinField inputRef={pinField} value={pin} onInput={setPin} disabled={answering} required />
              {pinMissing ? (
                <p class="error" role="alert">
                  Enter your PIN, then choose the account.
                </p>
              ) : null}
            </>
          ) : null}
          <p class="muted" id="choose-account">
            {candidates.length === 1 ? 'Use this passkey?' : 'Choose the account to sign in with.'}
          </p>
          <ul class="accounts" role="list" aria-labelledby="choose-account" onKeyDown={onKeyDown}>
            {candidates.map((candidate, index) => (
              <li key={candidate.id}>
                <AccountButton
                  passkey={candidate}
                  buttonRef={index === 0 && !prompt.userVerification ? first : undefined}
                  disabled={answering}
                  onChoose={() => choose(candidate.id)}
                />
              </li>
            ))}
          </ul>
        </>
      )}
      <div class="actions">
        <button
          ref={candidates.length === 0 ? cancel : undefined}
          type="button"
          data-testid="cancel"
          disabled={answering}
          onClick={() => answer({ outcome: 'cancel' })}
        >
          Cancel
        </button>
      </div>
      <UseAnotherButton answering={answering} answer={answer} />
      {prompt.securityKey ? (
        <SecurityKeyChoice available answering={answering} answer={answer} touchKey={prompt.touchKey === true} />
      ) : null}
    </div>
  );
}
