import { useCallback, useEffect, useState } from 'preact/hooks';
import { ErrorNotice } from '../extension/ui/ErrorNotice';
import { errorMessage, sendToWorker } from '../extension/ui/sendToWorker';
import type { SiteMode } from '../src/settings/sitePolicy';

const LABELS: Record<SiteMode, string> = {
  latchkey: 'Use Latchkey',
  browser: 'Always hand to the browser',
  ask: 'Ask each time',
};

/** Per-site choices (remembered from the save prompt or set here) and the organisation's hand-over list. */
export function SitesSection() {
  const [sites, setSites] = useState<Record<string, SiteMode> | null>(null);
  const [managed, setManaged] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [host, setHost] = useState('');

  const apply = useCallback(async (request: Parameters<typeof sendToWorker>[0] & { kind: 'sites.list' | 'sites.set' }) => {
    try {
      const reply = await sendToWorker(request);
      setSites(reply.sites);
      setManaged(reply.handOverSites);
      setError(null);
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }, []);
  useEffect(() => void apply({ kind: 'sites.list' }), [apply]);

  const entries = Object.entries(sites ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return (
    <section class="settings" aria-labelledby="sites-heading">
      <h2 id="sites-heading">Sites</h2>
      {managed.length > 0 ? (
        <p class="muted" data-testid="managed-sites">
          Set by your organisation — handed to the browser: {managed.join(', ')}
        </p>
      ) : null}
      {entries.length === 0 ? <p class="muted">Every site uses Latchkey. Choices you remember in the save prompt appear here.</p> : null}
      <ul class="sites" role="list">
        {entries.map(([site, mode]) => (
          <li key={site}>
            <label for={`site-${site}`}>{site}</label>{' '}
            <select
              id={`site-${site}`}
              value={mode}
              data-testid="site-mode"
              onChange={(event) => void apply({ kind: 'sites.set', host: site, mode: event.currentTarget.value as SiteMode })}
            >
              {(Object.keys(LABELS) as SiteMode[]).map((value) => (
                <option key={value} value={value}>
                  {LABELS[value]}
                </option>
              ))}
            </select>{' '}
            <button type="button" class="link" onClick={() => void apply({ kind: 'sites.set', host: site, mode: null })}>
              Forget
            </button>
          </li>
        ))}
      </ul>
      <form
        class="vault-form"
        onSubmit={(event) => {
          event.preventDefault();
          const trimmed = host.trim().toLowerCase();
          if (trimmed) void apply({ kind: 'sites.set', host: trimmed, mode: 'browser' }).then(() => setHost(''));
        }}
      >
        <label for="add-site">Hand a site to the browser</label>
        <input id="add-site" type="text" placeholder="login.example.com" value={host} onInput={(e) => setHost(e.currentTarget.value)} />
        <button type="submit" disabled={host.trim() === ''}>
          Add
        </button>
      </form>
      {error ? <ErrorNotice context="Sites:" message={error} /> : null}
    </section>
  );
}
