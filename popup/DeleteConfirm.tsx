import { useState } from 'preact/hooks';
import type { PasskeyView } from '../src/webauthn/messages';
import { ErrorNotice } from '../extension/ui/ErrorNotice';
import { errorMessage } from '../extension/ui/sendToWorker';
import { useFocusOnMount } from '../extension/ui/useFocusOnMount';

/**
 * The confirmation step before `passkeys.delete`, inside the popup (no
 * `window.confirm`, which an extension popup cannot show reliably). Focus
 * starts on Cancel so a stray Enter does not delete anything.
 */
export function DeleteConfirm({
  passkey,
  confirm,
  onCancel,
}: {
  passkey: PasskeyView;
  confirm: () => Promise<void>;
  onCancel: () => void;
}) {
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cancelButton = useFocusOnMount<HTMLButtonElement>();
  const questionId = `delete-question-${passkey.id}`;

  const onConfirm = async () => {
    setDeleting(true);
    setError(null);
    try {
      await confirm();
    } catch (caught) {
      setError(errorMessage(caught));
      setDeleting(false);
    }
  };

  return (
    <div
      class="delete-confirm"
      role="group"
      aria-labelledby={questionId}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !deleting) {
          event.preventDefault();
          event.stopPropagation();
          onCancel();
        }
      }}
    >
      <p id={questionId}>
        Delete the passkey <strong>{passkey.name}</strong> for <strong>{passkey.rpId}</strong>? You will not be able
        to sign in to {passkey.rpId} with it.
      </p>
      {error ? <ErrorNotice context="Could not delete." message={error} /> : null}
      <div class="button-row">
        <button type="button" class="danger" data-testid="confirm-delete" disabled={deleting} onClick={onConfirm}>
          {deleting ? 'Deleting…' : 'Delete'}
        </button>
        <button ref={cancelButton} type="button" data-testid="cancel-delete" disabled={deleting} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
