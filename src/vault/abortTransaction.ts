import type { IDBPTransaction } from 'idb';

/**
 * Ends a readwrite transaction without committing what it wrote, and waits until
 * it has ended. Safe when it already ended (a failed request aborts it by itself).
 */
export async function abortTransaction(tx: IDBPTransaction<any, any, 'readwrite'>): Promise<void> {
  try {
    tx.abort();
  } catch {
    // already finished
  }
  await tx.done.catch(() => undefined);
}
