/**
 * The popup's first requests, sent when the script starts rather than after the
 * first render and the vault status round trip: the first screen of passkeys
 * (site order, with the total count) and the whole list. While the vault is
 * locked both fail, and the unlock form shows instead.
 */
import { sendToWorker } from '../extension/ui/sendToWorker';

export const FIRST_PAGE = 40;

let firstPage: ReturnType<typeof sendToWorker<{ kind: 'passkeys.list'; limit: number }>> | null = null;
let fullList: ReturnType<typeof sendToWorker<{ kind: 'passkeys.list' }>> | null = null;

export function startPrefetch(): void {
  firstPage = sendToWorker({ kind: 'passkeys.list', limit: FIRST_PAGE });
  // After the first screen is painted: asked together, the worker's reading and sending 10,000
  // records (on the same 2 cores) would delay it.
  const afterPaint = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  fullList = firstPage.then(afterPaint, afterPaint).then(() => sendToWorker({ kind: 'passkeys.list' }));
  // Unused answers (a locked vault) must not surface as unhandled rejections.
  firstPage.catch(() => undefined);
  fullList.catch(() => undefined);
}

/** The prefetched requests, once: later loads ask the worker again. */
export function takePrefetched() {
  const taken = firstPage && fullList ? { firstPage, fullList } : null;
  firstPage = null;
  fullList = null;
  return taken;
}
