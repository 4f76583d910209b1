import type { RefObject } from 'preact';

export function SearchBox({
  value,
  onInput,
  inputRef,
  onArrowDown,
}: {
  onArrowDown?: () => void;
  value: string;
  onInput: (value: string) => void;
  inputRef: RefObject<HTMLInputElement | null>;
}) {
  return (
    <div class="search" role="search">
      <label class="visually-hidden" for="passkey-search">
        Search passkeys by site, account or name
      </label>
      <input
        id="passkey-search"
        ref={inputRef}
        type="search"
        data-testid="search"
        placeholder="Search site, account or name"
        autoComplete="off"
        spellcheck={false}
        value={value}
        onInput={(event) => onInput(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' && onArrowDown) {
            event.preventDefault();
            onArrowDown();
          }
        }}
      />
    </div>
  );
}
