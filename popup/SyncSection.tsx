import { useCallback, useEffect, useState } from 'preact/hooks';
import { ErrorNotice } from '../extension/ui/ErrorNotice';
import { errorMessage, sendToWorker } from '../extension/ui/sendToWorker';
import type { SyncStatusView } from '../src/webauthn/messages';
import { SettingToggle } from './SettingsSection';
import type { SettingsState } from './useSettings';
import { useRefreshOnChange } from './useRefreshOnChange';

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** Sync: the switch, and what the last round did (time, passkeys, conflicts, errors, quota). */
export function SyncSection({ settings }: { settings: SettingsState }) {
  const [status, setStatus] = useState<SyncStatusView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async (run = false) => {
    try {
      setStatus((await sendToWorker({ kind: 'sync.status', ...(run ? { run: true } : {}) })).sync);
      setError(null);
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }, []);
  useEffect(() => void load(), [load]);
  useRefreshOnChange(load);

  const on = settings.settings?.sync ?? false;
  const managedOff = settings.policy.syncDisabled === true;
  const share = status ? status.bytesInUse / status.quotaBytes : 0;
  return (
    <section class="settings" aria-labelledby="sync-heading" data-testid="sync-section">
      <h2 id="sync-heading">Sync</h2>
      <SettingToggle
        id="sync-toggle"
        label="Sync passkeys with this browser’s sync"
        help="New passkeys follow you to your other browsers signed in to the same sync account, encrypted with your vault key: your passphrase unlocks them there. Passkeys made while sync was off stay in this browser."
        checked={on}
        disabled={settings.settings === null || settings.saving || managedOff}
        onChange={(value) => void settings.setSync(value).then(() => load())}
      />
      {managedOff ? (
        <p class="muted" data-testid="sync-managed">
          Your organisation has switched sync off.
        </p>
      ) : null}
      {status && status.enabled ? (
        <div class="sync-status" data-testid="sync-status" role="status">
          <p class="muted">
            {status.state === 'locked'
              ? 'Locked: sync resumes when you unlock.'
              : status.lastSyncedAt
                ? `Last synced ${new Date(status.lastSyncedAt).toLocaleString()}.`
                : 'Not synced yet.'}{' '}
            <span data-testid="sync-counts">
              {status.synced} synced, {status.notSynced} not synced (sync storage full), {status.deviceBound} only in this
              browser; {status.conflictsResolved} {status.conflictsResolved === 1 ? 'conflict' : 'conflicts'} resolved.
            </span>
          </p>
          <p class={share >= 0.8 ? 'sync-warning' : 'muted'} data-testid="sync-quota">
            Sync storage: {kib(status.bytesInUse)} of {kib(status.quotaBytes)} used ({Math.round(share * 100)} %).
            {share >= 0.8 ? ' Almost full: new passkeys will stay in this browser only.' : ''}
          </p>
          {status.errors.map((message) => (
            <ErrorNotice key={message} context="Sync:" message={message} />
          ))}
          <button
            type="button"
            data-testid="sync-now"
            disabled={busy}
            onClick={() => {
              setBusy(true);
              void load(true).finally(() => setBusy(false));
            }}
          >
            Sync now
          </button>
        </div>
      ) : null}
      {error ? <ErrorNotice context="Sync:" message={error} /> : null}
    </section>
  );
}
