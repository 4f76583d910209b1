/**
 * `latchkey-bridge install` / `uninstall`: the native messaging host manifests at user level, and
 * the launcher script they point at.
 *
 * Where browsers look on Linux (user level): Chromium `~/.config/chromium/NativeMessagingHosts`,
 * Chrome `~/.config/google-chrome/NativeMessagingHosts`, Firefox `~/.mozilla/native-messaging-hosts`.
 * Chromium also reads `<user-data-dir>/NativeMessagingHosts` for a profile started with
 * --user-data-dir (checked with Debian's Chromium 156 by test/e2e/securityKey.test.ts), which
 * `--manifest-dir` targets.
 */
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { FIREFOX_EXTENSION_ID, NATIVE_HOST_NAME } from '../src/native/protocol';

export type BrowserTarget = 'chromium' | 'chrome' | 'firefox';
export const ALL_TARGETS: BrowserTarget[] = ['chromium', 'chrome', 'firefox'];

export interface InstallOptions {
  /** The Chromium extension id (32 letters a–p): unpacked extensions get one from their folder's path. */
  extensionId?: string;
  browsers?: BrowserTarget[];
  /** The home folder to install under (default: $LATCHKEY_BRIDGE_HOME, else the user's). */
  home?: string;
  /** Write the Chromium-style manifest into this folder only (a profile's NativeMessagingHosts). */
  manifestDir?: string;
  /** Run the host with a simulated key whose state lives in this file (tests and demos). */
  simulatedKey?: string;
  touchDelayMs?: number;
  /** The repository the host runs from (default: this checkout). */
  root?: string;
  /** The Node.js binary the launcher runs (default: this one). */
  node?: string;
}

const EXTENSION_ID = /^[a-p]{32}$/;

export function homeOf(options: Pick<InstallOptions, 'home'>): string {
  return options.home ?? process.env.LATCHKEY_BRIDGE_HOME ?? homedir();
}

export function manifestDirs(home: string, browsers: BrowserTarget[]): Record<BrowserTarget, string> {
  const all: Record<BrowserTarget, string> = {
    chromium: path.join(home, '.config/chromium/NativeMessagingHosts'),
    chrome: path.join(home, '.config/google-chrome/NativeMessagingHosts'),
    firefox: path.join(home, '.mozilla/native-messaging-hosts'),
  };
  return Object.fromEntries(browsers.map((browser) => [browser, all[browser]])) as Record<BrowserTarget, string>;
}

export function launcherPath(home: string): string {
  return path.join(home, '.local/share/latchkey-bridge/latchkey-bridge');
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export function launcherScript(options: InstallOptions & { allowedOrigins: string[] }): string {
  const root = options.root ?? path.resolve(import.meta.dirname, '..');
  const node = options.node ?? process.execPath;
  const args = [
    node,
    '--import',
    `file://${path.join(root, 'node_modules/tsx/dist/esm/index.mjs')}`,
    path.join(root, 'native-host/main.ts'),
    ...options.allowedOrigins.flatMap((origin) => ['--allowed-origin', origin]),
    ...(options.simulatedKey ? ['--simulated-key', path.resolve(options.simulatedKey)] : []),
    ...(options.touchDelayMs !== undefined ? ['--touch-delay-ms', String(options.touchDelayMs)] : []),
  ];
  return `#!/bin/sh\n# Latchkey's security-key bridge, written by \`latchkey-bridge install\`.\nexec ${args.map(shellQuote).join(' ')} "$@"\n`;
}

export function hostManifest(browser: BrowserTarget, launcher: string, extensionId: string | undefined): Record<string, unknown> {
  const base = { name: NATIVE_HOST_NAME, description: 'Latchkey: passkeys on USB security keys', path: launcher, type: 'stdio' };
  if (browser === 'firefox') return { ...base, allowed_extensions: [FIREFOX_EXTENSION_ID] };
  return { ...base, allowed_origins: [`chrome-extension://${extensionId}/`] };
}

/** Writes the launcher and one manifest per browser; returns the files written. */
export async function install(options: InstallOptions): Promise<string[]> {
  const home = homeOf(options);
  const browsers = options.browsers ?? ALL_TARGETS;
  const needsId = options.manifestDir !== undefined || browsers.some((browser) => browser !== 'firefox');
  if (needsId && !EXTENSION_ID.test(options.extensionId ?? '')) {
    throw new Error('Give the Chromium extension id with --extension-id (32 letters a–p, shown on chrome://extensions).');
  }
  const allowedOrigins = [
    ...(needsId ? [`chrome-extension://${options.extensionId}/`] : []),
    ...(browsers.includes('firefox') && !options.manifestDir ? [FIREFOX_EXTENSION_ID] : []),
  ];
  const launcher = launcherPath(home);
  await mkdir(path.dirname(launcher), { recursive: true });
  await writeFile(launcher, launcherScript({ ...options, allowedOrigins }));
  await chmod(launcher, 0o755);
  const written = [launcher];
  const targets: [BrowserTarget, string][] = options.manifestDir
    ? [['chromium', options.manifestDir]]
    : (Object.entries(manifestDirs(home, browsers)) as [BrowserTarget, string][]);
  for (const [browser, dir] of targets) {
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, `${NATIVE_HOST_NAME}.json`);
    await writeFile(file, `${JSON.stringify(hostManifest(browser, launcher, options.extensionId), null, 2)}\n`);
    written.push(file);
  }
  return written;
}

/** Removes what `install` wrote (missing files are fine). */
export async function uninstall(options: Pick<InstallOptions, 'home' | 'manifestDir' | 'browsers'>): Promise<string[]> {
  const home = homeOf(options);
  const dirs = options.manifestDir ? [options.manifestDir] : Object.values(manifestDirs(home, options.browsers ?? ALL_TARGETS));
  const files = [...dirs.map((dir) => path.join(dir, `${NATIVE_HOST_NAME}.json`)), launcherPath(home)];
  for (const file of files) await rm(file, { force: true });
  return files;
}
