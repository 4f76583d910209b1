import type { CredentialStore } from '../src/vault/credentialRecord';
import { toPasskeyView } from '../src/vault/passkeyView';
import { type ExtensionError, type ExtensionReply, type ExtensionRequest, extensionRequest } from '../src/webauthn/messages';
import { answerPrompt, promptView } from './promptWindows';
import { loadSettings, saveSettings } from './settings';

type AnyReply = ExtensionReply<ExtensionRequest['kind']> | ExtensionError;

/** Requests from Latchkey's own pages (popup, prompt window). Content scripts never get here. */
export async function handleExtensionRequest(message: unknown, store: () => Promise<CredentialStore>): Promise<AnyReply> {
  const parsed = extensionRequest.safeParse(message);
  if (!parsed.success) return { error: `Malformed request: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
  try {
    return await answer(parsed.data, store);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

async function answer(request: ExtensionRequest, store: () => Promise<CredentialStore>): Promise<AnyReply> {
  switch (request.kind) {
    case 'passkeys.list': {
      const records = await (await store()).list();
      return { passkeys: records.map(toPasskeyView) };
    }
    case 'passkeys.rename':
      await (await store()).update(request.id, (record) => ({ ...record, name: request.name }));
      return { ok: true };
    case 'passkeys.delete':
      await (await store()).delete(request.id);
      return { ok: true };
    case 'prompt.load':
      return { prompt: promptView(request.promptId) };
    case 'prompt.answer':
      if (!answerPrompt(request.promptId, request.decision)) return { error: 'This request is no longer waiting.' };
      return { ok: true };
    case 'settings.get':
      return { settings: await loadSettings() };
    case 'settings.set':
      return { settings: await saveSettings(request.settings) };
  }
}
