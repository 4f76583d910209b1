/**
 * Dates as the popup and the prompt window show them. One place, so "last
 * used" reads the same everywhere. Uses the browser's locale.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "12 Mar 2025" in the user's locale. */
export function formatDate(ms: number, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(ms);
}

/** "12 Mar 2025, 14:03" — for tooltips where the exact time helps. */
export function formatDateTime(ms: number, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
}

/**
 * "just now", "5 minutes ago", "yesterday", "3 weeks ago"; past a year, the
 * date itself. A time in the future (clock skew) reads as "just now".
 */
export function timeAgo(ms: number, now: number = Date.now(), locale?: string): string {
  const elapsed = now - ms;
  if (elapsed < MINUTE) return 'just now';
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  if (elapsed < HOUR) return rtf.format(-Math.floor(elapsed / MINUTE), 'minute');
  if (elapsed < DAY) return rtf.format(-Math.floor(elapsed / HOUR), 'hour');
  if (elapsed < 7 * DAY) return rtf.format(-Math.floor(elapsed / DAY), 'day');
  if (elapsed < 30 * DAY) return rtf.format(-Math.floor(elapsed / (7 * DAY)), 'week');
  if (elapsed < 365 * DAY) return rtf.format(-Math.floor(elapsed / (30 * DAY)), 'month');
  return formatDate(ms, locale);
}

/** "Last used 5 minutes ago" / "Never used". */
export function lastUsedText(lastUsedAt: number | null, now: number = Date.now(), locale?: string): string {
  return lastUsedAt === null ? 'Never used' : `Last used ${timeAgo(lastUsedAt, now, locale)}`;
}
