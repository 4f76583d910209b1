import { useMemo, useRef, useState } from 'preact/hooks';
import { ErrorNotice } from '../extension/ui/ErrorNotice';
import { LatchkeyMark } from '../extension/ui/LatchkeyMark';
import { EmptyState } from './EmptyState';
import { createSearchIndex } from './searchIndex';
import { PasskeyList } from './PasskeyList';
import { SearchBox } from './SearchBox';
import { SettingsSection } from './SettingsSection';
import { SecurityKeysSection } from './SecurityKeysSection';
import { SitesSection } from './SitesSection';
import { SyncSection } from './SyncSection';
import { ExchangeSection } from './ExchangeSection';
import { TesterBanner } from './TesterBanner';
import { usePasskeys } from './usePasskeys';
import { useSettings } from './useSettings';
import { useVault } from './useVault';
import { WelcomeNote } from './WelcomeNote';

const isWelcome = new URLSearchParams(location.search).has('welcome');
import { SecuritySection, UnlockForm, VaultSetup } from './VaultForms';

export function App() {
  const vault = useVault();
  const settings = useSettings();
  const testerOn = settings.settings?.testerAutoApprove === true;
  const status = vault.status;

  return (
    <div class="popup">
      {isWelcome ? <WelcomeNote /> : null}
      {status && status.exists && !status.locked ? (
        <Unlocked settings={settings} vault={vault} testerOn={testerOn} />
      ) : (
        <>
          <header class="popup-header">
            <LatchkeyMark size={22} />
            <h1>Latchkey</h1>
            {status?.locked && status.exists ? <span class="muted count" data-testid="lock-state">Locked</span> : null}
          </header>
          {testerOn ? <TesterBanner saving={settings.saving} onTurnOff={() => void settings.setTesterAutoApprove(false)} /> : null}
          <main class="popup-main" aria-busy={status === null}>
            {status === null ? (
              vault.error ? <ErrorNotice context="Latchkey’s vault:" message={vault.error} /> : <p class="muted">Loading…</p>
            ) : !status.exists ? (
              <VaultSetup status={status} vault={vault} />
            ) : (
              <UnlockForm vault={vault} />
            )}
          </main>
        </>
      )}
    </div>
  );
}

function Unlocked({ settings, vault, testerOn }: { settings: ReturnType<typeof useSettings>; vault: ReturnType<typeof useVault>; testerOn: boolean }) {
  const { passkeys, total, complete, loadError, rename, remove, showAgain, refresh } = usePasskeys();
  const [query, setQuery] = useState('');
  const searchRef = useRef<HTMLInputElement>(null);
  const search = useMemo(() => (passkeys ? createSearchIndex(passkeys) : null), [passkeys]);
  const shown = useMemo(() => (search ? search(query) : []), [search, query]);
  const list = useRef<{ focusFirst(): void } | null>(null);

  return (
    <>
      <header class="popup-header">
        <LatchkeyMark size={22} />
        <h1>Latchkey</h1>
        {passkeys && passkeys.length > 0 ? (
          <span class="muted count">
            {total === null ? `${passkeys.length}+ passkeys` : `${total} ${total === 1 ? 'passkey' : 'passkeys'}`}
          </span>
        ) : null}
        <a
          class="diagnostics-link"
          href="../extension/diagnostics/index.html"
          target="_blank"
          rel="noopener"
          data-testid="diagnostics-link"
          title="Every passkey request sites made, decoded and explained"
        >
          Diagnostics
        </a>
        <button type="button" class="lock-now" data-testid="lock-now" disabled={vault.busy} onClick={() => void vault.run({ kind: 'vault.lock' })}>
          Lock
        </button>
      </header>

      {testerOn ? (
        <TesterBanner saving={settings.saving} onTurnOff={() => void settings.setTesterAutoApprove(false)} />
      ) : null}

      <main class="popup-main" aria-busy={!complete && loadError === null} data-complete={complete}>
        {loadError ? <ErrorNotice context="Could not load your passkeys." message={loadError} /> : null}

        {passkeys === null ? (
          loadError ? null : <p class="muted">Loading passkeys…</p>
        ) : passkeys.length === 0 ? (
          <EmptyState />
        ) : (
          <>
            <SearchBox value={query} onInput={setQuery} inputRef={searchRef} onArrowDown={() => list.current?.focusFirst()} />
            {shown.length === 0 ? (
              <p class="muted no-matches" data-testid="no-matches" role="status">
                No passkeys match “{query.trim()}”.
              </p>
            ) : (
              <PasskeyList
                passkeys={shown}
                rename={rename}
                remove={remove}
                showAgain={showAgain}
                onDeleted={() => searchRef.current?.focus()}
                onLeaveTop={() => searchRef.current?.focus()}
                handleRef={list}
              />
            )}
          </>
        )}
      </main>

      {vault.status ? <SecuritySection status={vault.status} vault={vault} /> : null}
      <ExchangeSection exportDisabled={settings.policy.exportDisabled === true} onImported={() => void refresh()} />
      <SitesSection />
      <SecurityKeysSection />
      <SyncSection settings={settings} />
      <SettingsSection {...settings} />
    </>
  );
}
