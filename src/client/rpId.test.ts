import { describe, expect, it } from 'vitest';
import { CeremonyError } from '../webauthn/errors';
import { isRegistrableDomainSuffixOrEqual, resolveRpId } from './rpId';

// [origin, requested rpId, expected rpId or the DOMException name]
const cases: [string, string | undefined, string][] = [
  ['https://example.com', undefined, 'example.com'],
  ['https://example.com', 'example.com', 'example.com'],
  ['https://login.example.com', 'example.com', 'example.com'],
  ['https://a.b.example.com', 'b.example.com', 'b.example.com'],
  ['https://example.com', 'login.example.com', 'SecurityError'],
  ['https://example.com', 'example.org', 'SecurityError'],
  ['https://notexample.com', 'example.com', 'SecurityError'],
  ['https://example.com', 'com', 'SecurityError'],
  ['https://example.co.uk', 'co.uk', 'SecurityError'],
  ['https://login.example.co.uk', 'example.co.uk', 'example.co.uk'],
  ['https://alice.github.io', 'github.io', 'SecurityError'],
  ['https://alice.github.io', 'alice.github.io', 'alice.github.io'],
  ['https://bob.alice.github.io', 'alice.github.io', 'alice.github.io'],
  ['https://github.io', 'github.io', 'github.io'],
  ['http://localhost:8080', undefined, 'localhost'],
  ['http://localhost:8080', 'localhost', 'localhost'],
  ['http://app.localhost:3000', 'app.localhost', 'app.localhost'],
  ['http://app.localhost:3000', 'localhost', 'SecurityError'],
  ['https://127.0.0.1', undefined, 'SecurityError'],
  ['https://127.0.0.1', '127.0.0.1', 'SecurityError'],
  ['https://[::1]', undefined, 'SecurityError'],
  ['http://example.com', undefined, 'SecurityError'],
  ['http://example.com', 'example.com', 'SecurityError'],
  ['https://example.com:8443', 'example.com', 'example.com'],
  ['https://example.com', 'example.com:443', 'SecurityError'],
  ['https://example.com', '', 'SecurityError'],
  ['https://example.com', '.example.com', 'SecurityError'],
  ['https://sub.example.com', 'EXAMPLE.com', 'example.com'],
  ['null', undefined, 'NotAllowedError'],
  ['ftp://example.com', undefined, 'SecurityError'],
];

describe('resolveRpId: rpId checked against the origin with the Public Suffix List', () => {
  it.each(cases)('origin %s with rpId %s gives %s', (origin, rpId, expected) => {
    const run = () => resolveRpId(origin, rpId);
    if (/Error$/.test(expected)) {
      expect(run).toThrow(CeremonyError);
      try {
        run();
      } catch (error) {
        expect((error as CeremonyError).name).toBe(expected);
      }
    } else {
      expect(run()).toBe(expected);
    }
  });
});

describe('isRegistrableDomainSuffixOrEqual', () => {
  it('accepts equal hosts, including IP addresses', () => {
    expect(isRegistrableDomainSuffixOrEqual('192.168.0.1', '192.168.0.1')).toBe(true);
  });
  it('never lets an IP address claim a suffix', () => {
    expect(isRegistrableDomainSuffixOrEqual('0.1', '192.168.0.1')).toBe(false);
  });
  it('refuses a private-section public suffix (appspot.com)', () => {
    expect(isRegistrableDomainSuffixOrEqual('appspot.com', 'myapp.appspot.com')).toBe(false);
  });
  it('refuses a suffix that only matches part of a label', () => {
    expect(isRegistrableDomainSuffixOrEqual('ample.com', 'example.com')).toBe(false);
  });
});
