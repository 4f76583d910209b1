import { useState } from 'preact/hooks';
import { ErrorNotice } from '../extension/ui/ErrorNotice';
import { PinField } from '../extension/prompt/PinField';
import { errorMessage, sendToWorker } from '../extension/ui/sendToWorker';
import type { KeyCredentialJSON } from '../src/native/protocol';
import type { SecurityKeyStatus } from '../src/webauthn/messages';

/**
 * "Security keys": the passkeys on a USB key plugged in, through Latchkey's bridge. A key shows
 * them only after its PIN (CTAP 2.1 credential management), so the PIN is asked first; it is kept
 * in this popup's memory only, for the delete that may follow, and gone when the popup closes.
 */
export function SecurityKeysSection() {
  const [status, setStatus] = useState<SecurityKeyStatus | null>(null);
  const [pin, setPin] = useState('');
  const [credentials, setCredentials] = useState<KeyCredentialJSON[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };
  const look = () => run(async () => setStatus(await sendToWorker({ kind: 'securityKey.status' })));
  const list = () =>
    run(async () => {
      setCredentials((await sendToWorker({ kind: 'securityKey.list', pin })).credentials);
    });
  const remove = (credential: KeyCredentialJSON) =>
    run(async () => {
      await sendToWorker({ kind: 'securityKey.delete', pin, credentialId: credential.credentialId, path: credential.path });
      setConfirming(null);
      setCredentials((await sendToWorker({ kind: 'securityKey.list', pin })).credentials);
    });

  return (
    <section class="settings" aria-labelledby="security-keys-heading" data-testid="security-keys">
      <h2 id="security-keys-heading">Security keys</h2>
      {error ? <ErrorNotice context="The security key did not do it." message={error} /> : null}
      {status === null ? (
        <button type="button" data-testid="security-keys-open" disabled={busy} onClick={look}>
          Show the passkeys on a security key
        </button>
      ) : !status.installed ? (
        <p class="muted" data-testid="bridge-missing">
          Latchkey’s security-key bridge is not installed. Install it with <code>npx latchkey-bridge install</code> (see the
          README).
        </p>
      ) : status.keys.length === 0 ? (
        <p class="muted">
          {status.problem ?? 'No security key found. Plug it in, then'}{' '}
          <button type="button" class="link" disabled={busy} onClick={look}>
            look again
          </button>
        </p>
      ) : credentials === null ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void list();
          }}
        >
          <p class="muted">{status.keys.map((key) => key.product).join(', ')}</p>
          <PinField
            id="key-pin"
            testId="security-key-pin"
            label="PIN of the security key"
            help="The key shows its passkeys only after its own PIN."
            value={pin}
            onInput={setPin}
            disabled={busy}
            required
          />
          <button type="submit" data-testid="security-key-list" disabled={busy || pin.length < 4}>
            Show passkeys
          </button>
        </form>
      ) : credentials.length === 0 ? (
        <p class="muted" data-testid="security-key-empty">
          This security key holds no passkeys.
        </p>
      ) : (
        <ul class="key-credentials" data-testid="security-key-credentials">
          {credentials.map((credential) => (
            <li key={credential.credentialId} data-testid="security-key-credential" data-credential-id={credential.credentialId}>
              <span class="rp">{credential.rpId}</span> — {credential.userName || credential.userDisplayName || '(no name)'}{' '}
              {confirming === credential.credentialId ? (
                <>
                  <button
                    type="button"
                    class="danger"
                    data-testid="security-key-delete-confirm"
                    disabled={busy}
                    onClick={() => void remove(credential)}
                  >
                    Delete from the key
                  </button>{' '}
                  <button type="button" disabled={busy} onClick={() => setConfirming(null)}>
                    Keep
                  </button>
                </>
              ) : (
                <button
                  type="button"
                  data-testid="security-key-delete"
                  disabled={busy}
                  onClick={() => setConfirming(credential.credentialId)}
                >
                  Delete
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
