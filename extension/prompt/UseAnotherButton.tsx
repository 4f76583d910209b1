import type { Ref } from 'preact';
import type { UserDecision } from './usePrompt';

/** Hands the ceremony to the browser's own WebAuthn (phone by QR, platform, USB/NFC key). */
export function UseAnotherButton({
  answering,
  answer,
  primary = false,
  buttonRef,
}: {
  answering: boolean;
  answer: (decision: UserDecision) => void;
  primary?: boolean;
  buttonRef?: Ref<HTMLButtonElement>;
}) {
  return (
    <button
      ref={buttonRef}
      type="button"
      class={primary ? 'primary' : 'link use-another'}
      data-testid="use-another"
      disabled={answering}
      onClick={() => answer({ outcome: 'use-another-authenticator' })}
    >
      Use another device or security key
    </button>
  );
}
