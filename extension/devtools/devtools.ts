/**
 * The DevTools page: registers the "Passkeys" panel, which is the diagnostics page showing the
 * inspected tab's ceremonies live (it reads chrome.devtools.inspectedWindow.tabId itself).
 */
chrome.devtools.panels.create('Passkeys', '/extension/icons/icon-16.png', '/extension/diagnostics/index.html?panel=1');
