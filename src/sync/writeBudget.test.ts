import { describe, expect, it } from 'vitest';
import { WriteBudget } from './writeBudget';

describe('the write budget', () => {
  it('allows half of MAX_WRITE_OPERATIONS_PER_MINUTE, then says how long to wait', () => {
    let now = 0;
    const budget = new WriteBudget(() => now);
    for (let index = 0; index < 60; index++) {
      expect(budget.waitFor(1)).toBe(0);
      budget.spend(1);
      now += 100;
    }
    expect(budget.waitFor(1)).toBe(60_000 - 6_000); // the oldest write (at 0) leaves the minute at 60 s
    now = 60_001;
    expect(budget.waitFor(1)).toBe(0);
  });

  it('allows half of MAX_WRITE_OPERATIONS_PER_HOUR', () => {
    let now = 0;
    const budget = new WriteBudget(() => now);
    for (let index = 0; index < 900; index++) {
      expect(budget.waitFor(1)).toBe(0);
      budget.spend(1);
      now += 1_001; // under the per-minute limit
    }
    expect(budget.waitFor(1)).toBe(3_600_000 - now);
  });
});
