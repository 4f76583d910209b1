import type { PasskeyView } from '../src/webauthn/messages';

const LABEL = {
  orphaned: 'Hidden from sign-in: the site seems to have forgotten it',
  suspected: 'The site may have forgotten it',
} as const;

/**
 * The orphaned-credential detector's verdict on one passkey, with the way out: remove it and
 * register a new one at the site (the fix the Entra documentation gives), or show it again.
 */
export function HealthNote({ passkey, showAgain }: { passkey: PasskeyView; showAgain: (id: string) => Promise<void> }) {
  if (passkey.health === 'ok') return null;
  return (
    <div class={`health health-${passkey.health}`} data-testid="health" data-health={passkey.health} role="note">
      <strong>{LABEL[passkey.health]}</strong>
      <p>{passkey.healthReason}</p>
      <p class="muted">
        Remove it with the bin button, then register a new passkey at{' '}
        <a href={`https://${passkey.rpId}/`} target="_blank" rel="noreferrer">
          {passkey.rpId}
        </a>
        .{' '}
        <button type="button" class="link" data-testid="show-again" onClick={() => void showAgain(passkey.id)}>
          {passkey.health === 'orphaned' ? 'Show it in sign-in again' : 'It still works'}
        </button>
      </p>
    </div>
  );
}
