import type { PasskeyView } from '../src/webauthn/messages';
import { formatDate, formatDateTime, lastUsedText } from '../extension/ui/format';

/** What the list says about one passkey. Labels are for screen readers; the layout says it to the eye. */
export function PasskeyDetails({ passkey, hideName = false }: { passkey: PasskeyView; hideName?: boolean }) {
  const showDisplayName = passkey.userDisplayName !== '' && passkey.userDisplayName !== passkey.userName;
  return (
    <div class="details">
      <div class="site" title={passkey.rpId}>
        <span class="visually-hidden">Site: </span>
        {passkey.rpId}
      </div>
      <div class="account">
        <span class="visually-hidden">Account: </span>
        {passkey.userName || <span class="muted">(no user name)</span>}
        {showDisplayName ? <span class="muted"> · {passkey.userDisplayName}</span> : null}
      </div>
      {hideName ? null : (
        <div class="name" title={passkey.name}>
          <span class="visually-hidden">Name: </span>
          {passkey.name}
        </div>
      )}
      <div class="dates muted">
        <span title={formatDateTime(passkey.createdAt)}>Created {formatDate(passkey.createdAt)}</span>
        {' · '}
        <span title={passkey.lastUsedAt === null ? undefined : formatDateTime(passkey.lastUsedAt)}>
          {lastUsedText(passkey.lastUsedAt)}
        </span>
      </div>
    </div>
  );
}
