import { getPublicSuffix, parse } from 'tldts';
import { CeremonyError } from '../webauthn/errors';

/**
 * The Public Suffix List as the URL Standard uses it includes the private
 * section (github.io, appspot.com …): a site on a.github.io must not claim
 * github.io.
 */
const PSL = { allowPrivateDomains: true } as const;

/** Parses a host string the way the URL Standard's host parser does (lower-cases, IDNA to ASCII); null on failure. */
function parseHost(text: string): string | null {
  if (text === '' || /[/?#@:\\\s]/.test(text)) return null;
  try {
    return new URL(`https://${text}`).hostname;
  } catch {
    return null;
  }
}

function isIpAddress(host: string): boolean {
  return parse(host).isIp === true || host.startsWith('[');
}

/**
 * HTML's "is a registrable domain suffix of or is equal to"
 * (https://html.spec.whatwg.org/#is-a-registrable-domain-suffix-of-or-is-equal-to):
 * "If hostSuffix does not equal originalHost, then: If hostSuffix or originalHost is not a
 * domain, then return false. If hostSuffix, prefixed by U+002E (.), does not match the end of
 * originalHost, then return false. If … hostSuffix equals hostSuffix's public suffix, or
 * hostSuffix, prefixed by U+002E (.), matches the end of originalHost's public suffix, then
 * return false."
 */
export function isRegistrableDomainSuffixOrEqual(hostSuffixString: string, originalHost: string): boolean {
  const hostSuffix = parseHost(hostSuffixString);
  if (hostSuffix === null) return false;
  if (hostSuffix === originalHost) return true;
  if (isIpAddress(hostSuffix) || isIpAddress(originalHost)) return false;
  if (!originalHost.endsWith(`.${hostSuffix}`)) return false;
  if (getPublicSuffix(hostSuffix, PSL) === hostSuffix) return false;
  const originalPublicSuffix = getPublicSuffix(originalHost, PSL) ?? '';
  if (`.${originalPublicSuffix}`.endsWith(`.${hostSuffix}`)) return false;
  return true;
}

/** Whether the origin may use WebAuthn at all: https, or http on a localhost name ("potentially trustworthy"). */
function isPotentiallyTrustworthy(url: URL): boolean {
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname.endsWith('.localhost'));
}

/**
 * WebAuthn L3 §5.1.3 steps 6–8 (and §5.1.4's twins): "If callerOrigin is an opaque origin,
 * throw a NotAllowedError … Let effectiveDomain be the callerOrigin's effective domain. If
 * effective domain is not a valid domain, then throw a SecurityError … If options.rp.id is
 * present: if options.rp.id is not a registrable domain suffix of and is not equal to
 * effectiveDomain, throw a SecurityError. Otherwise set options.rp.id to effectiveDomain."
 *
 * `origin` comes from the browser (MessageSender.origin), never from the page.
 */
export function resolveRpId(origin: string, requestedRpId: string | undefined): string {
  if (origin === 'null' || origin === '') throw new CeremonyError('opaque-origin');
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new CeremonyError('opaque-origin', origin);
  }
  if (!isPotentiallyTrustworthy(url)) throw new CeremonyError('insecure-origin', origin);
  const effectiveDomain = url.hostname;
  // An IP address is a host but not a domain: "If effective domain is not a valid domain … SecurityError".
  if (isIpAddress(effectiveDomain)) throw new CeremonyError('insecure-origin', `${origin} is an IP address`);
  if (requestedRpId === undefined) return effectiveDomain;
  if (!isRegistrableDomainSuffixOrEqual(requestedRpId, effectiveDomain)) {
    throw new CeremonyError('rp-id-mismatch', `rpId "${requestedRpId}" is not allowed for origin ${origin}`);
  }
  return parseHost(requestedRpId) ?? requestedRpId;
}
