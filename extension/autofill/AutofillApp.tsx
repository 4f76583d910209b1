import { useEffect, useState } from 'preact/hooks';
import type { AutofillReply, AutofillRequest, PasskeyView } from '../../src/webauthn/messages';
import { AccountButton } from '../prompt/AccountButton';
import { LatchkeyMark } from '../ui/LatchkeyMark';
import { askWorker, errorMessage } from '../ui/sendToWorker';
import { useUnobscuredSince } from './useUnobscuredSince';

type Listing = Extract<AutofillReply, { candidates: PasskeyView[] }>;

/**
 * Latchkey's passkey autofill: the site's passkeys to pick from, in a frame the page cannot read.
 * A pick ends the page's conditional request with that passkey (background/conditionalMediation.ts).
 */
export function AutofillApp({ requestId }: { requestId: string }) {
  const [listing, setListing] = useState<Listing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { since: unobscuredSince, presenceReady } = useUnobscuredSince();

  useEffect(() => {
    askWorker<Listing>({ kind: 'autofill.candidates', requestId }).then(setListing, (reason) => setError(errorMessage(reason)));
  }, [requestId]);

  const send = (request: AutofillRequest) => {
    setBusy(true);
    askWorker<{ ok: true }>(request).catch((reason) => {
      setBusy(false);
      setError(errorMessage(reason));
    });
  };

  const pick = (passkey: PasskeyView, event: MouseEvent) => {
    // Only the person's own click in a frame they could see counts; anything else is confirmed in a window.
    const since = unobscuredSince.current;
    const visibleForMs = event.isTrusted && since !== null ? Math.max(0, performance.now() - since) : 0;
    send({ kind: 'autofill.pick', requestId, credentialId: passkey.id, visibleForMs });
  };

  return (
    // data-presence-ready: a click now would count as user presence (tests wait for it).
    <main class="autofill" aria-busy={busy} data-presence-ready={String(presenceReady)}>
      <header class="autofill-header">
        <LatchkeyMark size={16} />
        <span class="muted">{listing ? `Passkeys for ${listing.rpId}` : 'Passkeys'}</span>
      </header>
      {error ? (
        <p class="autofill-note" role="alert" data-testid="autofill-error">
          {error}
        </p>
      ) : listing === null ? (
        <p class="autofill-note muted">Looking for passkeys…</p>
      ) : listing.candidates.length === 0 ? (
        <p class="autofill-note muted" data-testid="autofill-empty">
          Latchkey has no passkey for {listing.rpId}.
        </p>
      ) : (
        <ul class="accounts" aria-label="Passkeys">
          {listing.candidates.map((passkey) => (
            <li key={passkey.id}>
              <AccountButton passkey={passkey} disabled={busy} onChoose={(event) => pick(passkey, event)} />
            </li>
          ))}
        </ul>
      )}
      <footer class="autofill-footer">
        <button
          type="button"
          class="link"
          data-testid="autofill-other"
          disabled={busy}
          onClick={() => send({ kind: 'autofill.other', requestId })}
        >
          Other passkey options…
        </button>
      </footer>
    </main>
  );
}
