import { describe, expect, it } from 'vitest';
import { hostMatches, managedPolicy, minPinLength, parseManagedPolicy, siteModeFor } from './sitePolicy';

describe('site modes and managed policy', () => {
  it('a site is Latchkey’s unless the user chose otherwise', () => {
    expect(siteModeFor('a.example', {}, {})).toEqual({ mode: 'latchkey', managed: false });
    expect(siteModeFor('a.example', { 'a.example': 'browser' }, {})).toEqual({ mode: 'browser', managed: false });
    expect(siteModeFor('a.example', { 'a.example': 'ask' }, {})).toEqual({ mode: 'ask', managed: false });
  });

  it('the policy’s hand-over list wins over the user’s choice, subdomains included', () => {
    const policy = { handOverSites: ['corp.example'] };
    expect(siteModeFor('login.corp.example', { 'login.corp.example': 'latchkey' }, policy)).toEqual({ mode: 'browser', managed: true });
    expect(siteModeFor('notcorp.example', {}, policy)).toEqual({ mode: 'latchkey', managed: false });
  });

  it('matches hosts by whole labels', () => {
    expect(hostMatches('example.com', 'example.com')).toBe(true);
    expect(hostMatches('a.example.com', '*.example.com')).toBe(true);
    expect(hostMatches('badexample.com', 'example.com')).toBe(false);
    expect(hostMatches('example.com', '')).toBe(false);
  });

  it('ignores malformed policy members instead of failing', () => {
    expect(parseManagedPolicy({ pinRequired: 'yes', autoLockMinutes: 5, handOverSites: 'x' })).toEqual({ autoLockMinutes: 5 });
    expect(parseManagedPolicy(undefined)).toEqual({});
    expect(minPinLength({ pinMinLength: 8 }, 4)).toBe(8);
    expect(minPinLength({}, 4)).toBe(4);
  });

  it('reads syncDisabled, and the browser’s managed schema declares every member the policy reads', async () => {
    expect(parseManagedPolicy({ syncDisabled: true })).toEqual({ syncDisabled: true });
    expect(parseManagedPolicy({ syncDisabled: 'no' })).toEqual({});
    const schema = (await import('../../public/managed_schema.json')).default as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(managedPolicy.shape).sort());
  });
});
