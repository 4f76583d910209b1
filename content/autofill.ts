/**
 * ISOLATED world: where Latchkey's passkey autofill dropdown appears. While a conditional request
 * of this frame waits, focusing an input whose autocomplete tokens include "webauthn" ("inputs
 * with autocomplete containing webauthn", HTML's autofill detail token) shows the dropdown under
 * it. The dropdown is an extension page (extension/autofill/) in an iframe inside a closed shadow
 * root: the page can read neither the account names nor, since the frame's size never depends on
 * them, how many there are. The page sees only that a Latchkey element exists while an input of
 * its own is focused, whether or not Latchkey holds a passkey for it.
 */

/** The frame's size is fixed: it must not tell the page how many accounts there are. */
const DROPDOWN_HEIGHT_PX = 188;
const DROPDOWN_MIN_WIDTH_PX = 280;
const HOST_TAG = 'latchkey-autofill';
export const AUTOFILL_PAGE = 'extension/autofill/index.html';

function wantsPasskeyAutofill(target: EventTarget | null): target is HTMLInputElement | HTMLTextAreaElement {
  if (!(target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement)) return false;
  const tokens = (target.getAttribute('autocomplete') ?? '').toLowerCase().split(/\s+/);
  return tokens.includes('webauthn');
}

export interface AutofillAnchor {
  /** A conditional request of this frame started waiting. */
  begin(requestId: string): void;
  /** It ended (answered, aborted, or lost). */
  end(requestId: string): void;
}

export function autofillAnchor(pageUrl: (path: string) => string): AutofillAnchor {
  let requestId: string | null = null;
  let host: HTMLElement | null = null;
  let frame: HTMLIFrameElement | null = null;
  let anchor: HTMLInputElement | HTMLTextAreaElement | null = null;

  function place(): void {
    if (!host || !anchor) return;
    const box = anchor.getBoundingClientRect();
    const width = Math.max(box.width, DROPDOWN_MIN_WIDTH_PX);
    const below = box.bottom + 4 + DROPDOWN_HEIGHT_PX <= window.innerHeight || box.top < DROPDOWN_HEIGHT_PX + 4;
    const top = below ? box.bottom + 4 : box.top - 4 - DROPDOWN_HEIGHT_PX;
    const left = Math.min(Math.max(0, box.left), Math.max(0, window.innerWidth - width));
    host.style.setProperty('top', `${Math.round(top)}px`, 'important');
    host.style.setProperty('left', `${Math.round(left)}px`, 'important');
    host.style.setProperty('width', `${Math.round(width)}px`, 'important');
  }

  function show(input: HTMLInputElement | HTMLTextAreaElement): void {
    if (!requestId) return;
    anchor = input;
    if (!host) {
      host = document.createElement(HOST_TAG);
      for (const [name, value] of Object.entries({
        position: 'fixed',
        'z-index': '2147483647',
        height: `${DROPDOWN_HEIGHT_PX}px`,
        display: 'block',
        margin: '0',
        padding: '0',
        border: '0',
        opacity: '1',
        transform: 'none',
        filter: 'none',
      })) {
        host.style.setProperty(name, value, 'important');
      }
      const shadow = host.attachShadow({ mode: 'closed' });
      frame = document.createElement('iframe');
      frame.title = 'Latchkey passkeys';
      frame.setAttribute('style', 'border:0;width:100%;height:100%;display:block;color-scheme:normal;background:transparent');
      frame.src = `${pageUrl(AUTOFILL_PAGE)}#${encodeURIComponent(requestId)}`;
      shadow.append(frame);
      (document.body ?? document.documentElement).append(host);
    }
    place();
  }

  function hide(): void {
    host?.remove();
    host = null;
    frame = null;
    anchor = null;
  }

  document.addEventListener(
    'focusin',
    (event) => {
      if (!requestId) return;
      if (event.target === host) return;
      if (wantsPasskeyAutofill(event.target)) show(event.target);
      else hide();
    },
    true,
  );
  // A click on the focused input again brings the dropdown back after Escape.
  document.addEventListener(
    'click',
    (event) => {
      if (requestId && !host && event.isTrusted && wantsPasskeyAutofill(event.target)) show(event.target);
    },
    true,
  );
  document.addEventListener(
    'focusout',
    () => {
      // Focus moving into the dropdown (the closed shadow root's host) keeps it open.
      setTimeout(() => {
        if (host && document.activeElement !== host && document.activeElement !== anchor) hide();
      }, 0);
    },
    true,
  );
  document.addEventListener(
    'keydown',
    (event) => {
      if (host && event.key === 'Escape') hide();
    },
    true,
  );
  window.addEventListener('scroll', place, true);
  window.addEventListener('resize', place);

  return {
    begin(id) {
      hide();
      requestId = id;
      // An input focused before the request started (autofocus) gets the dropdown too.
      if (wantsPasskeyAutofill(document.activeElement)) show(document.activeElement as HTMLInputElement);
    },
    end(id) {
      if (requestId !== id) return;
      requestId = null;
      hide();
    },
  };
}
