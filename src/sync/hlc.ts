/**
 * A hybrid logical clock (Kulkarni et al., "Logical Physical Clocks", 2014): wall-clock
 * milliseconds, a counter for events within one millisecond or behind a clock that ran ahead,
 * and the device id as the tie-break. Written as one fixed-width string so that comparing two
 * clocks is comparing two strings: `000lxk3q2a:0000:deviceid`.
 *
 * "Last writer wins" between browsers means the larger clock wins; two browsers never stamp the
 * same clock, because their device ids differ.
 */
export type Hlc = string;

const WALL_WIDTH = 11; // base 36: enough for any millisecond count before the year 5000
const COUNTER_WIDTH = 4;

export interface HlcParts {
  wall: number;
  counter: number;
  device: string;
}

export function formatHlc({ wall, counter, device }: HlcParts): Hlc {
  return `${wall.toString(36).padStart(WALL_WIDTH, '0')}:${counter.toString(36).padStart(COUNTER_WIDTH, '0')}:${device}`;
}

export function parseHlc(clock: Hlc): HlcParts {
  const match = /^([0-9a-z]{11}):([0-9a-z]{4}):([A-Za-z0-9_-]{1,32})$/.exec(clock);
  if (!match) throw new Error(`not a hybrid logical clock: ${clock}`);
  return { wall: parseInt(match[1]!, 36), counter: parseInt(match[2]!, 36), device: match[3]! };
}

export function compareHlc(a: Hlc, b: Hlc): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function maxHlc(a: Hlc, b: Hlc): Hlc {
  return compareHlc(a, b) >= 0 ? a : b;
}

/** One device's clock: `tick()` for a local event, `receive()` for every clock seen from another device. */
export class HybridLogicalClock {
  private wall = 0;
  private counter = 0;

  constructor(
    readonly device: string,
    private readonly now: () => number,
    last?: Hlc,
  ) {
    if (last) this.receive(last);
  }

  tick(): Hlc {
    const physical = this.now();
    if (physical > this.wall) {
      this.wall = physical;
      this.counter = 0;
    } else {
      this.counter++;
    }
    return this.current();
  }

  /** Moves this clock past a remote one, so the next local event orders after everything seen. */
  receive(remote: Hlc): void {
    const { wall, counter } = parseHlc(remote);
    if (wall > this.wall) {
      this.wall = wall;
      this.counter = counter;
    } else if (wall === this.wall && counter > this.counter) {
      this.counter = counter;
    }
  }

  current(): Hlc {
    return formatHlc({ wall: this.wall, counter: this.counter, device: this.device });
  }
}
