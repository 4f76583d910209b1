import {
  deleteCredential,
  firstCredentialsBySite,
  listCredentialMetadata,
  renameCredential,
} from '../src/vault/credentialMetadata';
import { exportVault, importIntoVault } from '../src/vault/exchange/vaultExchange';
import { toPasskeyView } from '../src/vault/passkeyView';
import { MIN_PIN_LENGTH, VaultLockedError } from '../src/vault/vault';
import { minPinLength } from '../src/settings/sitePolicy';
import { type ExtensionError, type ExtensionReply, type ExtensionRequest, extensionRequest } from '../src/webauthn/messages';
import { recordStore } from './diagnostics';
import { deleteKeyCredential, listKeyCredentials, securityKeyStatus } from './securityKeys';
import { answerPassphrase, answerPrompt, promptView } from './promptWindows';
import { loadPolicy, loadSettings, loadSites, saveSettings, saveSiteMode } from './settings';
import type { Services } from './services';
import { notSyncedIds, requestSync, runSync, syncStatus } from './syncService';

type AnyReply = ExtensionReply<ExtensionRequest['kind']> | ExtensionError;

/** Requests after which a sync round may have something to do. */
const SYNC_AFTER: ReadonlySet<ExtensionRequest['kind']> = new Set([
  'passkeys.rename',
  'passkeys.delete',
  'passkeys.show-again',
  'passkeys.import',
  'vault.create',
  'vault.unlock',
  'vault.changePassphrase',
]);

/** Requests from Latchkey's own pages (popup, prompt window). Content scripts never get here. */
export async function handleExtensionRequest(message: unknown, services: () => Promise<Services>): Promise<AnyReply> {
  const parsed = extensionRequest.safeParse(message);
  if (!parsed.success) return { error: `Malformed request: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
  try {
    return (await answer(parsed.data, services)) ?? { error: `Unhandled request ${parsed.data.kind}` };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

async function answer(request: ExtensionRequest, services: () => Promise<Services>): Promise<AnyReply | undefined> {
  switch (request.kind) {
    case 'prompt.load':
      return { prompt: promptView(request.promptId) };
    case 'prompt.answer':
      return answerPrompt(request.promptId, request.decision);
    case 'prompt.passphrase':
      return answerPassphrase(request.promptId, request.passphrase);
    case 'settings.get':
      return { settings: await loadSettings(), policy: await loadPolicy() };
    case 'settings.set':
      return { settings: await saveSettings(request.settings), policy: await loadPolicy() };
    case 'sites.list':
      return { sites: await loadSites(), handOverSites: (await loadPolicy()).handOverSites ?? [] };
    case 'sites.set':
      return { sites: await saveSiteMode(request.host, request.mode), handOverSites: (await loadPolicy()).handOverSites ?? [] };
    case 'tester.command': {
      const { virtual } = await services();
      // Adding or loading virtual authenticators switches tester mode on, and so shows its badge.
      if (request.command === 'addVirtualAuthenticator' || request.command === 'importState')
        await saveSettings({ testerAutoApprove: true });
      return { result: await virtual.command(request.command, request.params) };
    }
    case 'diagnostics.list': {
      const filter = {
        ...(request.tabId !== undefined ? { tabId: request.tabId } : {}),
        ...(request.limit ? { limit: request.limit } : {}),
      };
      return { records: await (await recordStore()).list(filter) };
    }
    case 'diagnostics.clear':
      await (await recordStore()).clear();
      return { ok: true };
    // The key's own PIN protects what is on it; Latchkey's vault has no part in it.
    case 'securityKey.status':
      return securityKeyStatus();
    case 'securityKey.list':
      return listKeyCredentials(request.pin, request.path);
    case 'securityKey.delete':
      await deleteKeyCredential(request.pin, request.credentialId, request.path);
      return { ok: true };
    case 'sync.status':
      return { sync: request.run ? await runSync() : await syncStatus() };
  }
  const reply = await answerVault(request, services);
  // What the popup changed may need syncing (a rename, a delete, an import, an unlock).
  if (SYNC_AFTER.has(request.kind)) requestSync();
  return reply;
}

async function answerVault(request: ExtensionRequest, services: () => Promise<Services>): Promise<AnyReply | undefined> {
  const { db, vault, orphans } = await services();
  const status = async () => ({ vault: await vault.status() });
  // The popup lists and changes passkeys only while the vault is unlocked: on a shared
  // computer a locked Latchkey shows nobody which sites and accounts it holds.
  const unlocked = async () => {
    if ((await vault.status()).locked) throw new VaultLockedError();
    await vault.touch();
  };
  switch (request.kind) {
    case 'passkeys.list':
      await unlocked();
      {
        // No count for the first screen: IndexedDB's count() walks every record in Chromium, which is what it avoids.
        const listed =
          request.limit !== undefined ? await firstCredentialsBySite(db, request.limit) : await listCredentialMetadata(db);
        const verdicts = await orphans.verdicts(listed);
        const notSynced = await notSyncedIds();
        const passkeys = listed.map((record) => ({
          ...toPasskeyView(record, verdicts.get(record.id)),
          ...(notSynced.has(record.id) ? { notSynced: true } : {}),
        }));
        if (request.limit === undefined) return { passkeys, total: listed.length };
        return { passkeys, total: listed.length < request.limit ? listed.length : null };
      }
    case 'passkeys.rename':
      await unlocked();
      await renameCredential(db, request.id, request.name);
      return { ok: true };
    case 'passkeys.delete':
      await unlocked();
      await deleteCredential(db, request.id);
      await orphans.forget(request.id);
      return { ok: true };
    case 'passkeys.show-again':
      await unlocked();
      await orphans.clear(request.id, 'the Latchkey popup');
      return { ok: true };
    case 'passkeys.export':
      if ((await loadPolicy()).exportDisabled) throw new Error('Your organisation has disabled exporting passkeys.');
      await unlocked();
      return exportVault(vault, request.vaultPassphrase, request.filePassphrase, Date.now());
    case 'passkeys.import':
      await unlocked();
      return importIntoVault(vault, request.file, request.passphrase, Date.now());
    case 'vault.status':
      return status();
    case 'vault.create':
      await vault.create(request.passphrase);
      return status();
    case 'vault.unlock':
      await vault.unlock(request.passphrase);
      return status();
    case 'vault.lock':
      await vault.lock();
      return status();
    case 'vault.changePassphrase':
      await vault.changePassphrase(request.current, request.next);
      return status();
    case 'vault.setPin':
      await vault.setPin(request.pin, minPinLength(await loadPolicy(), MIN_PIN_LENGTH));
      return status();
    case 'vault.removePin':
      if ((await loadPolicy()).pinRequired)
        throw new Error('Your organisation requires a PIN: you can change it, not remove it.');
      await vault.removePin();
      return status();
  }
}
