import { describe, expect, it } from 'vitest';
import { lastUsedText, timeAgo } from './format';

const now = Date.UTC(2025, 5, 15, 12, 0, 0);
const minute = 60_000;
const day = 24 * 60 * minute;

describe('timeAgo', () => {
  it('says "just now" under a minute, and for a time in the future', () => {
    expect(timeAgo(now - 30_000, now, 'en')).toBe('just now');
    expect(timeAgo(now + 5 * minute, now, 'en')).toBe('just now');
  });

  it('counts minutes, hours, days, weeks and months', () => {
    expect(timeAgo(now - 5 * minute, now, 'en')).toBe('5 minutes ago');
    expect(timeAgo(now - 3 * 60 * minute, now, 'en')).toBe('3 hours ago');
    expect(timeAgo(now - day, now, 'en')).toBe('yesterday');
    expect(timeAgo(now - 3 * day, now, 'en')).toBe('3 days ago');
    expect(timeAgo(now - 14 * day, now, 'en')).toBe('2 weeks ago');
    expect(timeAgo(now - 90 * day, now, 'en')).toBe('3 months ago');
  });

  it('gives the date itself past a year', () => {
    expect(timeAgo(Date.UTC(2023, 0, 10, 12), now, 'en-GB')).toBe('10 Jan 2023');
  });
});

describe('lastUsedText', () => {
  it('says "Never used" for a passkey that was never used', () => {
    expect(lastUsedText(null, now, 'en')).toBe('Never used');
    expect(lastUsedText(now - 5 * minute, now, 'en')).toBe('Last used 5 minutes ago');
  });
});
