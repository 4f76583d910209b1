import { DEFAULT_SETTINGS, type Settings } from '../src/webauthn/messages';

const KEY = 'settings';

/** Read once per worker life and on every change: every ceremony needs them, and a storage read costs about 1 ms. */
let cached: Promise<Settings> | undefined;

export function loadSettings(): Promise<Settings> {
  cached ??= chrome.storage.local.get(KEY).then((items) => ({ ...DEFAULT_SETTINGS, ...(items[KEY] as Partial<Settings> | undefined) }));
  return cached;
}

/** Called from the worker's storage.onChanged listener, whoever changed the settings. */
export function forgetCachedSettings(): void {
  cached = undefined;
}

export async function saveSettings(patch: Partial<Settings>): Promise<Settings> {
  const settings = { ...(await loadSettings()), ...patch };
  await chrome.storage.local.set({ [KEY]: settings }); // the worker's storage listener updates the badge
  return settings;
}

/** Tester mode must be visible: a badge on the toolbar icon whenever it is on. */
export async function showTesterBadge(settings: Settings): Promise<void> {
  await chrome.action.setBadgeText({ text: settings.testerAutoApprove ? 'TEST' : '' });
  if (settings.testerAutoApprove) await chrome.action.setBadgeBackgroundColor({ color: '#b45309' });
}
