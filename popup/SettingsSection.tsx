import { ErrorNotice } from '../extension/ui/ErrorNotice';
import type { SettingsState } from './useSettings';

export function SettingsSection({ settings, error, saving, setTesterAutoApprove, setOnlyWithMatchingPasskey }: SettingsState) {
  return (
    <section class="settings" aria-labelledby="settings-heading">
      <h2 id="settings-heading">Settings</h2>
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
            Approves every passkey request without asking. Only for automated tests: while it is on, any site
            can create and use passkeys in Latchkey without you.
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
            At sign-in, Latchkey steps in only if it holds a passkey the site asks for; otherwise the browser answers
            as if Latchkey were not installed.
          </p>
        </div>
      </div>
      {error ? <ErrorNotice context="Settings:" message={error} /> : null}
    </section>
  );
}
