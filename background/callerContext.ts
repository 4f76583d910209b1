import type { CallerContext } from '../src/client/ceremony';

/**
 * Who is asking, from what the browser says (DESIGN invariant 1): the frame's origin from
 * MessageSender.origin, its ancestors from webNavigation. Nothing here comes from the page.
 */
export async function callerContextOf(sender: chrome.runtime.MessageSender): Promise<CallerContext> {
  const origin = sender.origin ?? 'null';
  const tabId = sender.tab?.id;
  if (sender.frameId === undefined || sender.frameId === 0 || tabId === undefined) {
    return { origin, topOrigin: origin, sameOriginWithAncestors: true };
  }
  // The ancestors' URLs, nearest first.
  const ancestorUrls: string[] = [];
  let frameId = sender.frameId;
  for (;;) {
    const frame = await chrome.webNavigation.getFrame({ tabId, frameId });
    if (!frame || frame.parentFrameId < 0) break;
    const parent = await chrome.webNavigation.getFrame({ tabId, frameId: frame.parentFrameId });
    if (!parent) break;
    ancestorUrls.push(parent.url);
    frameId = frame.parentFrameId;
  }
  // Origins top-down: an about:blank or about:srcdoc frame inherits its parent's origin.
  const ancestorOrigins: string[] = [];
  let inherited = 'null';
  for (const url of [...ancestorUrls].reverse()) {
    inherited = url.startsWith('about:') ? inherited : safeOrigin(url);
    ancestorOrigins.push(inherited);
  }
  const topOrigin = ancestorOrigins[0] ?? origin;
  // "sameOriginWithAncestors" is false if any ancestor is of another origin.
  return { origin, topOrigin, sameOriginWithAncestors: ancestorOrigins.every((ancestor) => ancestor === origin) };
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'null';
  }
}
