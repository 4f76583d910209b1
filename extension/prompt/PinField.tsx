import type { Ref } from 'preact';

/**
 * The PIN for user verification, when the site asks for it. The worker checks it;
 * a wrong one comes back as the window's error notice (with the tries left).
 */
export function PinField({
  value,
  onInput,
  disabled,
  required,
  inputRef,
}: {
  value: string;
  onInput: (pin: string) => void;
  disabled: boolean;
  required: boolean;
  inputRef?: Ref<HTMLInputElement>;
}) {
  return (
    <div class="field">
      <label for="uv-pin">Latchkey PIN{required ? '' : ' (the site asks for it)'}</label>
      <input
        id="uv-pin"
        ref={inputRef}
        type="password"
        inputMode="numeric"
        data-testid="pin"
        autoComplete="off"
        required={required}
        value={value}
        disabled={disabled}
        aria-describedby="uv-pin-help"
        onInput={(event) => onInput(event.currentTarget.value)}
      />
      <p id="uv-pin-help" class="muted help">
        The site asked Latchkey to verify that it is you. Enter the PIN you set in Latchkey.
      </p>
    </div>
  );
}
