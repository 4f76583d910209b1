/**
 * "If the timeout member of options is present, check if its value lies within a reasonable
 * range as defined by the client and if not, correct it to the closest value lying within that
 * range." Chromium's range is 10 s to 10 min, and 10 min when absent (its AdjustTimeout; it
 * skips the clamp only while a CDP virtual authenticator is on); Latchkey uses the same so sites
 * behave alike. Its own module: the content scripts use it too.
 */
export const TIMEOUT_RANGE = { min: 10_000, max: 600_000, default: 600_000 } as const;

export function clampTimeout(timeout: number | undefined): number {
  if (timeout === undefined || !Number.isFinite(timeout)) return TIMEOUT_RANGE.default;
  return Math.min(TIMEOUT_RANGE.max, Math.max(TIMEOUT_RANGE.min, timeout));
}
