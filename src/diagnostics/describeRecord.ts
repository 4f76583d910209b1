import { type DecodedResponse, decodeResponse } from './decodeResponse';
import { type Explanation, explain } from './explain';
import type { CeremonyRecord } from './record';

/** A record with what diagnostics makes of it: its decoded response and its explanation. */
export interface DescribedRecord {
  record: CeremonyRecord;
  decoded: DecodedResponse | null;
  explanation: Explanation;
}

/** The rpId the ceremony ran for: the one the page named, or the origin's host. */
export function effectiveRpId(record: CeremonyRecord): string | null {
  if (record.request.rpId) return record.request.rpId;
  try {
    return new URL(record.origin).hostname;
  } catch {
    return null;
  }
}

export function describeRecord(record: CeremonyRecord): DescribedRecord {
  const { outcome } = record;
  const decoded =
    outcome.status === 'success' && outcome.response && (record.operation === 'create' || record.operation === 'get')
      ? decodeResponse(outcome.response, { rpId: effectiveRpId(record), origin: record.origin, operation: record.operation })
      : null;
  return { record, decoded, explanation: explain(record) };
}
