import { parseManagedPolicy, siteMode, siteModeFor, type ManagedPolicy, type SiteDecision, type SiteMode } from '../src/settings/sitePolicy';
import { DEFAULT_SETTINGS, type Settings } from '../src/webauthn/messages';

const KEY = 'settings';
const SITES_KEY = 'sites';

/** Read once per worker life and on every change: every ceremony needs them, and a storage read costs about 1 ms. */
let cached: Promise<Settings> | undefined;

/** The user's settings with the organisation's policy applied on top (a managed value always wins). */
export function loadSettings(): Promise<Settings> {
  cached ??= Promise.all([chrome.storage.local.get(KEY), loadPolicy()]).then(([items, policy]) => {
    const settings = { ...DEFAULT_SETTINGS, ...(items[KEY] as Partial<Settings> | undefined) };
    if (policy.autoLockMinutes !== undefined) settings.autoLockMinutes = policy.autoLockMinutes;
    if (policy.syncDisabled) settings.sync = false;
    return settings;
  });
  return cached;
}

let cachedPolicy: Promise<ManagedPolicy> | undefined;

/**
 * chrome.storage.managed, as the administrator set it (on Linux Chromium reads
 * /etc/chromium/policies/managed/*.json, "3rdparty" → "extensions" → <id>).
 * Validated against the manifest's managed_schema by the browser, and again here.
 */
export function loadPolicy(): Promise<ManagedPolicy> {
  cachedPolicy ??= (chrome.storage.managed?.get() ?? Promise.resolve({})).then(parseManagedPolicy, () => ({}));
  return cachedPolicy;
}

export async function loadSites(): Promise<Record<string, SiteMode>> {
  const raw = (await chrome.storage.local.get(SITES_KEY))[SITES_KEY] as Record<string, unknown> | undefined;
  const sites: Record<string, SiteMode> = {};
  for (const [host, mode] of Object.entries(raw ?? {})) {
    const parsed = siteMode.safeParse(mode);
    if (parsed.success) sites[host] = parsed.data;
  }
  return sites;
}

export async function siteDecision(host: string): Promise<SiteDecision> {
  const [sites, policy] = await Promise.all([loadSites(), loadPolicy()]);
  return siteModeFor(host, sites, policy);
}

/** `null` forgets the site (back to the default). */
export async function saveSiteMode(host: string, mode: SiteMode | null): Promise<Record<string, SiteMode>> {
  const sites = await loadSites();
  if (mode === null) delete sites[host];
  else sites[host] = mode;
  await chrome.storage.local.set({ [SITES_KEY]: sites });
  return sites;
}

/** Called from the worker's storage.onChanged listener, whoever changed the settings. */
export function forgetCachedSettings(): void {
  cached = undefined;
  cachedPolicy = undefined;
}

export async function saveSettings(patch: Partial<Settings>): Promise<Settings> {
  const policy = await loadPolicy();
  if (policy.autoLockMinutes !== undefined && patch.autoLockMinutes !== undefined) {
    throw new Error('The auto-lock time is set by your organisation.');
  }
  if (policy.syncDisabled && patch.sync) throw new Error('Your organisation has switched sync off.');
  const stored = ((await chrome.storage.local.get(KEY))[KEY] as Partial<Settings> | undefined) ?? {};
  const next = { ...stored, ...patch };
  await chrome.storage.local.set({ [KEY]: next }); // the worker's storage listener updates the badge
  forgetCachedSettings();
  return loadSettings();
}

/** Tester mode must be visible: a badge on the toolbar icon whenever it is on. */
export async function showTesterBadge(settings: Settings): Promise<void> {
  await chrome.action.setBadgeText({ text: settings.testerAutoApprove ? 'TEST' : '' });
  if (settings.testerAutoApprove) await chrome.action.setBadgeBackgroundColor({ color: '#b45309' });
}
