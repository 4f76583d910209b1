import { describe, expect, it } from 'vitest';
import { handlePageRequest } from './handlePageRequest';

const sender = { id: 'ext', origin: 'https://example.com', frameId: 0, tab: { id: 1 } } as chrome.runtime.MessageSender;

const malformed: [string, unknown][] = [
  ['nothing', undefined],
  ['a string', 'create'],
  ['an unknown kind', { kind: 'delete-everything', requestId: 'a' }],
  ['no request id', { kind: 'get', options: { challenge: 'AA' } }],
  ['a challenge that is not base64url', { kind: 'get', requestId: 'a', options: { challenge: 'not base64!' } }],
  ['a user.id of the wrong type', {
    kind: 'create',
    requestId: 'a',
    options: { rp: { name: 'x' }, user: { id: 5, name: 'x', displayName: 'x' }, challenge: 'AA', pubKeyCredParams: [] },
  }],
  ['pubKeyCredParams with a non-integer alg', {
    kind: 'create',
    requestId: 'a',
    options: { rp: { name: 'x' }, user: { id: 'AA', name: 'x', displayName: 'x' }, challenge: 'AA', pubKeyCredParams: [{ type: 'public-key', alg: 1.5 }] },
  }],
  ['an oversized request id', { kind: 'abort', requestId: 'x'.repeat(65) }],
  ['a signal with a credential id that is not base64url', { kind: 'signal-unknown-credential', requestId: 'a', rpId: 'example.com', credentialId: 'a+b/' }],
  ['a diagnostics report with an unknown status', { kind: 'report', requestId: 'a', outcome: { status: 'rewritten' } }],
  ['a diagnostics report with an oversized response', {
    kind: 'report',
    requestId: 'a',
    outcome: { status: 'success', response: { response: { clientDataJSON: 'A'.repeat(70_000) } } },
  }],
  ['a signal without its user id', { kind: 'signal-current-user-details', requestId: 'a', rpId: 'example.com', name: 'n', displayName: 'd' }],
];

describe('handlePageRequest: a malformed message from a page (or a compromised renderer)', () => {
  it.each(malformed)('%s is answered with a TypeError and never reaches the store', async (_, message) => {
    let storeOpened = false;
    const reply = await handlePageRequest(message, sender, async () => {
      storeOpened = true;
      throw new Error('the stores must not be opened');
    });
    expect(reply).toMatchObject({ kind: 'error', name: 'TypeError' });
    expect(storeOpened).toBe(false);
  });
});
