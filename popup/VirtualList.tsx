import type { ComponentChildren, CSSProperties } from 'preact';
import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';

/**
 * A list that renders only the items in view (plus a margin), so 10,000
 * passkeys cost what 20 do. Items may differ in height and change it (a row
 * that opens its rename form): heights are estimated first and measured after
 * each render, and offsets follow.
 */
export function VirtualList<T>({
  items,
  keyOf,
  estimate,
  renderItem,
  height,
  label,
  overscan = 300,
  gap = 6,
  onKeyDown,
  scrollRef,
  handleRef,
}: {
  items: readonly T[];
  keyOf: (item: T) => string;
  estimate: (item: T) => number;
  renderItem: (item: T, index: number, style: CSSProperties) => ComponentChildren;
  /** Height of the scrolling viewport, in px. */
  height: number;
  label: string;
  overscan?: number;
  gap?: number;
  onKeyDown?: (event: KeyboardEvent) => void;
  scrollRef?: { current: HTMLDivElement | null };
  /** Receives `scrollToIndex`, for keyboard navigation to items not rendered yet. */
  handleRef?: { current: { scrollToIndex(index: number): void } | null };
}) {
  const viewport = useRef<HTMLDivElement | null>(null);
  const measured = useRef(new Map<string, number>());
  const [scrollTop, setScrollTop] = useState(0);
  const [version, setVersion] = useState(0);

  const offsets = useMemo(() => {
    const out = new Float64Array(items.length + 1);
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      out[i + 1] = out[i]! + (measured.current.get(keyOf(item)) ?? estimate(item)) + gap;
    }
    return out;
    // `version` changes when a measurement did.
  }, [items, version]);

  const total = offsets[items.length] ?? 0;
  if (handleRef) {
    handleRef.current = {
      scrollToIndex(index) {
        const root = viewport.current;
        if (!root || index < 0 || index >= items.length) return;
        scrollIntoViewport(root, offsets[index]!, offsets[index + 1]! - offsets[index]! - gap);
        setScrollTop(root.scrollTop);
      },
    };
  }
  const first = Math.max(0, lastAtOrBefore(offsets, scrollTop - overscan));
  const end = Math.min(items.length, lastAtOrBefore(offsets, scrollTop + height + overscan) + 1);

  useLayoutEffect(() => {
    const root = viewport.current;
    if (!root) return;
    let changed = false;
    for (const element of root.querySelectorAll<HTMLElement>('[data-vkey]')) {
      const key = element.dataset.vkey!;
      const size = element.offsetHeight;
      if (Math.abs((measured.current.get(key) ?? -1) - size) > 0.5) {
        measured.current.set(key, size);
        changed = true;
      }
    }
    if (changed) setVersion((v) => v + 1);
  });

  const rendered: ComponentChildren[] = [];
  for (let i = first; i < end; i++) {
    const item = items[i]!;
    rendered.push(renderItem(item, i, { position: 'absolute', top: `${offsets[i]}px`, left: 0, right: 0 }));
  }

  return (
    <div
      class="virtual-viewport"
      ref={(element) => {
        viewport.current = element;
        if (scrollRef) scrollRef.current = element;
      }}
      style={{ maxHeight: `${height}px`, overflowY: 'auto', position: 'relative' }}
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
      onKeyDown={onKeyDown}
    >
      {/* role="list" because `list-style: none` makes some screen readers drop the list semantics. */}
      <ul class="passkey-list virtual" role="list" aria-label={label} style={{ height: `${total}px`, position: 'relative' }}>
        {rendered}
      </ul>
    </div>
  );
}

/** The last index i with offsets[i] ≤ y (binary search). */
function lastAtOrBefore(offsets: Float64Array, y: number): number {
  let low = 0;
  let high = offsets.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (offsets[mid]! <= y) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** Scrolls `viewport` so the item at [top, top + size) is in view. */
export function scrollIntoViewport(viewport: HTMLElement, top: number, size: number): void {
  if (top < viewport.scrollTop) viewport.scrollTop = top;
  else if (top + size > viewport.scrollTop + viewport.clientHeight) viewport.scrollTop = top + size - viewport.clientHeight;
}
