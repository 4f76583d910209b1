/**
 * The service worker: wiring only. Listeners are registered synchronously at the top level
 * so that an event which wakes the worker finds them.
 */
import { PAGE_CHANNEL } from '../src/webauthn/pageChannel';
import { handleExtensionRequest } from './handleExtensionRequest';
import { handlePageRequest } from './handlePageRequest';
import { cancelPromptsOfWindow } from './promptWindows';
import { services } from './services';
import { forgetCachedSettings, loadSettings, showTesterBadge } from './settings';
import { requestSync, syncSwitchChanged } from './syncService';
import { IDLE_ALARM, vaultService } from './vaultService';

const extensionOrigin = new URL(chrome.runtime.getURL('')).origin;

function isFromExtensionPage(sender: chrome.runtime.MessageSender): boolean {
  return sender.id === chrome.runtime.id && sender.origin === extensionOrigin;
}

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id) return false;
  let reply: Promise<unknown>;
  if (isFromExtensionPage(sender)) {
    reply = handleExtensionRequest(message, services);
  } else if (message?.channel === PAGE_CHANNEL && sender.frameId !== undefined) {
    reply = handlePageRequest(message.request, sender, services);
  } else {
    return false;
  }
  // Both handlers turn their own failures into replies; this is the last resort.
  reply.then(sendResponse, (error: unknown) => sendResponse({ error: String(error) }));
  return true;
});

// The prompt window keeps a port open while it waits, which keeps this worker alive.
chrome.runtime.onConnect.addListener((port) => {
  if (port.sender?.origin !== extensionOrigin) port.disconnect();
});

chrome.windows.onRemoved.addListener(cancelPromptsOfWindow);

loadSettings().then(showTesterBadge, () => undefined);

// Tester mode can be switched from the popup or by a test driver through the worker; either way the badge follows.
chrome.storage.onChanged.addListener((changes, area) => {
  // Another browser's change, delivered by the browser's sync: merge it.
  if (area === 'sync') return requestSync();
  if (!((area === 'local' && changes.settings) || area === 'managed')) return;
  forgetCachedSettings();
  loadSettings().then(showTesterBadge, () => undefined);
  const syncSetting = (value: unknown) => (value as { sync?: boolean } | undefined)?.sync === true;
  if (area === 'managed' || syncSetting(changes.settings?.oldValue) !== syncSetting(changes.settings?.newValue)) {
    syncSwitchChanged().catch(() => undefined);
  }
});

// A first install opens Latchkey's page in a tab: it says what Latchkey does and holds its
// settings. (Test drivers for Firefox use that tab too: WebDriver BiDi cannot open extension pages.)
chrome.runtime.onInstalled.addListener(({ reason }) => {
  if (reason === 'install') chrome.tabs.create({ url: chrome.runtime.getURL('popup/index.html?welcome=1') }).catch(() => undefined);
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
