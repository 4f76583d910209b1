import type { Ref } from 'preact';

/**
 * The PIN for user verification, when the site asks for it. The worker checks it;
 * a wrong one comes back as the window's error notice (with the tries left).
 * A security key's PIN uses the same field with its own id, label and help.
 */
export function PinField({
  value,
  onInput,
  disabled,
  required,
  inputRef,
  id = 'uv-pin',
  testId = 'pin',
  label = `Latchkey PIN${required ? '' : ' (the site asks for it)'}`,
  help = 'The site asked Latchkey to verify that it is you. Enter the PIN you set in Latchkey.',
  onEnter,
}: {
  value: string;
  onInput: (pin: string) => void;
  disabled: boolean;
  required: boolean;
  inputRef?: Ref<HTMLInputElement>;
  id?: string;
  testId?: string;
  label?: string;
  help?: string;
  /** Enter in the field: instead of submitting the form around it. */
  onEnter?: () => void;
}) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        ref={inputRef}
        type="password"
        inputMode="numeric"
        data-testid={testId}
        autoComplete="off"
        required={required}
        value={value}
        disabled={disabled}
        aria-describedby={`${id}-help`}
        onInput={(event) => onInput(event.currentTarget.value)}
        onKeyDown={
          onEnter &&
          ((event) => {
            if (event.key !== 'Enter') return;
            event.preventDefault();
            onEnter();
          })
        }
      />
      <p id={`${id}-help`} class="muted help">
        {help}
      </p>
    </div>
  );
}
