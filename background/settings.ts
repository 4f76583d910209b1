import { DEFAULT_SETTINGS, type Settings } from '../src/webauthn/messages';

const KEY = 'settings';

export async function loadSettings(): Promise<Settings> {
  const stored = (await chrome.storage.local.get(KEY))[KEY] as Partial<Settings> | undefined;
  return { ...DEFAULT_SETTINGS, ...stored };
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
