/**
 * base64url without padding, as WebAuthn's JSON forms use it
 * ("Base64url Encoding": RFC 4648 §5, with all trailing '=' characters omitted).
 *
 * Written by hand because it must run unchanged in Node, the service worker and
 * the page's MAIN world (where `Buffer` does not exist and `Uint8Array.fromBase64`
 * is not yet everywhere); it is a dozen lines over `btoa`/`atob`.
 */
const BASE64URL = /^[A-Za-z0-9_-]*$/;

export function toBase64url(bytes: Uint8Array | ArrayBuffer): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let binary = '';
  for (let i = 0; i < view.length; i += 0x8000) {
    binary += String.fromCharCode(...view.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Decodes base64url (padding tolerated). Throws `SyntaxError` on any other character. */
export function fromBase64url(text: string): Uint8Array {
  const unpadded = text.replace(/=+$/, '');
  if (!BASE64URL.test(unpadded) || unpadded.length % 4 === 1) {
    throw new SyntaxError('not base64url');
  }
  const binary = atob(unpadded.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export function isBase64url(text: unknown): text is string {
  return typeof text === 'string' && BASE64URL.test(text) && text.length % 4 !== 1;
}
