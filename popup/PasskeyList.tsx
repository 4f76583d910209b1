import { useMemo, useRef } from 'preact/hooks';
import type { PasskeyView } from '../src/webauthn/messages';
import { groupBySite, type ListItem } from './groupBySite';
import { PasskeyRow } from './PasskeyRow';
import { VirtualList } from './VirtualList';

/** Estimated heights (px) until a rendered item is measured. */
const ROW_ESTIMATE = 86;
const HEADER_ESTIMATE = 24;
const LIST_HEIGHT = 380;

/**
 * Every passkey, grouped by site, virtualised. Keyboard: ArrowDown/ArrowUp move
 * between passkeys (from the search box too), Home/End to the first and last.
 */
export function PasskeyList({
  passkeys,
  rename,
  remove,
  showAgain,
  onDeleted,
  onLeaveTop,
  handleRef,
}: {
  passkeys: PasskeyView[];
  rename: (id: string, name: string) => Promise<void>;
  remove: (id: string) => Promise<void>;
  showAgain: (id: string) => Promise<void>;
  onDeleted: () => void;
  /** ArrowUp on the first passkey: back to the search box. */
  onLeaveTop?: () => void;
  handleRef?: { current: { focusFirst(): void } | null };
}) {
  const items = useMemo(() => groupBySite(passkeys), [passkeys]);
  const rowIndexes = useMemo(() => items.flatMap((item, index) => (item.kind === 'passkey' ? [index] : [])), [items]);
  const list = useRef<{ scrollToIndex(index: number): void } | null>(null);
  const viewport = useRef<HTMLDivElement | null>(null);

  const focusItem = (index: number) => {
    list.current?.scrollToIndex(index);
    // The row may not be rendered until the scroll has been applied.
    const tryFocus = (attempt: number) => {
      const row = viewport.current?.querySelector<HTMLElement>(`[data-index="${index}"]`);
      if (row) row.focus();
      else if (attempt < 5) requestAnimationFrame(() => tryFocus(attempt + 1));
    };
    tryFocus(0);
  };
  if (handleRef) handleRef.current = { focusFirst: () => rowIndexes[0] !== undefined && focusItem(rowIndexes[0]) };

  const onKeyDown = (event: KeyboardEvent) => {
    const target = event.target as HTMLElement;
    if (!target.matches('li[data-index]')) return;
    const at = rowIndexes.indexOf(Number(target.dataset.index));
    let next: number | undefined;
    if (event.key === 'ArrowDown') next = rowIndexes[Math.min(at + 1, rowIndexes.length - 1)];
    else if (event.key === 'ArrowUp') {
      if (at === 0) {
        event.preventDefault();
        onLeaveTop?.();
        return;
      }
      next = rowIndexes[Math.max(at - 1, 0)];
    } else if (event.key === 'Home') next = rowIndexes[0];
    else if (event.key === 'End') next = rowIndexes[rowIndexes.length - 1];
    if (next === undefined) return;
    event.preventDefault();
    focusItem(next);
  };

  return (
    <VirtualList<ListItem>
      items={items}
      keyOf={(item) => item.key}
      estimate={(item) => (item.kind === 'site' ? HEADER_ESTIMATE : ROW_ESTIMATE)}
      height={LIST_HEIGHT}
      label={`Passkeys, ${passkeys.length}, grouped by site`}
      onKeyDown={onKeyDown}
      handleRef={list}
      scrollRef={viewport}
      renderItem={(item, index, style) =>
        item.kind === 'site' ? (
          <li key={item.key} data-vkey={item.key} class="site-header" style={style} role="presentation">
            <h3>
              {item.rpId} <span class="muted">({item.count})</span>
            </h3>
          </li>
        ) : (
          <PasskeyRow
            key={item.key}
            passkey={item.passkey}
            index={index}
            style={style}
            rename={rename}
            remove={remove}
            showAgain={showAgain}
            onDeleted={onDeleted}
          />
        )
      }
    />
  );
}
