/**
 * Fetches `https://<rpId>/.well-known/webauthn` for related origin requests (WebAuthn L3
 * §5.11.1: "credentials mode omit, referrer policy no-referrer, redirect mode error"), with a
 * size limit, a time limit, and a short cache so one page's repeated calls fetch once. Any
 * failure rejects, and the client then refuses the rpId (fails closed).
 */
import { MAX_WELL_KNOWN_BYTES, type WellKnownFetcher, type WellKnownResponse } from '../src/client/relatedOrigins';

const CACHE_MS = 5 * 60_000;
const TIMEOUT_MS = 5_000;
const cache = new Map<string, { at: number; response: Promise<WellKnownResponse> }>();

async function readLimited(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_WELL_KNOWN_BYTES) {
      await reader.cancel();
      throw new Error(`well-known file larger than ${MAX_WELL_KNOWN_BYTES} bytes`);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(all);
}

async function fetchOnce(url: string): Promise<WellKnownResponse> {
  const response = await fetch(url, {
    credentials: 'omit',
    referrerPolicy: 'no-referrer',
    redirect: 'error',
    cache: 'no-store',
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  return { status: response.status, contentType: response.headers.get('content-type'), body: await readLimited(response) };
}

export const fetchWellKnown: WellKnownFetcher = (url) => {
  const now = Date.now();
  const hit = cache.get(url);
  if (hit && now - hit.at < CACHE_MS) return hit.response;
  const response = fetchOnce(url);
  cache.set(url, { at: now, response });
  // A failure is not kept: the next ceremony tries again.
  response.catch(() => cache.delete(url));
  return response;
};
