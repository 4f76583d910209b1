import { ErrorNotice } from '../extension/ui/ErrorNotice';
import type { SettingsState } from './useSettings';

export function SettingsSection({
  settings,
  policy,
  error,
  saving,
  setTesterAutoApprove,
  setAutoLockMinutes,
  setOnlyWithMatchingPasskey,
}: SettingsState) {
  const lockManaged = policy.autoLockMinutes !== undefined;
  return (
    <section class="settings" aria-labelledby="settings-heading">
      <h2 id="settings-heading">Settings</h2>
      <div class="setting">
        <label for="auto-lock">Lock after</label>
        <input
          id="auto-lock"
          type="number"
          min={0}
          max={1440}
          data-testid="auto-lock-minutes"
          value={settings?.autoLockMinutes ?? 15}
          disabled={settings === null || saving || lockManaged}
          aria-describedby="auto-lock-help"
          onChange={(event) => {
            const minutes = Number(event.currentTarget.value);
            if (Number.isInteger(minutes) && minutes >= 0 && minutes <= 1440) void setAutoLockMinutes(minutes);
          }}
        />
        <span id="auto-lock-help" class="muted help">
          minutes without use (0: only when the browser quits or you lock it).
          {lockManaged ? <strong data-testid="managed-auto-lock"> Set by your organisation.</strong> : null}
        </span>
      </div>
      <div class="setting">
        <input
          id="tester-toggle"
          type="checkbox"
          role="switch"
          data-testid="tester-toggle"
          checked={settings?.testerAutoApprove ?? false}
          disabled={settings === null || saving}
          aria-describedby="tester-toggle-help"
          onChange={(event) => void setTesterAutoApprove(event.currentTarget.checked)}
        />
        <div>
          <label for="tester-toggle">Tester mode</label>
          <p id="tester-toggle-help" class="muted help">
            Approves every passkey request without asking. Only for automated tests: while it is on, any site can create and use
            passkeys in Latchkey without you.
          </p>
        </div>
      </div>
      <div class="setting">
        <input
          id="matching-toggle"
          type="checkbox"
          role="switch"
          data-testid="matching-toggle"
          checked={settings?.onlyWithMatchingPasskey ?? false}
          disabled={settings === null || saving}
          aria-describedby="matching-toggle-help"
          onChange={(event) => void setOnlyWithMatchingPasskey(event.currentTarget.checked)}
        />
        <div>
          <label for="matching-toggle">Only when Latchkey has the passkey</label>
          <p id="matching-toggle-help" class="muted help">
            At sign-in, Latchkey steps in only if it holds a passkey the site asks for; otherwise the browser answers as if
            Latchkey were not installed.
          </p>
        </div>
      </div>
      {policy.pinRequired || policy.pinMinLength || policy.exportDisabled ? (
        <p class="muted" data-testid="managed-policy">
          Set by your organisation:
          {policy.pinRequired ? ' a PIN is required for every passkey;' : ''}
          {policy.pinMinLength ? ` PINs have at least ${policy.pinMinLength} characters;` : ''}
          {policy.exportDisabled ? ' export is disabled;' : ''}
        </p>
      ) : null}
      {error ? <ErrorNotice context="Settings:" message={error} /> : null}
    </section>
  );
}
