import { useState } from 'preact/hooks';
import type { SecurityKeyStatus } from '../../src/webauthn/messages';
import { errorMessage, sendToWorker } from '../ui/sendToWorker';
import { PinField } from './PinField';
import type { UserDecision } from './usePrompt';

type Panel =
  { step: 'closed' } | { step: 'checking' } | { step: 'ready'; status: SecurityKeyStatus } | { step: 'failed'; message: string };

/**
 * "Security key": with Latchkey's bridge installed, the ceremony runs on the USB key from this
 * window (its PIN here, then "touch your key"); without it, the request goes to the browser's own
 * WebAuthn as before. The worker checks the PIN with the key; a wrong one comes back as the
 * window's error notice with the tries left.
 */
export function SecurityKeyChoice({
  available,
  answering,
  answer,
  touchKey = false,
  rememberForSite = false,
}: {
  /** The worker can run this ceremony on a key (false in tester mode and for prompts without a ceremony). */
  available: boolean;
  answering: boolean;
  answer: (decision: UserDecision) => void;
  /** The key waits for a touch (the worker's view says so). */
  touchKey?: boolean;
  rememberForSite?: boolean;
}) {
  const [panel, setPanel] = useState<Panel>({ step: 'closed' });
  const [pin, setPin] = useState('');
  const handOver = () => answer({ outcome: 'use-another-authenticator', ...(rememberForSite ? { rememberForSite: true } : {}) });

  const check = () => {
    setPanel({ step: 'checking' });
    sendToWorker({ kind: 'securityKey.status' }).then(
      (status) => {
        // No bridge: the browser's own WebAuthn asks for the key, as before the bridge existed.
        if (!status.installed) handOver();
        else setPanel({ step: 'ready', status });
      },
      (error: unknown) => setPanel({ step: 'failed', message: errorMessage(error) }),
    );
  };

  const open = () => (available ? check() : handOver());
  const keys = panel.step === 'ready' ? panel.status.keys : [];
  const pinNeeded = keys.some((key) => key.pinSet);
  const retries = keys[0]?.pinRetries;
  const go = () => answer({ outcome: 'use-security-key', ...(pinNeeded ? { pin } : {}) });

  return (
    <>
      <button type="button" data-testid="use-security-key" disabled={answering || panel.step === 'checking'} onClick={open}>
        Security key
      </button>
      {panel.step === 'checking' ? (
        <p class="muted" role="status">
          Looking for your security key…
        </p>
      ) : null}
      {panel.step === 'failed' ? (
        <p class="error" role="alert">
          {panel.message}
        </p>
      ) : null}
      {panel.step === 'ready' ? (
        <div class="security-key" data-testid="security-key-panel">
          {keys.length === 0 ? (
            <>
              <p>{panel.status.problem ?? 'No security key found. Plug it in, then try again.'}</p>
              <div class="actions">
                <button type="button" data-testid="security-key-retry" disabled={answering} onClick={check}>
                  Try again
                </button>
                <button type="button" class="link" disabled={answering} onClick={handOver}>
                  Let the browser ask for it
                </button>
              </div>
            </>
          ) : (
            <>
              <p class="muted">{keys.map((key) => key.product).join(', ')}</p>
              {pinNeeded ? (
                <PinField
                  id="security-key-pin"
                  testId="security-key-pin"
                  label="Security key PIN"
                  help={`The PIN of your key, not Latchkey’s.${retries !== undefined && retries < 8 ? ` ${retries} tries left.` : ''}`}
                  value={pin}
                  onInput={setPin}
                  disabled={answering}
                  required
                  // Enter here means the key, not the form around it (which would save in Latchkey).
                  onEnter={() => pin.length >= 4 && go()}
                />
              ) : null}
              {answering && touchKey ? (
                <p class="touch-key" role="status" data-testid="touch-key">
                  Touch your security key now.
                </p>
              ) : answering ? (
                <p class="muted" role="status" data-testid="key-connecting">
                  Talking to your security key…
                </p>
              ) : (
                <button
                  type="button"
                  class="primary"
                  data-testid="security-key-continue"
                  disabled={pinNeeded && pin.length < 4}
                  onClick={go}
                >
                  Continue with the security key
                </button>
              )}
            </>
          )}
        </div>
      ) : null}
    </>
  );
}
