/**
 * The Latchkey mark (rounded square with a keyhole), the same drawing as the
 * PNG icons made by scripts/make-icons.ts. Decorative: the page names itself in text.
 */
export function LatchkeyMark({ size = 24 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <rect x="1" y="1" width="14" height="14" rx="3.5" fill="#1d5fd1" />
      <circle cx="8" cy="6.4" r="2.3" fill="#fff" />
      <path d="M7 7.6 L9 7.6 L9.8 12 L6.2 12 Z" fill="#fff" />
    </svg>
  );
}
