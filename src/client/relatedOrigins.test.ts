import { describe, expect, it, vi } from 'vitest';
import { ceremonyFailure } from '../../test/ceremonyFailure';
import { MAX_LABELS, resolveRpIdWithRelatedOrigins, type WellKnownResponse, wellKnownListsOrigin } from './relatedOrigins';

const json = (body: unknown, overrides: Partial<WellKnownResponse> = {}): WellKnownResponse => ({
  status: 200,
  contentType: 'application/json; charset=utf-8',
  body: JSON.stringify(body),
  ...overrides,
});


describe('related origin requests (WebAuthn L3 §5.11)', () => {
  it('accepts a foreign rpId whose /.well-known/webauthn lists the caller origin, fetching that exact URL', async () => {
    const fetcher = vi.fn(async () => json({ origins: ['https://shop.example.co.uk', 'https://example.de'] }));
    expect(await resolveRpIdWithRelatedOrigins('https://example.de', 'example.com', fetcher)).toBe('example.com');
    expect(fetcher).toHaveBeenCalledWith('https://example.com/.well-known/webauthn');
  });

  it('does not fetch when the rpId is the origin\u2019s own', async () => {
    const fetcher = vi.fn(async () => json({ origins: [] }));
    expect(await resolveRpIdWithRelatedOrigins('https://login.example.com', 'example.com', fetcher)).toBe('example.com');
    expect(fetcher).not.toHaveBeenCalled();
  });

  it.each<[string, WellKnownResponse | Error]>([
    ['the origin is not listed', json({ origins: ['https://other.de'] })],
    ['the same host on another scheme or port', json({ origins: ['http://example.de', 'https://example.de:8443'] })],
    ['a status other than 200', json({ origins: ['https://example.de'] }, { status: 404 })],
    ['a content type other than JSON', json({ origins: ['https://example.de'] }, { contentType: 'text/html' })],
    ['a body that is not JSON', { status: 200, contentType: 'application/json', body: '{origins' }],
    ['origins that are not all strings', json({ origins: ['https://example.de', 5] })],
    ['a file over the size limit', json({ origins: ['https://example.de'], padding: 'x'.repeat(70_000) })],
    ['a failed fetch', new Error('network')],
  ])('refuses with SecurityError when %s', async (_, answer) => {
    const fetcher = async () => {
      if (answer instanceof Error) throw answer;
      return answer;
    };
    expect(await ceremonyFailure(resolveRpIdWithRelatedOrigins('https://example.de', 'example.com', fetcher))).toBe('SecurityError');
    // The ceremony log names the cause the support catalogue explains: a file that exists but
    // leaves the origin out is a related-origins failure; no file at all, a plain mismatch.
    const failure = await resolveRpIdWithRelatedOrigins('https://example.de', 'example.com', fetcher).catch((error: unknown) => error);
    const noFile = answer instanceof Error || answer.status !== 200;
    expect(failure).toMatchObject({ code: noFile ? 'rp-id-mismatch' : 'related-origins' });
  });

  it('refuses without a fetcher, and never fetches for a public suffix or an opaque origin', async () => {
    const fetcher = vi.fn(async () => json({ origins: ['https://example.de'] }));
    expect(await ceremonyFailure(resolveRpIdWithRelatedOrigins('https://example.de', 'example.com', undefined))).toBe('SecurityError');
    expect(await ceremonyFailure(resolveRpIdWithRelatedOrigins('https://example.de', 'co.uk', fetcher))).toBe('SecurityError');
    expect(await ceremonyFailure(resolveRpIdWithRelatedOrigins('null', 'example.com', fetcher))).toBe('NotAllowedError');
    expect(fetcher).not.toHaveBeenCalled();
  });

  it(`counts at most ${MAX_LABELS} registrable origin labels: origins with a sixth label are skipped`, () => {
    const labels = ['a', 'b', 'c', 'd', 'e'].map((label) => `https://${label}.com`);
    expect(wellKnownListsOrigin('https://f.com', json({ origins: [...labels, 'https://f.com'] }))).toBe(false);
    // Another origin under a label already seen still counts.
    expect(wellKnownListsOrigin('https://www.a.co.uk', json({ origins: [...labels, 'https://www.a.co.uk'] }))).toBe(true);
  });
});
