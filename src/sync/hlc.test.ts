import { describe, expect, it } from 'vitest';
import { compareHlc, formatHlc, HybridLogicalClock, parseHlc } from './hlc';

describe('hybrid logical clock', () => {
  it('orders events of one device even when the wall clock stands still or goes back', () => {
    let now = 1_000;
    const clock = new HybridLogicalClock('devA', () => now);
    const first = clock.tick();
    const second = clock.tick();
    now = 500; // the wall clock was set back
    const third = clock.tick();
    expect(compareHlc(first, second)).toBeLessThan(0);
    expect(compareHlc(second, third)).toBeLessThan(0);
    expect(parseHlc(third)).toEqual({ wall: 1_000, counter: 2, device: 'devA' });
  });

  it('orders a local event after every clock received from another device, even one running ahead', () => {
    const clock = new HybridLogicalClock('devA', () => 1_000);
    const remote = formatHlc({ wall: 9_000, counter: 7, device: 'devB' });
    clock.receive(remote);
    const next = clock.tick();
    expect(compareHlc(next, remote)).toBeGreaterThan(0);
    expect(parseHlc(next)).toEqual({ wall: 9_000, counter: 8, device: 'devA' });
  });

  it('breaks a tie of wall time and counter by device id', () => {
    const a = formatHlc({ wall: 5, counter: 0, device: 'aaaa' });
    const b = formatHlc({ wall: 5, counter: 0, device: 'bbbb' });
    expect(compareHlc(a, b)).toBeLessThan(0);
    expect(compareHlc(b, a)).toBeGreaterThan(0);
  });

  it('compares as strings in the same order as (wall, counter)', () => {
    const early = formatHlc({ wall: 35, counter: 40, device: 'z' });
    const late = formatHlc({ wall: 36, counter: 0, device: 'a' });
    expect(early < late).toBe(true);
    expect(() => parseHlc('nonsense')).toThrow(/hybrid logical clock/);
  });
});
