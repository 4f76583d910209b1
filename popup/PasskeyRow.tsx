import type { CSSProperties } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PasskeyView } from '../src/webauthn/messages';
import { PencilIcon, TrashIcon } from '../extension/ui/icons';
import { DeleteConfirm } from './DeleteConfirm';
import { HealthNote } from './HealthNote';
import { PasskeyDetails, PasskeyFacts } from './PasskeyDetails';
import { RenameForm } from './RenameForm';

type Mode = 'view' | 'rename' | 'confirm-delete';

export function PasskeyRow({
  passkey,
  rename,
  remove,
  showAgain,
  onDeleted,
  index,
  style,
}: {
  passkey: PasskeyView;
  /** Position in the virtual list, for keyboard navigation. */
  index?: number;
  style?: CSSProperties;
  rename: (id: string, name: string) => Promise<void>;
  remove: (id: string) => Promise<void>;
  showAgain: (id: string) => Promise<void>;
  onDeleted: () => void;
}) {
  const [mode, setMode] = useState<Mode>('view');
  const [open, setOpen] = useState(false);
  const renameButton = useRef<HTMLButtonElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);
  // Which button takes keyboard focus back when an inline form closes. The
  // buttons are not rendered while a form is open, so this waits for the render.
  const returnFocusTo = useRef<'rename' | 'delete' | null>(null);

  useEffect(() => {
    if (mode !== 'view' || returnFocusTo.current === null) return;
    (returnFocusTo.current === 'rename' ? renameButton : deleteButton).current?.focus();
    returnFocusTo.current = null;
  }, [mode]);

  const backToView = (focus: 'rename' | 'delete') => {
    returnFocusTo.current = focus;
    setMode('view');
  };

  return (
    <li
      class="passkey-row"
      data-testid="passkey-row"
      data-passkey-id={passkey.id}
      data-vkey={passkey.id}
      data-index={index}
      tabIndex={-1}
      style={style}
      aria-label={`${passkey.rpId}, ${passkey.userName}, ${passkey.name}`}
    >
      {mode === 'rename' ? (
        <>
          <PasskeyDetails passkey={passkey} hideName />
          <RenameForm
            passkey={passkey}
            save={(name) => rename(passkey.id, name)}
            onDone={() => backToView('rename')}
          />
        </>
      ) : (
        <div class="row-main">
          <PasskeyDetails passkey={passkey} />
          {mode === 'view' ? (
            <div class="row-actions">
              <button
                type="button"
                class="icon details-toggle"
                data-testid="toggle-details"
                aria-expanded={open}
                aria-label={`Details of passkey ${passkey.name} for ${passkey.rpId}`}
                title="Details"
                onClick={() => setOpen(!open)}
              >
                {open ? '▴' : '▾'}
              </button>
              <button
                ref={renameButton}
                type="button"
                class="icon"
                data-testid="rename"
                aria-label={`Rename passkey ${passkey.name} for ${passkey.rpId}`}
                title="Rename"
                onClick={() => setMode('rename')}
              >
                <PencilIcon />
              </button>
              <button
                ref={deleteButton}
                type="button"
                class="icon"
                data-testid="delete"
                aria-label={`Delete passkey ${passkey.name} for ${passkey.rpId}`}
                title="Delete"
                onClick={() => setMode('confirm-delete')}
              >
                <TrashIcon />
              </button>
            </div>
          ) : null}
        </div>
      )}
      {mode === 'view' ? <HealthNote passkey={passkey} showAgain={showAgain} /> : null}
      {open && mode === 'view' ? <PasskeyFacts passkey={passkey} /> : null}
      {mode === 'confirm-delete' ? (
        <DeleteConfirm
          passkey={passkey}
          confirm={async () => {
            await remove(passkey.id);
            onDeleted();
          }}
          onCancel={() => backToView('delete')}
        />
      ) : null}
    </li>
  );
}
