import { useState } from 'preact/hooks';
import { ErrorNotice } from '../extension/ui/ErrorNotice';
import { errorMessage, sendToWorker } from '../extension/ui/sendToWorker';

/** Export (CXF, encrypted with a passphrase you choose) and import (CXF, Latchkey or Bitwarden JSON). */
export function ExchangeSection({ exportDisabled, onImported }: { exportDisabled: boolean; onImported: () => void }) {
  const [vaultPassphrase, setVaultPassphrase] = useState('');
  const [filePassphrase, setFilePassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [importPassphrase, setImportPassphrase] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async (work: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      setMessage(await work());
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  const onExport = (event: Event) => {
    event.preventDefault();
    if (filePassphrase !== repeat) return setError('The two export passphrases differ.');
    void run(async () => {
      const reply = await sendToWorker({ kind: 'passkeys.export', vaultPassphrase, filePassphrase });
      const url = URL.createObjectURL(new Blob([reply.file], { type: 'application/json' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `latchkey-passkeys-${new Date().toISOString().slice(0, 10)}.cxf.json`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setVaultPassphrase('');
      setFilePassphrase('');
      setRepeat('');
      const left = reply.excluded.length
        ? ` ${reply.excluded.length} left out because they keep a signature counter, which the exchange format does not allow: ${reply.excluded.map((p) => `${p.rpId} (${p.userName})`).join(', ')}.`
        : '';
      return `Exported ${reply.exported} passkeys.${left}`;
    });
  };

  const onImport = (event: Event) => {
    event.preventDefault();
    if (!file) return;
    void run(async () => {
      const text = await file.text();
      const reply = await sendToWorker({ kind: 'passkeys.import', file: text, ...(importPassphrase ? { passphrase: importPassphrase } : {}) });
      setImportPassphrase('');
      onImported();
      return `Imported ${reply.imported} passkeys from the ${reply.format} file.`;
    });
  };

  return (
    <section class="settings" aria-labelledby="exchange-heading">
      <h2 id="exchange-heading">Export and import</h2>
      {exportDisabled ? (
        <p class="muted" data-testid="export-disabled">
          Export is disabled by your organisation.
        </p>
      ) : (
        <form class="vault-form" onSubmit={onExport}>
          <label for="export-vault-passphrase">Your Latchkey passphrase</label>
          <input id="export-vault-passphrase" type="password" autoComplete="current-password" value={vaultPassphrase} onInput={(e) => setVaultPassphrase(e.currentTarget.value)} />
          <label for="export-passphrase">A passphrase for the file</label>
          <input id="export-passphrase" type="password" autoComplete="new-password" value={filePassphrase} onInput={(e) => setFilePassphrase(e.currentTarget.value)} />
          <label for="export-repeat">Repeat it</label>
          <input id="export-repeat" type="password" autoComplete="new-password" value={repeat} onInput={(e) => setRepeat(e.currentTarget.value)} />
          <button type="submit" data-testid="export" disabled={busy || vaultPassphrase === '' || filePassphrase.length < 8}>
            Export passkeys (CXF, encrypted)
          </button>
        </form>
      )}
      <form class="vault-form" onSubmit={onImport}>
        <label for="import-file">Import a CXF, Latchkey or Bitwarden JSON file</label>
        <input id="import-file" type="file" accept=".json,application/json" data-testid="import-file" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
        <label for="import-passphrase">The file’s passphrase, if it has one</label>
        <input id="import-passphrase" type="password" autoComplete="off" value={importPassphrase} onInput={(e) => setImportPassphrase(e.currentTarget.value)} />
        <button type="submit" data-testid="import" disabled={busy || !file}>
          Import
        </button>
      </form>
      {busy ? <p class="muted">Working…</p> : null}
      {message ? (
        <p role="status" data-testid="exchange-result">
          {message}
        </p>
      ) : null}
      {error ? <ErrorNotice context="Nothing was changed:" message={error} /> : null}
    </section>
  );
}
