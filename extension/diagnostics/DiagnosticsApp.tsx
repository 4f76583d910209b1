import { useMemo, useState } from 'preact/hooks';
import { type DescribedRecord, describeRecord } from '../../src/diagnostics/describeRecord';
import { buildReport, type DiagnosticsReport, parseReport } from '../../src/diagnostics/report';
import { ErrorNotice } from '../ui/ErrorNotice';
import { LatchkeyMark } from '../ui/LatchkeyMark';
import { EntryView } from './EntryView';
import { reportFile } from './exportReport';
import { groupByTabAndSite } from './groupByTabAndSite';
import { useRecords } from './useRecords';

/**
 * Latchkey's diagnostics: every WebAuthn call pages made, per tab and site, decoded and explained;
 * export of selected entries as a report; and a report someone sent, shown as they saw it. With a
 * tab id (the DevTools panel) it shows that tab only, live.
 */
export function DiagnosticsApp({ tabId }: { tabId: number | undefined }) {
  const [opened, setOpened] = useState<DiagnosticsReport | null>(null);
  const [openError, setOpenError] = useState<string | null>(null);
  const live = useRecords(tabId, opened === null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [reveal, setReveal] = useState(false);
  const [exported, setExported] = useState<{ url: string; name: string; count: number; text: string } | null>(null);

  const entries: DescribedRecord[] = useMemo(
    () => (opened ? opened.entries : (live.records ?? []).map(describeRecord)),
    [opened, live.records],
  );
  const groups = useMemo(() => groupByTabAndSite(entries), [entries]);
  const keyOf = (entry: DescribedRecord) => `${entry.record.seq ?? ''}/${entry.record.key}`;

  function exportSelected() {
    const chosen = (live.records ?? []).filter((record) => selected.has(`${record.seq ?? ''}/${record.key}`));
    const records = chosen.length > 0 ? chosen : (live.records ?? []);
    const report = buildReport(records, { reveal, now: Date.now() });
    if (exported) URL.revokeObjectURL(exported.url);
    const file = reportFile(report);
    setExported({ ...file, count: records.length });
    const link = document.createElement('a');
    link.href = file.url;
    link.download = file.name;
    link.click();
  }

  async function openFile(file: File | undefined) {
    if (!file) return;
    try {
      setOpened(parseReport(await file.text()));
      setOpenError(null);
    } catch (error) {
      setOpenError(error instanceof Error ? error.message : String(error));
    }
  }

  return (
    <div class="diagnostics">
      <header class="diagnostics-header">
        <LatchkeyMark size={22} />
        <h1>{tabId !== undefined ? 'Passkeys in this tab' : 'Latchkey diagnostics'}</h1>
        <span class="muted" data-testid="count">
          {entries.length} {entries.length === 1 ? 'call' : 'calls'}
        </span>
      </header>

      {opened ? (
        <section class="report-banner" data-testid="report-banner">
          <p>
            A report sent to you, made {opened.createdAt}
            {opened.redacted ? ' (names, user handles and credential IDs are hashed)' : ''}.{' '}
            <button type="button" onClick={() => setOpened(null)}>
              Back to this browser’s log
            </button>
          </p>
          <pre data-testid="report-summary">{opened.summary}</pre>
        </section>
      ) : (
        <section class="toolbar">
          <button type="button" data-testid="refresh" onClick={() => void live.refresh()}>
            Refresh
          </button>
          <button type="button" data-testid="clear" onClick={() => void live.clear()}>
            Clear the log
          </button>
          <button type="button" data-testid="export" onClick={exportSelected} disabled={!live.records?.length}>
            Export {selected.size > 0 ? `${selected.size} selected` : 'all'} as a report
          </button>
          <label>
            <input
              type="checkbox"
              data-testid="reveal"
              checked={reveal}
              onChange={(event) => setReveal(event.currentTarget.checked)}
            />{' '}
            Include names, user handles and credential IDs
          </label>
          {exported ? (
            <>
              <a href={exported.url} download={exported.name} data-testid="export-link">
                {exported.name} ({exported.count} {exported.count === 1 ? 'call' : 'calls'})
              </a>
              <details class="report-text">
                <summary>The report as text, to paste into a ticket</summary>
                <textarea readonly rows={12} data-testid="export-text" value={exported.text} />
              </details>
            </>
          ) : null}
        </section>
      )}
      <section class="toolbar">
        <label>
          Open a report file:{' '}
          <input
            type="file"
            accept="application/json,.json"
            data-testid="open-report"
            onChange={(event) => void openFile(event.currentTarget.files?.[0])}
          />
        </label>
      </section>
      {openError ? <ErrorNotice context="Could not open the report." message={openError} /> : null}
      {live.error && !opened ? <ErrorNotice context="Could not load the log." message={live.error} /> : null}

      <main>
        {entries.length === 0 ? (
          <p class="muted" data-testid="empty">
            No passkey requests recorded{tabId !== undefined ? ' in this tab' : ''} yet.
          </p>
        ) : (
          groups.map((group) => (
            <section class="group" key={group.key} data-testid="group" data-site={group.site} data-tab-id={group.tabId}>
              <h2>
                {group.site} <span class="muted">tab {group.tabId}</span>
              </h2>
              <ol class="timeline">
                {group.entries.map((entry) => (
                  <EntryView
                    key={keyOf(entry)}
                    entry={entry}
                    selected={selected.has(keyOf(entry))}
                    onSelect={(on) =>
                      setSelected((current) => {
                        const next = new Set(current);
                        if (on) next.add(keyOf(entry));
                        else next.delete(keyOf(entry));
                        return next;
                      })
                    }
                  />
                ))}
              </ol>
            </section>
          ))
        )}
      </main>
    </div>
  );
}
