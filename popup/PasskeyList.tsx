import type { PasskeyView } from '../src/webauthn/messages';
import { PasskeyRow } from './PasskeyRow';

export function PasskeyList({
  passkeys,
  rename,
  remove,
  showAgain,
  onDeleted,
}: {
  passkeys: PasskeyView[];
  rename: (id: string, name: string) => Promise<void>;
  remove: (id: string) => Promise<void>;
  showAgain: (id: string) => Promise<void>;
  onDeleted: () => void;
}) {
  return (
    // role="list" because `list-style: none` makes some screen readers drop the list semantics.
    <ul class="passkey-list" role="list" aria-label="Passkeys">
      {passkeys.map((passkey) => (
        <PasskeyRow key={passkey.id} passkey={passkey} rename={rename} remove={remove} showAgain={showAgain} onDeleted={onDeleted} />
      ))}
    </ul>
  );
}
