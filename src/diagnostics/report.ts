/**
 * The report a user sends to support: the entries they selected, decoded and explained, with a
 * short text summary on top for the ticket. Redacted by default: user names, display names, user
 * handles and credential IDs are replaced by a truncated SHA-256 (so support can still see that
 * two entries name the same account or passkey), and the raw binary parts that embed a
 * credential ID are left out (their decoded form stays). Records never hold private keys.
 */
import { z } from 'zod';
import { toBase64url } from '../webauthn/base64url';
import { sha256, utf8 } from '../webauthn/bytes';
import type { BinaryView } from './binary';
import type { DecodedResponse } from './decodeResponse';
import { type DescribedRecord, describeRecord } from './describeRecord';
import { explain } from './explain';
import type { CeremonyRecord } from './record';

export const REPORT_FORMAT = 'latchkey-diagnostics-report';
export const REPORT_VERSION = 1;

export interface DiagnosticsReport {
  format: typeof REPORT_FORMAT;
  version: typeof REPORT_VERSION;
  createdAt: string;
  /** True unless the user chose to include names, user handles and credential IDs. */
  redacted: boolean;
  /** A few lines for the ticket. */
  summary: string;
  entries: DescribedRecord[];
}

/** "sha256:" and the first 16 base64url characters (96 bits) of SHA-256 of the value. */
export function hashIdentifier(value: string): string {
  return `sha256:${toBase64url(sha256(utf8(value))).slice(0, 16)}`;
}

function hashBinary(view: BinaryView | undefined): BinaryView | undefined {
  return view && { base64url: hashIdentifier(view.base64url), length: view.length };
}

function redactRecord(record: CeremonyRecord): CeremonyRecord {
  const { request } = record;
  const hashAll = (ids: string[] | undefined) => ids?.map(hashIdentifier);
  const redacted: CeremonyRecord = {
    ...record,
    request: {
      ...request,
      ...(request.userName !== undefined ? { userName: hashIdentifier(request.userName) } : {}),
      ...(request.userDisplayName !== undefined ? { userDisplayName: hashIdentifier(request.userDisplayName) } : {}),
      ...(request.userId !== undefined ? { userId: hashIdentifier(request.userId) } : {}),
      ...(request.allowCredentials ? { allowCredentials: hashAll(request.allowCredentials) } : {}),
      ...(request.excludeCredentials ? { excludeCredentials: hashAll(request.excludeCredentials) } : {}),
      ...(request.credentialIds ? { credentialIds: hashAll(request.credentialIds) } : {}),
    },
  };
  if (record.context?.passkeysForRp) {
    redacted.context = {
      ...record.context,
      passkeysForRp: record.context.passkeysForRp.map((passkey) => ({
        ...passkey,
        credentialId: hashIdentifier(passkey.credentialId),
      })),
    };
  }
  const { outcome } = record;
  if (outcome.status === 'success' && outcome.response) {
    const { id, rawId, response = {}, ...rest } = outcome.response;
    // attestationObject, authenticatorData and publicKey embed or identify the credential; userHandle is the account.
    const { clientDataJSON, signature, transports, publicKeyAlgorithm } = response as Record<string, unknown>;
    redacted.outcome = {
      status: 'success',
      response: {
        ...rest,
        ...(id !== undefined ? { id: hashIdentifier(id) } : {}),
        ...(rawId !== undefined ? { rawId: hashIdentifier(rawId) } : {}),
        response: { clientDataJSON, signature, transports, publicKeyAlgorithm },
      },
    };
  }
  return redacted;
}

function redactDecoded(decoded: DecodedResponse | null): DecodedResponse | null {
  if (!decoded) return null;
  const redactAuthData = <T extends { attestedCredentialData?: { credentialId: BinaryView }; bytes: BinaryView }>(
    authData: T | undefined,
  ): T | undefined =>
    authData && {
      ...authData,
      bytes: hashBinary(authData.bytes)!,
      ...(authData.attestedCredentialData
        ? {
            attestedCredentialData: {
              ...authData.attestedCredentialData,
              credentialId: hashBinary(authData.attestedCredentialData.credentialId)!,
            },
          }
        : {}),
    };
  return {
    ...decoded,
    ...(decoded.credentialId ? { credentialId: hashBinary(decoded.credentialId) } : {}),
    ...(decoded.userHandle ? { userHandle: hashBinary(decoded.userHandle) } : {}),
    ...(decoded.authenticatorData ? { authenticatorData: redactAuthData(decoded.authenticatorData) } : {}),
    ...(decoded.attestationObject
      ? { attestationObject: { ...decoded.attestationObject, authData: redactAuthData(decoded.attestationObject.authData)! } }
      : {}),
  };
}

/** One entry as it goes into a report: described from the full record, then redacted unless revealed. */
export function reportEntry(record: CeremonyRecord, reveal: boolean): DescribedRecord {
  const described = describeRecord(record);
  if (reveal) return described;
  const redacted = redactRecord(record);
  // The evidence names accounts and passkeys: explained again from the redacted record.
  return { record: redacted, decoded: redactDecoded(described.decoded), explanation: explain(redacted) };
}

function outcomeLine({ record, explanation }: DescribedRecord): string {
  const { outcome } = record;
  const result =
    outcome.status === 'success' ? 'succeeded' : outcome.status === 'pending' ? 'did not end' : `failed with ${outcome.name}`;
  const cause = outcome.status === 'error' || explanation.code === 'conditional-pending' ? ` \u2014 ${explanation.cause}` : '';
  return `- ${new Date(record.startedAt).toISOString()} ${record.operation} at ${record.origin} (rpId ${record.request.rpId ?? 'default'}, answered by ${record.answeredBy}) ${result}${cause}`;
}

export function buildReport(records: readonly CeremonyRecord[], options: { reveal?: boolean; now: number }): DiagnosticsReport {
  const reveal = options.reveal === true;
  const entries = records.map((record) => reportEntry(record, reveal));
  const failures = entries.filter((entry) => entry.record.outcome.status === 'error').length;
  const summary = [
    `Latchkey diagnostics report, ${new Date(options.now).toISOString()}: ${entries.length} call(s), ${failures} failed.`,
    reveal
      ? 'Names, user handles and credential IDs are included.'
      : 'Names, user handles and credential IDs are replaced by SHA-256 hashes.',
    ...entries.map(outcomeLine),
  ].join('\n');
  return {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    createdAt: new Date(options.now).toISOString(),
    redacted: !reveal,
    summary,
    entries,
  };
}

const reportSchema = z.object({
  format: z.literal(REPORT_FORMAT),
  version: z.literal(REPORT_VERSION),
  createdAt: z.string(),
  redacted: z.boolean(),
  summary: z.string(),
  entries: z.array(
    z.object({
      record: z.looseObject({
        key: z.string(),
        operation: z.string(),
        origin: z.string(),
        startedAt: z.number(),
        outcome: z.looseObject({ status: z.string() }),
      }),
      decoded: z.looseObject({}).nullable(),
      explanation: z.object({ code: z.string().nullable(), cause: z.string(), fix: z.string(), evidence: z.array(z.string()) }),
    }),
  ),
});

/** Reads a report file someone sent; throws with a plain reason when it is not one. */
export function parseReport(text: string): DiagnosticsReport {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('This file is not a Latchkey diagnostics report (it is not JSON).');
  }
  const parsed = reportSchema.safeParse(json);
  if (!parsed.success)
    throw new Error(`This file is not a Latchkey diagnostics report: ${parsed.error.issues[0]?.message ?? 'invalid'}.`);
  return parsed.data as unknown as DiagnosticsReport;
}
