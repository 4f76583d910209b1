/**
 * Related origin requests (WebAuthn L3 §5.11): an rpId that is not a registrable suffix of the
 * caller's origin is accepted only if `https://<rpId>/.well-known/webauthn` lists the origin.
 * The fetch is injected (the service worker fetches and caches; tests pass a fake), so this
 * file only judges what came back, and fails closed on anything unexpected.
 */
import { getDomainWithoutSuffix } from 'tldts';
import { CeremonyError } from '../webauthn/errors';
import { resolveRpId } from './rpId';

/** What a fetch of the well-known file answered. */
export interface WellKnownResponse {
  status: number;
  contentType: string | null;
  body: string;
}

/** Fetches `url` with no credentials and no referrer; rejects on network failure. */
export type WellKnownFetcher = (url: string) => Promise<WellKnownResponse>;

/** "maxLabels … the maximum number of registrable origin labels allowed by the client" — at least 5, the spec says; Chromium uses 5. */
export const MAX_LABELS = 5;
/** Latchkey reads at most this much of the file; a larger one is refused. */
export const MAX_WELL_KNOWN_BYTES = 64 * 1024;

const PSL = { allowPrivateDomains: true } as const;

function sameOrigin(a: URL, b: URL): boolean {
  return a.origin === b.origin;
}

/**
 * The related origins validation procedure (§5.11.1): "For each item of originsList: Let url be
 * the result of running the URL parser with item. If url is failure, continue. Let domain be the
 * effective domain of url. If domain is null, continue. Let label be the registrable origin label
 * of domain. If label is empty or null, continue. If the size of labelsSeen is greater than or
 * equal to maxLabels and labelsSeen does not contain label, continue. If callerOrigin and url are
 * same origin, return true. If the size of labelsSeen is less than maxLabels, append label to
 * labelsSeen. Return false."
 */
export function wellKnownListsOrigin(callerOrigin: string, response: WellKnownResponse): boolean {
  if (response.status !== 200) return false;
  if (!/^application\/json\s*(;|$)/i.test(response.contentType ?? '')) return false;
  if (response.body.length > MAX_WELL_KNOWN_BYTES) return false;
  let document: unknown;
  try {
    document = JSON.parse(response.body);
  } catch {
    return false;
  }
  const origins = (document as { origins?: unknown } | null)?.origins;
  if (!Array.isArray(origins) || !origins.every((item) => typeof item === 'string')) return false;
  const caller = new URL(callerOrigin);
  const labelsSeen = new Set<string>();
  for (const item of origins as string[]) {
    let url: URL;
    try {
      url = new URL(item);
    } catch {
      continue;
    }
    const label = getDomainWithoutSuffix(url.hostname, PSL);
    if (!label) continue;
    if (labelsSeen.size >= MAX_LABELS && !labelsSeen.has(label)) continue;
    if (sameOrigin(caller, url)) return true;
    if (labelsSeen.size < MAX_LABELS) labelsSeen.add(label);
  }
  return false;
}

/**
 * resolveRpId, then — only where it refuses an rpId as foreign to the origin — the related
 * origins procedure: "If the client supports related origin requests, run the related origins
 * validation procedure with arguments callerOrigin and rpIdRequested. If the result is true,
 * set rpId to rpIdRequested. Otherwise, throw a SecurityError." Without a fetcher, or when the
 * fetch fails, the SecurityError stands.
 */
export async function resolveRpIdWithRelatedOrigins(
  callerOrigin: string,
  requestedRpId: string | undefined,
  fetchWellKnown: WellKnownFetcher | undefined,
): Promise<string> {
  try {
    return resolveRpId(callerOrigin, requestedRpId);
  } catch (error) {
    if (!(error instanceof CeremonyError) || error.code !== 'rp-id-mismatch' || !fetchWellKnown || requestedRpId === undefined) throw error;
    let host: string;
    try {
      host = new URL(`https://${requestedRpId}`).hostname;
    } catch {
      throw error;
    }
    // The rpId must itself be a domain that could be a site of its own.
    if (!getDomainWithoutSuffix(host, PSL)) throw error;
    const response = await fetchWellKnown(`https://${host}/.well-known/webauthn`).catch(() => null);
    if (response && wellKnownListsOrigin(callerOrigin, response)) return host;
    // No file at all: a plain mismatch (most often a wrong rpId). A file that leaves this origin
    // out: the site uses related origins and this one is not among them.
    if (!response || response.status !== 200) throw error;
    throw new CeremonyError(
      'related-origins',
      `rpId "${requestedRpId}" is not allowed for origin ${callerOrigin}, and https://${host}/.well-known/webauthn does not list it`,
    );
  }
}
