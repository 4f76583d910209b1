/**
 * The worker's side of sync: `chrome.storage.sync` as the engine's storage area, one engine per
 * worker life, and when to run a round. The engine (src/sync/) decides everything else.
 *
 * Rounds run after anything that may have changed what is synced — a change arriving in
 * storage.sync, a passkey created, renamed, deleted or imported, a site's signal, an unlock —
 * debounced, and once a minute from the idle alarm to catch the rest. A round that finds
 * nothing to do writes nothing to storage.sync.
 */
import { SyncEngine, SyncStoppedError } from '../src/sync/syncEngine';
import type { ChangeListener, SyncStorageArea } from '../src/sync/syncArea';
import { openSyncStateStore } from '../src/sync/syncStateStore';
import { VaultLockedError } from '../src/vault/vault';
import { toBase64url } from '../src/webauthn/base64url';
import type { SyncStatusView } from '../src/webauthn/messages';
import { services } from './services';
import { loadPolicy, loadSettings } from './settings';

const wrapped = new Map<ChangeListener, (changes: Record<string, chrome.storage.StorageChange>, area: string) => void>();

/** chrome.storage.sync, kept by the browser's own sync (Chrome Sync, Firefox Sync); local only without an account. */
export const chromeSyncArea: SyncStorageArea = {
  get: (keys) => chrome.storage.sync.get(keys ?? null),
  set: (items) => chrome.storage.sync.set(items),
  remove: (keys) => chrome.storage.sync.remove(keys),
  onChanged: {
    addListener(listener) {
      const inArea = (changes: Record<string, chrome.storage.StorageChange>, area: string) => {
        if (area === 'sync') listener(changes);
      };
      wrapped.set(listener, inArea);
      chrome.storage.onChanged.addListener(inArea);
    },
    removeListener(listener) {
      const inArea = wrapped.get(listener);
      if (inArea) chrome.storage.onChanged.removeListener(inArea);
      wrapped.delete(listener);
    },
  },
};

let engine: Promise<SyncEngine> | undefined;

function syncEngine(): Promise<SyncEngine> {
  engine ??= (async () => {
    const { vault, db, evidence } = await services();
    const state = await openSyncStateStore('latchkey-sync', () => toBase64url(crypto.getRandomValues(new Uint8Array(9))));
    return new SyncEngine({ area: chromeSyncArea, state, vault, db, evidence, now: () => Date.now() });
  })();
  return engine;
}

async function syncEnabled(): Promise<boolean> {
  return (await loadSettings()).sync;
}

let lastFailure: string | null = null;

/** A round, when sync is on; problems end up in the status, never thrown. */
async function round(): Promise<void> {
  if (!(await syncEnabled())) return;
  const sync = await syncEngine();
  try {
    // A new browser of the same sync account: its vault is the one in sync storage.
    await sync.adoptVaultKey();
    await sync.sync();
    lastFailure = null;
  } catch (error) {
    const expected = error instanceof VaultLockedError || error instanceof SyncStoppedError;
    lastFailure = expected ? null : String(error);
    if (!expected) console.warn('Latchkey sync:', error);
  }
}

/** Runs a round now (when sync is on) and says how it went. */
export async function runSync(): Promise<SyncStatusView> {
  await round();
  return syncStatus();
}

export async function syncStatus(): Promise<SyncStatusView> {
  const [sync, enabled, policy, { vault }] = await Promise.all([syncEngine(), syncEnabled(), loadPolicy(), services()]);
  const status = await sync.status();
  const locked = (await vault.status()).locked;
  const errors = lastFailure ? [...status.errors, lastFailure] : status.errors;
  return {
    ...status,
    errors,
    enabled,
    managedOff: policy.syncDisabled === true,
    state: !enabled ? 'off' : locked ? 'locked' : errors.length ? 'error' : 'ok',
  };
}

/** The passkeys to mark "not synced" in the popup's list (none while sync is off). */
export async function notSyncedIds(): Promise<Set<string>> {
  return (await syncEnabled()) ? (await syncEngine()).notSyncedIds() : new Set();
}

let timer: ReturnType<typeof setTimeout> | undefined;

/** A round soon: several requests within half a second make one round (one write). */
export function requestSync(): void {
  if (timer) return;
  timer = setTimeout(() => {
    timer = undefined;
    round().catch((error) => console.warn('Latchkey sync:', error));
  }, 500);
}

/** The sync setting or the policy changed: on → a round; off → synced passkeys report BS=0 from now on. */
export async function syncSwitchChanged(): Promise<void> {
  if (await syncEnabled()) requestSync();
  else await (await syncEngine()).stop();
}
