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

/** One on/off setting: a switch, its label and a line of help. */
function SettingToggle({ id, label, help, checked, disabled, onChange }: ToggleProps) {
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

export function SettingsSection({ settings, error, saving, setTesterAutoApprove, setOnlyWithMatchingPasskey }: SettingsState) {
  const disabled = settings === null || saving;
  return (
    <section class="settings" aria-labelledby="settings-heading">
      <h2 id="settings-heading">Settings</h2>
      <SettingToggle
        id="tester-toggle"
        label="Tester mode"
        help="Approves every passkey request without asking. Only for automated tests: while it is on, any site can create and use passkeys in Latchkey without you."
        checked={settings?.testerAutoApprove ?? false}
        disabled={disabled}
        onChange={(on) => void setTesterAutoApprove(on)}
      />
      <SettingToggle
        id="matching-toggle"
        label="Only when Latchkey has the passkey"
        help="At sign-in, Latchkey steps in only if it holds a passkey the site asks for; otherwise the browser answers as if Latchkey were not installed."
        checked={settings?.onlyWithMatchingPasskey ?? false}
        disabled={disabled}
        onChange={(on) => void setOnlyWithMatchingPasskey(on)}
      />
      {error ? <ErrorNotice context="Settings:" message={error} /> : null}
    </section>
  );
}
