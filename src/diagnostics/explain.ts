import { credentialAlgorithms } from '../authenticator/keys';
import { isRegistrableDomainSuffixOrEqual } from '../client/rpId';
import { FAILURES, type FailureCode } from '../webauthn/errors';
import { algorithmName } from './decodeAuthenticatorData';
import type { CeremonyRecord } from './record';

export interface Explanation {
  /** The catalogue entry the explanation comes from (null for a success or a pending call). */
  code: FailureCode | null;
  cause: string;
  fix: string;
  /** What in the record led to it, in plain words. */
  evidence: string[];
}

function hostOf(origin: string): string {
  try {
    return new URL(origin).hostname;
  } catch {
    return origin;
  }
}

function fromCatalogue(code: FailureCode, evidence: string[]): Explanation {
  const entry = FAILURES[code];
  return { code, cause: entry.explanation, fix: entry.fix, evidence };
}

/** Whether the rpId the page named may be used from the frame's origin without related origins. */
function rpIdFitsOrigin(record: CeremonyRecord): boolean {
  const { rpId } = record.request;
  return rpId === null || isRegistrableDomainSuffixOrEqual(rpId, hostOf(record.origin));
}

/**
 * Which catalogue entry a failure of the browser's own WebAuthn most likely is: the browser
 * says only the DOMException's name, so the request and the caller decide.
 */
function inferCode(record: CeremonyRecord, name: string): FailureCode {
  const { request } = record;
  if (name === 'SecurityError') {
    if (!rpIdFitsOrigin(record)) return record.answeredBy === 'browser' ? 'related-origins' : 'rp-id-mismatch';
    return 'insecure-origin';
  }
  if (name === 'InvalidStateError') return 'credential-excluded';
  if (name === 'AbortError') return 'aborted';
  if (name === 'NotSupportedError') return 'no-supported-credential-type';
  if (name === 'ConstraintError')
    return request.residentKey === 'required' ? 'resident-key-unsupported' : 'user-verification-unavailable';
  if (name === 'TypeError') return 'malformed-options';
  if (name === 'NotAllowedError') {
    // "publickey-credentials-create"/"-get" are the policy-controlled features for frames of another origin.
    if (!record.sameOriginWithAncestors) return 'cross-origin-iframe';
    if (record.browserReason === 'user-chose-another-device') return 'cross-device-failed';
    return 'browser-failed';
  }
  return 'browser-failed';
}

/** The evidence behind a failure code, read from the record. */
function evidenceFor(code: FailureCode, record: CeremonyRecord, message: string): string[] {
  const { request } = record;
  const evidence: string[] = [];
  const rpId = request.rpId ?? hostOf(record.origin);
  switch (code) {
    case 'rp-id-mismatch':
    case 'related-origins':
      evidence.push(`The page at ${record.origin} asked for rpId "${request.rpId}".`);
      evidence.push(`"${request.rpId}" is neither ${hostOf(record.origin)} nor a registrable suffix of it.`);
      if (code === 'related-origins')
        evidence.push(`Only https://${request.rpId}/.well-known/webauthn listing ${record.origin} allows this.`);
      break;
    case 'insecure-origin':
    case 'opaque-origin':
      evidence.push(`The request came from ${record.origin}.`);
      if (/^https?:\/\/(\d+\.){3}\d+|^https?:\/\/\[/.test(record.origin))
        evidence.push('An IP address is not a domain, so it cannot be an rpId.');
      else if (record.origin.startsWith('http:')) evidence.push('It is served over plain http, not https or localhost.');
      break;
    case 'cross-origin-iframe':
      evidence.push(`The frame is ${record.origin}, inside a page of ${record.topOrigin}.`);
      break;
    case 'credential-excluded':
      evidence.push(
        `The site listed ${request.excludeCredentials?.length ?? 0} passkey(s) it already has for this account in excludeCredentials.`,
      );
      if (request.userName) evidence.push(`Account: ${request.userName}.`);
      break;
    case 'no-credentials': {
      const allow = request.allowCredentials ?? [];
      evidence.push(
        allow.length > 0
          ? `The site asked for one of ${allow.length} specific passkey(s) (allowCredentials); none is in Latchkey.`
          : `The site asked for any passkey for ${rpId}; Latchkey has none it can offer.`,
      );
      const passkeys = record.context?.passkeysForRp ?? [];
      const usable = passkeys.filter((passkey) => passkey.health !== 'orphaned');
      evidence.push(`Latchkey holds ${passkeys.length} passkey(s) for ${rpId} (${usable.length} usable).`);
      for (const passkey of passkeys.filter((candidate) => candidate.health !== 'ok')) {
        evidence.push(`Passkey ${passkey.credentialId} is ${passkey.health}: ${passkey.reason}`);
      }
      if (passkeys.length === 0)
        evidence.push('The passkey may be on another device (a phone or security key), or was never registered here.');
      break;
    }
    case 'user-verification-unavailable':
      evidence.push(`userVerification is "${request.userVerification}".`);
      break;
    case 'resident-key-unsupported':
      evidence.push(`residentKey is "${request.residentKey}".`);
      break;
    case 'no-common-algorithm':
    case 'no-supported-credential-type':
      evidence.push(
        `The site accepts: ${(request.algorithms ?? []).map((alg) => `${algorithmName(alg)} (${alg})`).join(', ') || 'nothing'}.`,
      );
      if (code === 'no-common-algorithm') {
        const ours = [...credentialAlgorithms.keys()].map((alg) => `${algorithmName(alg)} (${alg})`).join(', ');
        evidence.push(`Latchkey signs with ${ours}.`);
      }
      break;
    case 'timed-out':
      evidence.push(
        request.timeout !== undefined
          ? `The site\u2019s timeout was ${request.timeout} ms.`
          : 'The site gave no timeout (5 minutes apply).',
      );
      if (record.durationMs !== null) evidence.push(`The request ended after ${record.durationMs} ms.`);
      break;
    case 'user-cancelled':
      evidence.push(
        `Latchkey’s window was cancelled or closed${record.durationMs !== null ? ` after ${record.durationMs} ms` : ''}, before the site’s timeout.`,
      );
      break;
    case 'cross-device-failed':
      evidence.push('You chose "Use another device or security key" in Latchkey\u2019s window.');
      evidence.push('The browser\u2019s own WebAuthn then failed.');
      break;
    case 'conditional-pending':
      evidence.push('mediation is "conditional" and the request has not ended.');
      break;
    default:
      break;
  }
  if (message) evidence.push(`The page was told: ${message}`);
  return evidence;
}

/**
 * Why a recorded call failed and what to do, from the one error catalogue (src/webauthn/errors.ts).
 * Latchkey's own failures carry their catalogue code; the browser's are inferred from the
 * DOMException's name, the request and the caller.
 */
export function explain(record: CeremonyRecord): Explanation {
  const { outcome } = record;
  if (outcome.status === 'pending') {
    if (record.request.mediation === 'conditional')
      return fromCatalogue('conditional-pending', evidenceFor('conditional-pending', record, ''));
    return {
      code: null,
      cause: 'The request has not ended yet (or the page was closed before it did).',
      fix: 'Wait for it, or look at the page.',
      evidence: [],
    };
  }
  if (outcome.status === 'success') {
    const who = record.answeredBy === 'latchkey' ? 'Latchkey' : 'the browser\u2019s own WebAuthn';
    return { code: null, cause: `The call succeeded; ${who} answered.`, fix: 'Nothing to do.', evidence: [] };
  }
  const code = outcome.code ?? inferCode(record, outcome.name);
  return fromCatalogue(code, evidenceFor(code, record, outcome.message));
}
