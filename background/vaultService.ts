/**
 * The worker's one vault: the IndexedDB database, the Vault over it, and the
 * session storage of the unlocked secret.
 *
 * Decision: the unlocked vault secret is kept in `chrome.storage.session`
 * (memory only, emptied when the browser quits; by default readable only by the
 * extension's own pages and worker, never by content scripts) as well as in the
 * worker's memory. Memory alone would lock the vault every time Chromium stops
 * the idle worker (after 30 s), which would make the auto-lock setting
 * meaningless; session storage gives "lock after N idle minutes" and "lock on
 * browser restart" exactly.
 */
import { fromBase64url, toBase64url } from '../src/webauthn/base64url';
import { Vault, type SessionSecret } from '../src/vault/vault';
import { openVaultDatabase, type VaultDatabase } from '../src/vault/vaultDatabase';
import { loadSettings } from './settings';

const SESSION_KEY = 'vaultSession';

interface SessionItem {
  secret: string;
  lastUsedAt: number;
}

const chromeSessionSecret: SessionSecret = {
  async load() {
    const item = (await chrome.storage.session.get(SESSION_KEY))[SESSION_KEY] as SessionItem | undefined;
    return item && { secret: fromBase64url(item.secret), lastUsedAt: item.lastUsedAt };
  },
  async save(secret, lastUsedAt) {
    await chrome.storage.session.set({ [SESSION_KEY]: { secret: toBase64url(secret), lastUsedAt } satisfies SessionItem });
  },
  async touch(lastUsedAt) {
    const item = (await chrome.storage.session.get(SESSION_KEY))[SESSION_KEY] as SessionItem | undefined;
    if (item) await chrome.storage.session.set({ [SESSION_KEY]: { ...item, lastUsedAt } });
  },
  async clear() {
    await chrome.storage.session.remove(SESSION_KEY);
  },
};

export interface VaultService {
  db: VaultDatabase;
  vault: Vault;
}

let service: Promise<VaultService> | undefined;

export function vaultService(): Promise<VaultService> {
  service ??= openVaultDatabase().then((db) => ({
    db,
    vault: new Vault({
      db,
      session: chromeSessionSecret,
      now: () => Date.now(),
      autoLockMinutes: async () => (await loadSettings()).autoLockMinutes,
    }),
  }));
  return service;
}

export const IDLE_ALARM = 'vault-idle-check';
