import { mkdtempSync, readFileSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { install, uninstall } from './install';

const ID = 'abcdefghijklmnopabcdefghijklmnop';

describe('latchkey-bridge install / uninstall', () => {
  it('writes the manifests for Chromium, Chrome and Firefox under the given home, and an executable launcher', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'latchkey-home-'));
    const written = await install({ home, extensionId: ID });
    const read = (file: string) => JSON.parse(readFileSync(path.join(home, file), 'utf8'));
    const chromium = read('.config/chromium/NativeMessagingHosts/latchkey.bridge.json');
    expect(chromium).toEqual({
      name: 'latchkey.bridge',
      description: expect.any(String),
      path: path.join(home, '.local/share/latchkey-bridge/latchkey-bridge'),
      type: 'stdio',
      allowed_origins: [`chrome-extension://${ID}/`],
    });
    expect(read('.config/google-chrome/NativeMessagingHosts/latchkey.bridge.json').allowed_origins).toEqual([
      `chrome-extension://${ID}/`,
    ]);
    expect(read('.mozilla/native-messaging-hosts/latchkey.bridge.json').allowed_extensions).toEqual([
      'latchkey@latchkey.invalid',
    ]);
    expect(statSync(chromium.path).mode & 0o111).not.toBe(0);
    expect(readFileSync(chromium.path, 'utf8')).toContain(`'--allowed-origin' 'chrome-extension://${ID}/'`);
    expect(written).toHaveLength(4);
    await uninstall({ home });
    expect(written.some((file) => existsSync(file))).toBe(false);
  });

  it('takes the home from LATCHKEY_BRIDGE_HOME, and Firefox alone needs no extension id', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'latchkey-home-'));
    process.env.LATCHKEY_BRIDGE_HOME = home;
    try {
      const written = await install({ browsers: ['firefox'] });
      expect(written).toContain(path.join(home, '.mozilla/native-messaging-hosts/latchkey.bridge.json'));
    } finally {
      delete process.env.LATCHKEY_BRIDGE_HOME;
    }
  });

  it('refuses a Chromium install without a valid extension id', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'latchkey-home-'));
    await expect(install({ home, browsers: ['chromium'] })).rejects.toThrow('--extension-id');
    await expect(install({ home, extensionId: 'ABC', browsers: ['chrome'] })).rejects.toThrow('--extension-id');
  });

  it('with --manifest-dir writes one Chromium manifest there, and bakes a simulated key into the launcher', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'latchkey-home-'));
    const dir = path.join(home, 'profile/NativeMessagingHosts');
    const written = await install({ home, extensionId: ID, manifestDir: dir, simulatedKey: path.join(home, 'key.json') });
    expect(written).toEqual([
      path.join(home, '.local/share/latchkey-bridge/latchkey-bridge'),
      path.join(dir, 'latchkey.bridge.json'),
    ]);
    expect(readFileSync(written[0]!, 'utf8')).toContain(`'--simulated-key' '${path.join(home, 'key.json')}'`);
  });
});
