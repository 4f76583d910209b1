import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { PasskeyView } from '../src/webauthn/messages';
import { errorMessage, sendToWorker } from '../extension/ui/sendToWorker';
import { sortPasskeys } from './sortPasskeys';
import { takePrefetched } from './prefetch';
import { useRefreshOnChange } from './useRefreshOnChange';

export interface PasskeysState {
  /** `null` until the first list arrives. */
  passkeys: PasskeyView[] | null;
  /** How many passkeys are stored; null while only the first screen is there and more exist. */
  total: number | null;
  /** False while only the first screen of the list is there. */
  complete: boolean;
  /** Why the list could not be loaded, if it could not. */
  loadError: string | null;
  refresh: () => Promise<void>;
  /** Throws with the worker's message; the caller shows it next to the passkey. */
  rename: (id: string, name: string) => Promise<void>;
  /** Throws with the worker's message; the caller shows it next to the passkey. */
  remove: (id: string) => Promise<void>;
  /** Shows a hidden or suspected passkey in sign-in again (the detector's verdict is undone). */
  showAgain: (id: string) => Promise<void>;
}

export function usePasskeys(): PasskeysState {
  const [passkeys, setPasskeys] = useState<PasskeyView[] | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [complete, setComplete] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  // Refreshes can overlap (focus and storage events arrive together); only the
  // latest one may write the list, or an older answer could undo a delete.
  const latest = useRef(0);

  const refresh = useCallback(async () => {
    const call = ++latest.current;
    const prefetched = takePrefetched();
    try {
      if (prefetched) {
        // The first screen first (one IndexedDB index read), unless the whole list beat it.
        let fullArrived = false;
        void prefetched.fullList.then(() => (fullArrived = true), () => undefined);
        const first = await prefetched.firstPage.catch(() => null);
        if (first && !fullArrived && call === latest.current) {
          setPasskeys(sortPasskeys(first.passkeys));
          setTotal(first.total);
        }
      }
      const reply = await (prefetched?.fullList ?? sendToWorker({ kind: 'passkeys.list' }));
      if (call !== latest.current) return;
      setPasskeys(sortPasskeys(reply.passkeys));
      setTotal(reply.total);
      setComplete(true);
      setLoadError(null);
    } catch (error) {
      if (call !== latest.current) return;
      setLoadError(errorMessage(error));
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);
  useRefreshOnChange(refresh);

  const rename = useCallback(
    async (id: string, name: string) => {
      await sendToWorker({ kind: 'passkeys.rename', id, name });
      await refresh();
    },
    [refresh],
  );

  const remove = useCallback(
    async (id: string) => {
      await sendToWorker({ kind: 'passkeys.delete', id });
      await refresh();
    },
    [refresh],
  );

  const showAgain = useCallback(
    async (id: string) => {
      await sendToWorker({ kind: 'passkeys.show-again', id });
      await refresh();
    },
    [refresh],
  );

  return { passkeys, total, complete, loadError, refresh, rename, remove, showAgain };
}
