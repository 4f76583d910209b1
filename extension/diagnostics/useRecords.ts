import { useCallback, useEffect, useState } from 'preact/hooks';
import type { CeremonyRecord } from '../../src/diagnostics/record';
import { errorMessage, sendToWorker } from '../ui/sendToWorker';

/** How often the timeline asks for new records: the DevTools panel shows ceremonies as they happen. */
const REFRESH_MS = 1_000;

export interface RecordsState {
  records: CeremonyRecord[] | null;
  error: string | null;
  refresh(): Promise<void>;
  clear(): Promise<void>;
}

export function useRecords(tabId: number | undefined, live: boolean): RecordsState {
  const [records, setRecords] = useState<CeremonyRecord[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = useCallback(async () => {
    try {
      const reply = await sendToWorker({ kind: 'diagnostics.list', ...(tabId !== undefined ? { tabId } : {}) });
      setRecords(reply.records);
      setError(null);
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }, [tabId]);
  useEffect(() => {
    void refresh();
    if (!live) return;
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh, live]);
  const clear = useCallback(async () => {
    try {
      await sendToWorker({ kind: 'diagnostics.clear' });
      await refresh();
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }, [refresh]);
  return { records, error, refresh, clear };
}
