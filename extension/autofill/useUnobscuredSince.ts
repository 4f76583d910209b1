import { useEffect, useRef, useState } from 'preact/hooks';
import { VISIBLE_BEFORE_PICK_MS } from '../../src/client/autofillCandidates';

/**
 * Since when this frame has been shown whole and unobscured (or null), and whether that has lasted
 * long enough for a click to count as user presence. IntersectionObserver v2 (`trackVisibility`)
 * reports `isVisible` false while anything covers the frame or an opacity, transform or filter of
 * the page alters it: what a clickjacking page does to make a person click a Latchkey frame they
 * cannot see. Browsers without v2 (Firefox) never report `isVisible`, so a pick there always gets
 * a confirmation in Latchkey's window.
 */
export function useUnobscuredSince(): { since: { current: number | null }; presenceReady: boolean } {
  const since = useRef<number | null>(null);
  const [presenceReady, setPresenceReady] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          const visible = (entry as IntersectionObserverEntry & { isVisible?: boolean }).isVisible === true;
          clearTimeout(timer);
          if (!visible) {
            since.current = null;
            setPresenceReady(false);
          } else if (since.current === null) {
            since.current = performance.now();
            timer = setTimeout(() => setPresenceReady(true), VISIBLE_BEFORE_PICK_MS);
          }
        }
      },
      { threshold: [1], trackVisibility: true, delay: 100 } as IntersectionObserverInit,
    );
    observer.observe(document.body);
    return () => {
      clearTimeout(timer);
      observer.disconnect();
    };
  }, []);
  return { since, presenceReady };
}
