import type { PasskeyView } from '../src/webauthn/messages';
import { formatDate, formatDateTime, lastUsedText } from '../extension/ui/format';
import { LATCHKEY_AAGUID } from '../src/authenticator/aaguid';

const ALGORITHMS: Record<number, string> = { [-7]: 'ES256 (ECDSA P-256, SHA-256)', [-8]: 'EdDSA', [-257]: 'RS256' };

function uuid(bytes: Uint8Array): string {
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Everything the vault knows about a passkey but its key and user handle. */
export function PasskeyFacts({ passkey }: { passkey: PasskeyView }) {
  const yesNo = (value: boolean) => (value ? 'yes' : 'no');
  return (
    <dl class="facts" data-testid="passkey-facts">
      <dt>Created</dt>
      <dd>{formatDateTime(passkey.createdAt)}</dd>
      <dt>Last used</dt>
      <dd>{passkey.lastUsedAt === null ? 'never' : formatDateTime(passkey.lastUsedAt)}</dd>
      <dt>Algorithm</dt>
      <dd>{ALGORITHMS[passkey.algorithm] ?? `COSE ${passkey.algorithm}`}</dd>
      <dt>Signature counter</dt>
      <dd>{passkey.signCount === null ? 'none (always 0)' : passkey.signCount}</dd>
      <dt>Discoverable</dt>
      <dd>{yesNo(passkey.discoverable)}</dd>
      <dt>Backup eligible / backed up</dt>
      <dd>
        {yesNo(passkey.backupEligible)} / {yesNo(passkey.backupState)}
      </dd>
      <dt>AAGUID</dt>
      <dd>{uuid(LATCHKEY_AAGUID)} (Latchkey)</dd>
    </dl>
  );
}

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
        {passkey.notSynced ? (
          <span
            class="not-synced"
            data-testid="not-synced"
            title="Sync storage is full: this passkey is kept only in this browser."
          >
            {' · '}not synced
          </span>
        ) : null}
      </div>
    </div>
  );
}
