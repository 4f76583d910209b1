import { ErrorNotice } from '../extension/ui/ErrorNotice';
import type { SettingsState } from './useSettings';

interface ToggleProps {
  id: string;
  label: string;
  help: string;
  checked: boolean;
  disabled: boolean;
  onChange: (on: boolean) => void;
}

/** Chromium's chrome.webAuthenticationProxy (Firefox has none): the second interception path. */
const PROXY_AVAILABLE = typeof chrome !== 'undefined' && 'webAuthenticationProxy' in chrome;

/** One on/off setting: a switch, its label and a line of help. */
export function SettingToggle({ id, label, help, checked, disabled, onChange }: ToggleProps) {
  return (
    <div class="setting">
      <input
        id={id}
        type="checkbox"
        role="switch"
        data-testid={id}
        checked={checked}
        disabled={disabled}
        aria-describedby={`${id}-help`}
        onChange={(event) => onChange(event.currentTarget.checked)}
      />
      <div>
        <label for={id}>{label}</label>
        <p id={`${id}-help`} class="muted help">
          {help}
        </p>
      </div>
    </div>
  );
}

export function SettingsSection({
  settings,
  policy,
  error,
  saving,
  setTesterAutoApprove,
  setAutoLockMinutes,
  setOnlyWithMatchingPasskey,
  setInterceptWithProxy,
}: Omit<SettingsState, 'setSync'>) {
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
      <SettingToggle
        id="tester-toggle"
        label="Tester mode"
        help="Approves every passkey request without asking. Only for automated tests: while it is on, any site can create and use passkeys in Latchkey without you."
        checked={settings?.testerAutoApprove ?? false}
        disabled={settings === null || saving}
        onChange={(on) => void setTesterAutoApprove(on)}
      />
      <SettingToggle
        id="matching-toggle"
        label="Only when Latchkey has the passkey"
        help="At sign-in, Latchkey steps in only if it holds a passkey the site asks for; otherwise the browser answers as if Latchkey were not installed."
        checked={settings?.onlyWithMatchingPasskey ?? false}
        disabled={settings === null || saving}
        onChange={(on) => void setOnlyWithMatchingPasskey(on)}
      />
      {PROXY_AVAILABLE ? (
        <SettingToggle
          id="proxy-toggle"
          label="Answer requests the page routes around Latchkey"
          help="Chromium's WebAuthn proxy: Latchkey also answers sign-ins that a page (or another extension) sends straight to the browser. While it is on, such requests cannot use your phone or a security key; requests Latchkey hands to the browser still can."
          checked={settings?.interceptWithProxy ?? false}
          disabled={settings === null || saving}
          onChange={(on) => void setInterceptWithProxy(on)}
        />
      ) : null}
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
