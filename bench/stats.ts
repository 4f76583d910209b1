/**
 * Small descriptive statistics for benchmarks: one place, so every bench reads its
 * figures the same way. Pure functions over plain arrays of numbers (milliseconds here,
 * but nothing assumes a unit). None of them mutates its input.
 */

/** Ascending copy of the samples; throws on an empty or non-finite sample set. */
export function sorted(samples: readonly number[]): number[] {
  if (samples.length === 0) throw new RangeError('no samples');
  if (samples.some((value) => !Number.isFinite(value))) throw new RangeError('a sample is not a finite number');
  return [...samples].sort((a, b) => a - b);
}

/**
 * The q-quantile (0 ≤ q ≤ 1) by linear interpolation between closest ranks: with the n
 * samples sorted as x[0] ≤ … ≤ x[n-1], take h = (n − 1)·q and return
 * x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
 *
 * This is Hyndman & Fan's type 7, the default of R's `quantile()`, NumPy's
 * `percentile()` ('linear') and spreadsheets' PERCENTILE.INC: quantile(0) is the minimum,
 * quantile(1) the maximum and quantile(0.5) the usual median (the mean of the two middle
 * samples when n is even). With small n (20–50), p25/p75 move by a fraction of one
 * sample's gap between methods, so compare figures computed by this function only.
 */
export function quantile(samples: readonly number[], q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile ${q} is outside [0, 1]`);
  return quantileOfSorted(sorted(samples), q);
}

function quantileOfSorted(ascending: readonly number[], q: number): number {
  const h = (ascending.length - 1) * q;
  const lower = Math.floor(h);
  const upper = Math.min(lower + 1, ascending.length - 1);
  return ascending[lower]! + (h - lower) * (ascending[upper]! - ascending[lower]!);
}

export function median(samples: readonly number[]): number {
  return quantile(samples, 0.5);
}

/** Median absolute deviation: median(|x − median(x)|), unscaled (not multiplied by 1.4826). */
export function medianAbsoluteDeviation(samples: readonly number[]): number {
  const centre = median(samples);
  return median(samples.map((value) => Math.abs(value - centre)));
}

export interface Summary {
  n: number;
  min: number;
  p25: number;
  median: number;
  p75: number;
  max: number;
  mean: number;
  /** p75 − p25. */
  iqr: number;
  /**
   * IQR / median, in percent: the spread of the middle half of the calls relative to a
   * typical call. Under ~10 % is a steady measurement; over ~30 % means the machine was
   * busy or the operation has several speeds (caches, GC), and small differences in the
   * medians should not be read into.
   */
  noisePercent: number;
  /** Median absolute deviation, same unit as the samples. */
  mad: number;
}

export function summarize(samples: readonly number[]): Summary {
  const ascending = sorted(samples);
  const centre = quantileOfSorted(ascending, 0.5);
  const p25 = quantileOfSorted(ascending, 0.25);
  const p75 = quantileOfSorted(ascending, 0.75);
  return {
    n: ascending.length,
    min: ascending[0]!,
    p25,
    median: centre,
    p75,
    max: ascending[ascending.length - 1]!,
    mean: ascending.reduce((sum, value) => sum + value, 0) / ascending.length,
    iqr: p75 - p25,
    noisePercent: centre === 0 ? 0 : ((p75 - p25) / centre) * 100,
    mad: medianAbsoluteDeviation(ascending),
  };
}
