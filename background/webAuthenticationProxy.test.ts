import { describe, expect, it, vi } from 'vitest';
import { completionOf, createProxyAttachment, readProxiedRequest } from './webAuthenticationProxy';

/** What Chromium 156 sent the proxy for a get() from http://localhost:41013 (recorded). */
const RECORDED_GET =
  '{"allowCredentials":[],"challenge":"AAAAAAAAAAAAAAAAAAAAAA","extensions":{"remoteDesktopClientOverride":{"origin":"http://localhost:41013","sameOriginWithAncestors":true}},"rpId":"localhost","userVerification":"preferred"}';

function fakeApi() {
  const calls: string[] = [];
  return {
    calls,
    api: {
      attach: vi.fn(async () => void calls.push('attach')),
      detach: vi.fn(async () => void calls.push('detach')),
    } as unknown as typeof chrome.webAuthenticationProxy,
  };
}

describe('readProxiedRequest', () => {
  it('takes the caller from the browser-written remoteDesktopClientOverride and removes it from the options', () => {
    const request = readProxiedRequest('get', 7, RECORDED_GET);
    expect(request.origin).toBe('http://localhost:41013');
    expect(request.sameOriginWithAncestors).toBe(true);
    expect(request.message).toEqual({
      kind: 'get',
      requestId: 'proxy-7',
      options: {
        allowCredentials: [],
        challenge: 'AAAAAAAAAAAAAAAAAAAAAA',
        extensions: {},
        rpId: 'localhost',
        userVerification: 'preferred',
      },
    });
  });

  it('keeps the relying party\u2019s own extensions', () => {
    const json = JSON.stringify({
      challenge: 'AA',
      extensions: {
        credProps: true,
        remoteDesktopClientOverride: { origin: 'https://a.example', sameOriginWithAncestors: false },
      },
    });
    const request = readProxiedRequest('create', 1, json);
    expect(request.message.options).toMatchObject({ extensions: { credProps: true } });
    expect(request.sameOriginWithAncestors).toBe(false);
  });

  it('refuses a request for which the browser named no origin', () => {
    expect(() => readProxiedRequest('get', 1, '{"challenge":"AA"}')).toThrow(/no origin/);
    expect(() => readProxiedRequest('get', 1, 'not json')).toThrow();
  });
});

describe('completionOf', () => {
  it('a credential becomes its JSON; an error its DOMException; a hand-over a NotAllowedError that says why', () => {
    const credential = { id: 'AQ', rawId: 'AQ', type: 'public-key' } as never;
    expect(completionOf({ kind: 'credential', credential })).toEqual({ responseJson: JSON.stringify(credential) });
    expect(completionOf({ kind: 'error', name: 'SecurityError', message: 'm' })).toEqual({
      error: { name: 'SecurityError', message: 'm' },
    });
    expect(completionOf({ kind: 'fallback' })).toMatchObject({ error: { name: 'NotAllowedError', message: /proxy/ } });
  });
});

describe('createProxyAttachment', () => {
  it('attaches only while the setting is on', async () => {
    const { api, calls } = fakeApi();
    const proxy = createProxyAttachment(api);
    await proxy.follow({ interceptWithProxy: false });
    expect(calls).toEqual([]);
    await proxy.follow({ interceptWithProxy: true });
    expect(proxy.isAttached()).toBe(true);
    await proxy.follow({ interceptWithProxy: false });
    expect(calls).toEqual(['attach', 'detach']);
    expect(proxy.isAttached()).toBe(false);
  });

  it('steps aside while hand-overs are under way and attaches again when the last one ended', async () => {
    const { api, calls } = fakeApi();
    const proxy = createProxyAttachment(api);
    await proxy.follow({ interceptWithProxy: true });
    await proxy.stepAside('tab1/req1');
    await proxy.stepAside('tab2/req2');
    expect(proxy.isAttached()).toBe(false);
    await proxy.handOverEnded('tab1/req1');
    expect(proxy.isAttached()).toBe(false);
    // An unknown key (a report of a request that was never handed over) changes nothing.
    await proxy.handOverEnded('tab9/other');
    expect(proxy.isAttached()).toBe(false);
    await proxy.handOverEnded('tab2/req2');
    expect(proxy.isAttached()).toBe(true);
    expect(calls).toEqual(['attach', 'detach', 'attach']);
  });

  it('a hand-over the page never reports on ends after ten minutes', async () => {
    vi.useFakeTimers();
    try {
      const { api } = fakeApi();
      const proxy = createProxyAttachment(api);
      await proxy.follow({ interceptWithProxy: true });
      await proxy.stepAside('lost');
      expect(proxy.isAttached()).toBe(false);
      await vi.advanceTimersByTimeAsync(10 * 60_000);
      expect(proxy.isAttached()).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('without the API (Firefox) never attaches', async () => {
    const proxy = createProxyAttachment(undefined);
    await proxy.follow({ interceptWithProxy: true });
    expect(proxy.available).toBe(false);
    expect(proxy.isAttached()).toBe(false);
  });

  it('an attach another extension holds (it fails) leaves Latchkey detached, and it tries again on the next change', async () => {
    const { api } = fakeApi();
    (api.attach as unknown as ReturnType<typeof vi.fn>).mockRejectedValueOnce(new Error('Another extension is already attached'));
    const proxy = createProxyAttachment(api);
    await proxy.follow({ interceptWithProxy: true });
    expect(proxy.isAttached()).toBe(false);
    await proxy.follow({ interceptWithProxy: true });
    expect(proxy.isAttached()).toBe(true);
  });
});
