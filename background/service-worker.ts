/**
 * The service worker: wiring only. Listeners are registered synchronously at the top level
 * so that an event which wakes the worker finds them.
 */
import { PAGE_CHANNEL } from '../src/webauthn/pageChannel';
import { handleAutofillRequest } from './conditionalMediation';
import { handleExtensionRequest } from './handleExtensionRequest';
import { handlePageRequest, keyOf } from './handlePageRequest';
import { cancelPromptsOfWindow } from './promptWindows';
import { services } from './services';
import { forgetCachedSettings, loadSettings, showTesterBadge } from './settings';
import { requestSync, syncSwitchChanged } from './syncService';
import { IDLE_ALARM, vaultService } from './vaultService';
import {
  completionOf,
  createProxyAttachment,
  proxiedRequestId,
  proxyApi,
  proxySender,
  readProxiedRequest,
} from './webAuthenticationProxy';

const extensionOrigin = new URL(chrome.runtime.getURL('')).origin;

function isFromExtensionPage(sender: chrome.runtime.MessageSender): boolean {
  return sender.id === chrome.runtime.id && sender.origin === extensionOrigin;
}

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id) return false;
  let reply: Promise<unknown>;
  if (isFromExtensionPage(sender) && String(message?.kind).startsWith('autofill.')) {
    // The autofill dropdown, framed in a page's tab: its tab decides what it may see.
    reply = handleAutofillRequest(message, sender, services);
  } else if (isFromExtensionPage(sender)) {
    reply = handleExtensionRequest(message, services);
  } else if (message?.channel === PAGE_CHANNEL && sender.frameId !== undefined) {
    reply = answerPage(message.request, sender);
  } else {
    return false;
  }
  // Both handlers turn their own failures into replies; this is the last resort.
  reply.then(sendResponse, (error: unknown) => sendResponse({ error: String(error) }));
  return true;
});

/**
 * A page's request. With the WebAuthn proxy attached, a request the wrapper hands to the browser
 * must reach the browser's own authenticators, not come back to Latchkey through the proxy.
 */
async function answerPage(request: unknown, sender: chrome.runtime.MessageSender): Promise<unknown> {
  const requestId = String((request as { requestId?: unknown } | null)?.requestId ?? '');
  const reply = await handlePageRequest(request, sender, services);
  if (reply?.kind === 'fallback' && proxy.isAttached()) await proxy.stepAside(keyOf(sender, requestId));
  const report = request as { kind?: unknown; outcome?: { status?: unknown } } | null;
  if (report?.kind === 'report' && report.outcome?.status !== 'pending') await proxy.handOverEnded(keyOf(sender, requestId));
  return reply;
}

// The WebAuthn proxy (Chromium, a setting): requests that reach the browser's own WebAuthn
// without passing Latchkey's wrapper. Answered like a page's request, from the origin the
// browser named; never a cross-origin frame's, whose top-level origin the proxy does not say.
const proxy = createProxyAttachment(proxyApi());
const proxyEvents = proxyApi();
if (proxyEvents) {
  const answerProxied = async (kind: 'create' | 'get', requestId: number, requestDetailsJson: string) => {
    let completion: ReturnType<typeof completionOf>;
    try {
      const request = readProxiedRequest(kind, requestId, requestDetailsJson);
      completion = request.sameOriginWithAncestors
        ? completionOf(await handlePageRequest(request.message, proxySender(request.origin, request.message.requestId), services))
        : completionOf({
            kind: 'error',
            name: 'NotAllowedError',
            message:
              'Latchkey cannot answer a cross-origin frame through the WebAuthn proxy: the proxy does not name its top-level origin.',
          });
    } catch (error) {
      completion = { error: { name: 'NotAllowedError', message: `Latchkey could not read the request: ${String(error)}` } };
    }
    const details = { requestId, ...completion };
    await (kind === 'create' ? proxyEvents.completeCreateRequest(details) : proxyEvents.completeGetRequest(details)).catch(
      () => undefined,
    );
  };
  proxyEvents.onCreateRequest.addListener(
    ({ requestId, requestDetailsJson }) => void answerProxied('create', requestId, requestDetailsJson),
  );
  proxyEvents.onGetRequest.addListener(
    ({ requestId, requestDetailsJson }) => void answerProxied('get', requestId, requestDetailsJson),
  );
  proxyEvents.onRequestCanceled.addListener((requestId) => {
    const id = proxiedRequestId(requestId);
    void handlePageRequest({ kind: 'abort', requestId: id }, proxySender('null', id), services);
  });
  // Latchkey's PIN is the person's own business: no page learns whether one is set.
  proxyEvents.onIsUvpaaRequest.addListener(({ requestId }) => {
    proxyEvents.completeIsUvpaaRequest({ requestId, isUvpaa: false }).catch(() => undefined);
  });
}

// The prompt window keeps a port open while it waits, which keeps this worker alive.
chrome.runtime.onConnect.addListener((port) => {
  if (port.sender?.origin !== extensionOrigin) port.disconnect();
});

chrome.windows.onRemoved.addListener(cancelPromptsOfWindow);

/** Settings that act outside a ceremony: the tester badge and the WebAuthn proxy. */
const applySettings = () =>
  loadSettings().then(
    (settings) => {
      showTesterBadge(settings);
      return proxy.follow(settings);
    },
    () => undefined,
  );
void applySettings();

// Tester mode can be switched from the popup or by a test driver through the worker; either way the badge follows.
chrome.storage.onChanged.addListener((changes, area) => {
  // Another browser's change, delivered by the browser's sync: merge it.
  if (area === 'sync') return requestSync();
  if (!((area === 'local' && changes.settings) || area === 'managed')) return;
  forgetCachedSettings();
  void applySettings();
  const syncSetting = (value: unknown) => (value as { sync?: boolean } | undefined)?.sync === true;
  if (area === 'managed' || syncSetting(changes.settings?.oldValue) !== syncSetting(changes.settings?.newValue)) {
    syncSwitchChanged().catch(() => undefined);
  }
});

// A first install opens Latchkey's page in a tab: it says what Latchkey does and holds its
// settings. (Test drivers for Firefox use that tab too: WebDriver BiDi cannot open extension pages.)
chrome.runtime.onInstalled.addListener(({ reason }) => {
  if (reason === 'install')
    chrome.tabs.create({ url: chrome.runtime.getURL('popup/index.html?welcome=1') }).catch(() => undefined);
});

// Auto-lock: the vault checks its idle time on every use; this alarm also locks a vault
// nobody touches, so its secret does not stay in session memory for the rest of the day.
chrome.alarms.create(IDLE_ALARM, { periodInMinutes: 1 }).catch(() => undefined);
chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name !== IDLE_ALARM) return;
  vaultService().then(({ vault }) => vault.checkIdle(), () => undefined);
  // Also a sync round now and then, for anything no event announced (it writes nothing when nothing changed).
  requestSync();
});
