import { useMemo, useRef, useState } from 'preact/hooks';
import { ErrorNotice } from '../extension/ui/ErrorNotice';
import { LatchkeyMark } from '../extension/ui/LatchkeyMark';
import { EmptyState } from './EmptyState';
import { filterPasskeys } from './filterPasskeys';
import { PasskeyList } from './PasskeyList';
import { SearchBox } from './SearchBox';
import { SettingsSection } from './SettingsSection';
import { TesterBanner } from './TesterBanner';
import { usePasskeys } from './usePasskeys';
import { useSettings } from './useSettings';
import { WelcomeNote } from './WelcomeNote';

const isWelcome = new URLSearchParams(location.search).has('welcome');

export function App() {
  const { passkeys, loadError, rename, remove, showAgain } = usePasskeys();
  const settings = useSettings();
  const [query, setQuery] = useState('');
  const searchRef = useRef<HTMLInputElement>(null);
  const shown = useMemo(() => (passkeys ? filterPasskeys(passkeys, query) : []), [passkeys, query]);
  const testerOn = settings.settings?.testerAutoApprove === true;

  return (
    <div class="popup">
      <header class="popup-header">
        <LatchkeyMark size={22} />
        <h1>Latchkey</h1>
        {passkeys && passkeys.length > 0 ? (
          <span class="muted count">
            {passkeys.length} {passkeys.length === 1 ? 'passkey' : 'passkeys'}
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
      </header>

      {testerOn ? (
        <TesterBanner saving={settings.saving} onTurnOff={() => void settings.setTesterAutoApprove(false)} />
      ) : null}

      {isWelcome ? <WelcomeNote /> : null}

      <main class="popup-main" aria-busy={passkeys === null && loadError === null}>
        {loadError ? <ErrorNotice context="Could not load your passkeys." message={loadError} /> : null}

        {passkeys === null ? (
          loadError ? null : <p class="muted">Loading passkeys…</p>
        ) : passkeys.length === 0 ? (
          <EmptyState />
        ) : (
          <>
            <SearchBox value={query} onInput={setQuery} inputRef={searchRef} />
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
              />
            )}
          </>
        )}
      </main>

      <SettingsSection {...settings} />
    </div>
  );
}
