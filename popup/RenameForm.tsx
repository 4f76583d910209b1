import { useEffect, useState } from 'preact/hooks';
import type { PasskeyView } from '../src/webauthn/messages';
import { ErrorNotice } from '../extension/ui/ErrorNotice';
import { errorMessage } from '../extension/ui/sendToWorker';
import { useFocusOnMount } from '../extension/ui/useFocusOnMount';

/** The limit `passkeys.rename` accepts (src/webauthn/messages.ts). */
const MAX_NAME_LENGTH = 200;

/** Inline rename: Enter or Save saves, Escape or Cancel leaves the name as it was. */
export function RenameForm({
  passkey,
  save,
  onDone,
}: {
  passkey: PasskeyView;
  save: (name: string) => Promise<void>;
  onDone: () => void;
}) {
  const [name, setName] = useState(passkey.name);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const input = useFocusOnMount<HTMLInputElement>();
  const inputId = `name-${passkey.id}`;

  // Select the old name so typing replaces it.
  useEffect(() => {
    input.current?.select();
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (trimmed === '') {
      setError('Give the passkey a name, or press Cancel to keep the old one.');
      input.current?.focus();
      return;
    }
    if (trimmed === passkey.name) {
      onDone();
      return;
    }
    setSaving(true);
    setError(null);
    try {
      await save(trimmed);
      onDone();
    } catch (caught) {
      setError(errorMessage(caught));
      setSaving(false);
      input.current?.focus();
    }
  };

  return (
    <form class="rename-form" onSubmit={submit}>
      <label for={inputId} class="field-label">
        Name for this passkey
      </label>
      <input
        id={inputId}
        ref={input}
        type="text"
        data-testid="name-input"
        value={name}
        maxLength={MAX_NAME_LENGTH}
        autoComplete="off"
        spellcheck={false}
        // readOnly, not disabled: a disabled field cannot take focus back if saving fails.
        readOnly={saving}
        aria-invalid={error !== null}
        onInput={(event) => setName(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            // Keep Escape from also closing the popup.
            event.preventDefault();
            event.stopPropagation();
            if (!saving) onDone();
          }
        }}
      />
      {error ? <ErrorNotice context="Could not rename." message={error} /> : null}
      <div class="button-row">
        <button type="submit" class="primary" data-testid="save-name" disabled={saving}>
          {saving ? 'Saving…' : 'Save'}
        </button>
        <button type="button" data-testid="cancel-rename" disabled={saving} onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
