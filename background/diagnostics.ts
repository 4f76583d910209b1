import { createRecorder, type Recorder } from '../src/diagnostics/recorder';
import { openRecordStore, type RecordStore } from '../src/diagnostics/recordStore';

let store: Promise<RecordStore> | undefined;

/** The ceremony log's store, opened once per worker life on first need; a failed open is retried next time. */
export function recordStore(): Promise<RecordStore> {
  store ??= openRecordStore().catch((error: unknown) => {
    store = undefined;
    throw error;
  });
  return store;
}

/** The worker's recorder: its failures are logged, never passed to a ceremony. */
export const recorder: Recorder = createRecorder(
  recordStore,
  () => Date.now(),
  (error) => console.warn('Latchkey diagnostics:', error),
);
