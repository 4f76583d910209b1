import type { Ref } from 'preact';
import type { PasskeyView } from '../../src/webauthn/messages';
import { formatDateTime, lastUsedText } from '../ui/format';

/** One account in the sign-in picker; choosing it approves with its credential id. */
export function AccountButton({
  passkey,
  buttonRef,
  disabled,
  onChoose,
}: {
  passkey: PasskeyView;
  buttonRef?: Ref<HTMLButtonElement>;
  disabled: boolean;
  onChoose: (event: MouseEvent) => void;
}) {
  const showDisplayName = passkey.userDisplayName !== '' && passkey.userDisplayName !== passkey.userName;
  return (
    <button
      ref={buttonRef}
      type="button"
      class="account"
      data-testid="account"
      data-passkey-id={passkey.id}
      disabled={disabled}
      onClick={onChoose}
    >
      <span class="account-user">{passkey.userName || '(no user name)'}</span>
      {showDisplayName ? <span class="account-display">{passkey.userDisplayName}</span> : null}
      <span class="account-meta muted">
        {passkey.name}
        {' · '}
        <span title={passkey.lastUsedAt === null ? undefined : formatDateTime(passkey.lastUsedAt)}>
          {lastUsedText(passkey.lastUsedAt)}
        </span>
      </span>
      {passkey.health === 'suspected' ? (
        <span class="account-warning" data-testid="account-warning">
          Warning: {passkey.healthReason}
        </span>
      ) : null}
    </button>
  );
}
