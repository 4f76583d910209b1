import type { CeremonyRecord, RecordContext, RecordedOutcome, ResponseJSONLike } from './record';
import type { RecordStore } from './recordStore';

/**
 * The recorder the worker calls around every page request. "A recorder failure must never fail a
 * ceremony": every method swallows its own errors (reported to `onError`) and never throws.
 */
export interface Recorder {
  begin(record: Omit<CeremonyRecord, 'outcome' | 'durationMs' | 'seq'>): Promise<void>;
  /** Latchkey's own outcome, or the hand-over to the browser (which stays pending until the page reports). */
  finish(
    key: string,
    outcome: RecordedOutcome,
    extra?: {
      answeredBy?: CeremonyRecord['answeredBy'];
      browserReason?: CeremonyRecord['browserReason'];
      context?: RecordContext;
    },
  ): Promise<void>;
  /**
   * What the browser's own WebAuthn answered, as the page's MAIN world reports it. Only a record of
   * the same tab, frame, document and request id that the browser was answering, and only once.
   */
  report(key: string, outcome: Exclude<RecordedOutcome, { status: 'pending' }>): Promise<boolean>;
}

export function createRecorder(
  store: () => Promise<RecordStore>,
  now: () => number,
  onError: (error: unknown) => void = () => undefined,
): Recorder {
  async function safely<T>(fallback: T, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      onError(error);
      return fallback;
    }
  }
  return {
    begin(record) {
      return safely(undefined, async () => {
        await (await store()).add({ ...record, outcome: { status: 'pending' }, durationMs: null });
      });
    },
    finish(key, outcome, extra = {}) {
      return safely(undefined, async () => {
        await (
          await store()
        ).update(key, (record) => ({
          ...record,
          ...extra,
          outcome,
          durationMs: outcome.status === 'pending' ? null : now() - record.startedAt,
        }));
      });
    },
    report(key, outcome) {
      return safely(false, async () =>
        (await store()).update(key, (record) =>
          record.answeredBy === 'browser' && record.outcome.status === 'pending'
            ? { ...record, outcome: trimmed(outcome), durationMs: now() - record.startedAt }
            : null,
        ),
      );
    },
  };
}

/** Only the public members of a response JSON are kept. */
function trimmed(outcome: Exclude<RecordedOutcome, { status: 'pending' }>): RecordedOutcome {
  if (outcome.status !== 'success' || !outcome.response) return outcome;
  const { id, rawId, type, authenticatorAttachment, clientExtensionResults, response } = outcome.response as ResponseJSONLike;
  return { status: 'success', response: { id, rawId, type, authenticatorAttachment, clientExtensionResults, response } };
}
