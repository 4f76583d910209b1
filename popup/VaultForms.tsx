import { useState } from 'preact/hooks';
import { ErrorNotice } from '../extension/ui/ErrorNotice';
import { useFocusOnMount } from '../extension/ui/useFocusOnMount';
import type { VaultStatusView } from '../src/webauthn/messages';
import type { VaultState } from './useVault';

const MIN_PASSPHRASE_LENGTH = 8;

/** First use: choose the passphrase that encrypts every passkey. */
export function VaultSetup({ status, vault }: { status: VaultStatusView; vault: VaultState }) {
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const field = useFocusOnMount<HTMLInputElement>();
  const onSubmit = (event: Event) => {
    event.preventDefault();
    if (passphrase.length < MIN_PASSPHRASE_LENGTH) return setProblem(`Use at least ${MIN_PASSPHRASE_LENGTH} characters.`);
    if (passphrase !== repeat) return setProblem('The two passphrases differ.');
    setProblem(null);
    void vault.run({ kind: 'vault.create', passphrase });
  };
  return (
    <form class="vault-form" onSubmit={onSubmit} data-testid="vault-setup">
      <h2>Set a passphrase</h2>
      <p class="muted">
        Latchkey encrypts every passkey with a key that only this passphrase opens. You enter it after each browser
        restart and when Latchkey locks itself. Nobody can recover it for you.
      </p>
      {status.unencryptedCredentials > 0 ? (
        <p class="banner" role="status">
          {status.unencryptedCredentials} passkeys from an earlier version are stored unencrypted until you set a passphrase.
        </p>
      ) : null}
      <label for="setup-passphrase">Passphrase</label>
      <input id="setup-passphrase" ref={field} type="password" autoComplete="new-password" data-testid="passphrase" value={passphrase} onInput={(e) => setPassphrase(e.currentTarget.value)} />
      <label for="setup-repeat">Repeat it</label>
      <input id="setup-repeat" type="password" autoComplete="new-password" data-testid="passphrase-repeat" value={repeat} onInput={(e) => setRepeat(e.currentTarget.value)} />
      {problem ? <ErrorNotice message={problem} /> : null}
      {vault.error ? <ErrorNotice message={vault.error} /> : null}
      <button type="submit" class="primary" data-testid="create-vault" disabled={vault.busy}>
        {vault.busy ? 'Setting up…' : 'Set passphrase'}
      </button>
    </form>
  );
}

export function UnlockForm({ vault }: { vault: VaultState }) {
  const [passphrase, setPassphrase] = useState('');
  const field = useFocusOnMount<HTMLInputElement>();
  const onSubmit = async (event: Event) => {
    event.preventDefault();
    if (await vault.run({ kind: 'vault.unlock', passphrase })) setPassphrase('');
  };
  return (
    <form class="vault-form" onSubmit={onSubmit} data-testid="unlock-form">
      <h2>Latchkey is locked</h2>
      <label for="unlock-passphrase">Passphrase</label>
      <input id="unlock-passphrase" ref={field} type="password" autoComplete="current-password" data-testid="passphrase" value={passphrase} onInput={(e) => setPassphrase(e.currentTarget.value)} />
      {vault.error ? <ErrorNotice message={vault.error} /> : null}
      <button type="submit" class="primary" data-testid="unlock" disabled={vault.busy || passphrase === ''}>
        {vault.busy ? 'Unlocking…' : 'Unlock'}
      </button>
    </form>
  );
}

/** PIN (user verification), passphrase change. */
export function SecuritySection({ status, vault }: { status: VaultStatusView; vault: VaultState }) {
  const [pin, setPin] = useState('');
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const savePin = async (event: Event) => {
    event.preventDefault();
    if (await vault.run({ kind: 'vault.setPin', pin })) {
      setPin('');
      setDone('PIN saved. Sites that ask for user verification will now ask for it.');
    }
  };
  const changePassphrase = async (event: Event) => {
    event.preventDefault();
    if (await vault.run({ kind: 'vault.changePassphrase', current, next })) {
      setCurrent('');
      setNext('');
      setDone('Passphrase changed.');
    }
  };
  return (
    <section class="settings" aria-labelledby="security-heading">
      <h2 id="security-heading">Security</h2>
      <form class="vault-form" onSubmit={savePin}>
        <label for="pin-input">{status.pinSet ? 'Change PIN' : 'Set a PIN for user verification'}</label>
        <p class="muted help">
          {status.pinSet
            ? 'Sites that ask for user verification get it only after you type this PIN.'
            : 'Without a PIN, Latchkey cannot verify you, and sites that require it refuse Latchkey’s passkeys.'}
        </p>
        <input id="pin-input" type="password" inputMode="numeric" autoComplete="off" data-testid="pin-input" value={pin} onInput={(e) => setPin(e.currentTarget.value)} />
        <div class="actions">
          <button type="submit" data-testid="save-pin" disabled={vault.busy || pin.length < 4}>
            Save PIN
          </button>
          {status.pinSet ? (
            <button type="button" data-testid="remove-pin" disabled={vault.busy} onClick={() => void vault.run({ kind: 'vault.removePin' })}>
              Remove PIN
            </button>
          ) : null}
        </div>
      </form>
      <form class="vault-form" onSubmit={changePassphrase}>
        <label for="current-passphrase">Current passphrase</label>
        <input id="current-passphrase" type="password" autoComplete="current-password" value={current} onInput={(e) => setCurrent(e.currentTarget.value)} />
        <label for="next-passphrase">New passphrase</label>
        <input id="next-passphrase" type="password" autoComplete="new-password" value={next} onInput={(e) => setNext(e.currentTarget.value)} />
        <button type="submit" disabled={vault.busy || current === '' || next.length < MIN_PASSPHRASE_LENGTH}>
          Change passphrase
        </button>
      </form>
      {done ? (
        <p class="muted" role="status">
          {done}
        </p>
      ) : null}
      {vault.error ? <ErrorNotice context="Security:" message={vault.error} /> : null}
    </section>
  );
}
