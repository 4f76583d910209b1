/**
 * The tab whose ceremonies to show: the DevTools panel's inspected tab, or `?tabId=` (how tests
 * open the panel's page: DevTools panels cannot be driven by Puppeteer in either browser).
 * Undefined: every tab.
 */
export function inspectedTabId(): number | undefined {
  const fromQuery = new URLSearchParams(location.search).get('tabId');
  if (fromQuery !== null && /^\d+$/.test(fromQuery)) return Number(fromQuery);
  const devtools = (globalThis as { chrome?: { devtools?: { inspectedWindow?: { tabId?: number } } } }).chrome?.devtools;
  return devtools?.inspectedWindow?.tabId;
}
