import { useEffect, useRef } from 'preact/hooks';

/**
 * A ref whose element takes keyboard focus when it first appears — the primary
 * button of a prompt, the field of an inline form. Done in an effect, not with
 * the `autofocus` attribute, because browsers honour that attribute only once
 * per document.
 */
export function useFocusOnMount<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return ref;
}
