/**
 * Keeps this browser's sync writes under Chromium's write-rate quotas
 * (MAX_WRITE_OPERATIONS_PER_MINUTE 120, MAX_WRITE_OPERATIONS_PER_HOUR 1,800) with room to
 * spare, so a write is postponed rather than refused. Each set() or remove() call is one
 * operation however many items it carries, so the engine batches a round's items into one call.
 */
import { SYNC_QUOTA } from './syncArea';

export class WriteBudget {
  private readonly writes: number[] = [];

  constructor(
    private readonly now: () => number,
    /** Half of each quota: the popup, a second window or a retry loop must never reach the limit. */
    private readonly perMinute = SYNC_QUOTA.MAX_WRITE_OPERATIONS_PER_MINUTE / 2,
    private readonly perHour = SYNC_QUOTA.MAX_WRITE_OPERATIONS_PER_HOUR / 2,
  ) {}

  /** 0 when `count` writes may go now; otherwise how many ms until they may. */
  waitFor(count: number): number {
    const at = this.now();
    while (this.writes.length && this.writes[0]! <= at - 3_600_000) this.writes.shift();
    const lastMinute = this.writes.filter((time) => time > at - 60_000);
    if (lastMinute.length + count > this.perMinute)
      return lastMinute[lastMinute.length + count - this.perMinute - 1]! + 60_000 - at;
    if (this.writes.length + count > this.perHour)
      return this.writes[this.writes.length + count - this.perHour - 1]! + 3_600_000 - at;
    return 0;
  }

  spend(count: number): void {
    for (let index = 0; index < count; index++) this.writes.push(this.now());
  }
}
