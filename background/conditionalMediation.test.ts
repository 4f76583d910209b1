import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OrphanDetector } from '../src/orphans/detector';
import type { VaultDatabase } from '../src/vault/vaultDatabase';
import { handleAutofillRequest, waitForAutofillPick } from './conditionalMediation';

const passkey = {
  id: 'AQID',
  rpId: 'localhost',
  discoverable: true,
  userName: 'ada',
  userDisplayName: 'Ada',
  name: 'Ada',
  algorithm: -7,
};
const services = async () => ({
  db: { getAllFromIndex: async () => [passkey] } as unknown as VaultDatabase,
  orphans: { verdicts: async () => new Map() } as unknown as OrphanDetector,
});
const inTab = (id: number) => ({ tab: { id } }) as chrome.runtime.MessageSender;

afterEach(() => {
  vi.useRealTimers();
});

describe('handleAutofillRequest', () => {
  it('lists the site\u2019s passkeys and ends the wait with the pick, for a frame of the same tab', async () => {
    const pick = waitForAutofillPick('r1', 7, 'localhost', [], new AbortController().signal);
    const listing = await handleAutofillRequest({ kind: 'autofill.candidates', requestId: 'r1' }, inTab(7), services);
    expect(listing).toMatchObject({ rpId: 'localhost', candidates: [{ id: 'AQID', userName: 'ada' }] });
    expect(
      await handleAutofillRequest(
        { kind: 'autofill.pick', requestId: 'r1', credentialId: 'AQID', visibleForMs: 900 },
        inTab(7),
        services,
      ),
    ).toEqual({ ok: true });
    expect(await pick).toEqual({ kind: 'credential', credentialId: 'AQID', presenceConfirmed: true });
  });

  it('a pick made before the dropdown was shown long enough is not presence', async () => {
    const pick = waitForAutofillPick('r2', 7, 'localhost', [], new AbortController().signal);
    await handleAutofillRequest(
      { kind: 'autofill.pick', requestId: 'r2', credentialId: 'AQID', visibleForMs: 120 },
      inTab(7),
      services,
    );
    expect(await pick).toMatchObject({ presenceConfirmed: false });
  });

  it('another tab learns nothing and ends nothing', async () => {
    const controller = new AbortController();
    const pick = waitForAutofillPick('r3', 7, 'localhost', [], controller.signal);
    expect(await handleAutofillRequest({ kind: 'autofill.candidates', requestId: 'r3' }, inTab(8), services)).toEqual({
      error: 'This sign-in is no longer waiting.',
    });
    expect(await handleAutofillRequest({ kind: 'autofill.other', requestId: 'r3' }, inTab(8), services)).toMatchObject({
      error: expect.any(String),
    });
    controller.abort();
    await expect(pick).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('a passkey the site does not offer cannot be picked', async () => {
    const controller = new AbortController();
    const pick = waitForAutofillPick('r4', 7, 'localhost', [], controller.signal);
    expect(
      await handleAutofillRequest(
        { kind: 'autofill.pick', requestId: 'r4', credentialId: 'BBBB', visibleForMs: 900 },
        inTab(7),
        services,
      ),
    ).toEqual({ error: 'This passkey is not offered here.' });
    controller.abort();
    await expect(pick).rejects.toBeDefined();
  });

  it('a dropdown that asks before the worker has set the request up waits for it', async () => {
    const early = handleAutofillRequest({ kind: 'autofill.other', requestId: 'r5' }, inTab(7), services);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const pick = waitForAutofillPick('r5', 7, 'localhost', [], new AbortController().signal);
    expect(await early).toEqual({ ok: true });
    expect(await pick).toEqual({ kind: 'other' });
  });

  it('…but not for ever: a request that never comes is "no longer waiting" after 10 s', async () => {
    vi.useFakeTimers();
    const answer = handleAutofillRequest({ kind: 'autofill.candidates', requestId: 'never' }, inTab(7), services);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await answer).toEqual({ error: 'This sign-in is no longer waiting.' });
  });

  it('a malformed request gets a clear error', async () => {
    expect(await handleAutofillRequest({ kind: 'autofill.pick', requestId: 'r6' }, inTab(7), services)).toMatchObject({
      error: expect.stringMatching(/^Malformed request/),
    });
  });
});
