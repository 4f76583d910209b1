import { toPasskeyView } from '../src/vault/passkeyView';
import { type ExtensionError, type ExtensionReply, type ExtensionRequest, extensionRequest } from '../src/webauthn/messages';
import { recordStore } from './diagnostics';
import { answerPrompt, promptView } from './promptWindows';
import type { Services } from './services';
import { loadSettings, saveSettings } from './settings';

type AnyReply = ExtensionReply<ExtensionRequest['kind']> | ExtensionError;

/** Requests from Latchkey's own pages (popup, prompt window). Content scripts never get here. */
export async function handleExtensionRequest(message: unknown, services: () => Promise<Services>): Promise<AnyReply> {
  const parsed = extensionRequest.safeParse(message);
  if (!parsed.success) return { error: `Malformed request: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
  try {
    return await answer(parsed.data, services);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

async function answer(request: ExtensionRequest, services: () => Promise<Services>): Promise<AnyReply> {
  switch (request.kind) {
    case 'passkeys.list': {
      const { credentials, orphans } = await services();
      const records = await credentials.list();
      const verdicts = await orphans.verdicts(records);
      return { passkeys: records.map((record) => toPasskeyView(record, verdicts.get(record.id))) };
    }
    case 'passkeys.rename':
      await (await services()).credentials.update(request.id, (record) => ({ ...record, name: request.name }));
      return { ok: true };
    case 'passkeys.delete': {
      const { credentials, orphans } = await services();
      await credentials.delete(request.id);
      await orphans.forget(request.id);
      return { ok: true };
    }
    case 'passkeys.show-again':
      await (await services()).orphans.clear(request.id, 'the Latchkey popup');
      return { ok: true };
    case 'prompt.load':
      return { prompt: promptView(request.promptId) };
    case 'prompt.answer':
      if (!answerPrompt(request.promptId, request.decision)) return { error: 'This request is no longer waiting.' };
      return { ok: true };
    case 'tester.command': {
      const { virtual } = await services();
      // Adding or loading virtual authenticators switches tester mode on, and so shows its badge.
      if (request.command === 'addVirtualAuthenticator' || request.command === 'importState') await saveSettings({ testerAutoApprove: true });
      return { result: await virtual.command(request.command, request.params) };
    }
    case 'settings.get':
      return { settings: await loadSettings() };
    case 'settings.set':
      return { settings: await saveSettings(request.settings) };
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
  }
}
