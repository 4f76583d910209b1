import { fromBase64url } from '../webauthn/base64url';
import type { PageRequest } from '../webauthn/messages';
import type { DecodedRequest } from './record';

function byteLength(value: string): number {
  try {
    return fromBase64url(value).length;
  } catch {
    return 0;
  }
}

/**
 * What a page asked for, in the terms support staff look for. Values are kept as the page
 * sent them (the rpId before resolution: null when absent, which means "the origin's host").
 */
export function decodeRequest(request: Exclude<PageRequest, { kind: 'abort' | 'report' | 'ping' }>): DecodedRequest {
  switch (request.kind) {
    case 'create': {
      const { options } = request;
      const selection = options.authenticatorSelection ?? {};
      return {
        rpId: options.rp.id ?? null,
        rpName: options.rp.name,
        userName: options.user.name,
        userDisplayName: options.user.displayName,
        userId: options.user.id,
        userIdLength: byteLength(options.user.id),
        challengeLength: byteLength(options.challenge),
        excludeCredentials: (options.excludeCredentials ?? []).map((descriptor) => descriptor.id),
        algorithms: options.pubKeyCredParams.map((param) => param.alg),
        // "residentKey … If no value is given then the effective value is required if
        // requireResidentKey is true or discouraged if it is false or absent."
        residentKey: selection.residentKey ?? (selection.requireResidentKey ? 'required' : 'discouraged'),
        ...(selection.authenticatorAttachment ? { authenticatorAttachment: selection.authenticatorAttachment } : {}),
        userVerification: selection.userVerification ?? 'preferred',
        attestation: options.attestation ?? 'none',
        mediation: request.mediation ?? 'optional',
        ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
        ...(options.hints?.length ? { hints: options.hints } : {}),
        extensions: Object.keys(options.extensions ?? {}),
      };
    }
    case 'get': {
      const { options } = request;
      return {
        rpId: options.rpId ?? null,
        challengeLength: byteLength(options.challenge),
        allowCredentials: (options.allowCredentials ?? []).map((descriptor) => descriptor.id),
        userVerification: options.userVerification ?? 'preferred',
        mediation: request.mediation ?? 'optional',
        ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
        ...(options.hints?.length ? { hints: options.hints } : {}),
        extensions: Object.keys(options.extensions ?? {}),
      };
    }
    case 'signal-unknown-credential':
      return { rpId: request.rpId, credentialIds: [request.credentialId] };
    case 'signal-all-accepted-credentials':
      return {
        rpId: request.rpId,
        userId: request.userId,
        userIdLength: byteLength(request.userId),
        credentialIds: request.allAcceptedCredentialIds,
      };
    case 'signal-current-user-details':
      return {
        rpId: request.rpId,
        userId: request.userId,
        userIdLength: byteLength(request.userId),
        userName: request.name,
        userDisplayName: request.displayName,
      };
  }
}
