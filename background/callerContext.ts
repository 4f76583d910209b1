import type { CallerContext } from '../src/client/ceremony';
import { FRAME_ALLOW_QUERY } from '../src/webauthn/pageChannel';
import { type FrameLink, frameHasFeature, type PolicyFeature } from './framePolicy';

/**
 * Who is asking, from what the browser says (DESIGN invariant 1): the frame's origin from
 * MessageSender.origin, its ancestors from webNavigation. Nothing here comes from the page.
 */
export async function callerContextOf(sender: chrome.runtime.MessageSender): Promise<CallerContext> {
  return callerContextOfChain(await frameChainOf(sender));
}

/** The caller as `frameChainOf` found it: the frame's origin, the top-level one, and whether all agree. */
export function callerContextOfChain(chain: readonly FrameLink[]): CallerContext {
  const origin = chain[0]!.origin;
  const topOrigin = chain.at(-1)!.origin;
  // "sameOriginWithAncestors" is false if any ancestor is of another origin.
  return { origin, topOrigin, sameOriginWithAncestors: chain.every((frame) => frame.origin === origin) };
}

/**
 * The requesting frame and its ancestors up to the top-level frame, nearest first, with their
 * origins: the frame's own from MessageSender.origin, the ancestors' from webNavigation (an
 * about:blank or about:srcdoc frame inherits its parent's origin).
 */
export async function frameChainOf(sender: chrome.runtime.MessageSender): Promise<FrameLink[]> {
  const origin = sender.origin ?? 'null';
  const tabId = sender.tab?.id;
  const own: FrameLink = { frameId: sender.frameId ?? 0, parentFrameId: -1, origin };
  if (sender.frameId === undefined || sender.frameId === 0 || tabId === undefined) return [own];
  // The ancestors' ids and URLs, nearest first.
  const ancestors: { frameId: number; parentFrameId: number; url: string }[] = [];
  let frameId = sender.frameId;
  for (;;) {
    const frame = await chrome.webNavigation.getFrame({ tabId, frameId });
    if (!frame || frame.parentFrameId < 0) break;
    if (frameId === sender.frameId) own.parentFrameId = frame.parentFrameId;
    const parent = await chrome.webNavigation.getFrame({ tabId, frameId: frame.parentFrameId });
    if (!parent) break;
    ancestors.push({ frameId: frame.parentFrameId, parentFrameId: parent.parentFrameId, url: parent.url });
    frameId = frame.parentFrameId;
  }
  // Origins top-down, so that an about: frame can inherit its parent's.
  const links: FrameLink[] = [];
  let inherited = 'null';
  for (const ancestor of [...ancestors].reverse()) {
    inherited = ancestor.url.startsWith('about:') ? inherited : safeOrigin(ancestor.url);
    links.unshift({ frameId: ancestor.frameId, parentFrameId: ancestor.parentFrameId, origin: inherited });
  }
  return [own, ...links];
}

/** Firefox's documents cannot tell their permissions policy (no document.featurePolicy); Chromium's can. */
const documentsTellTheirPolicy = () => typeof (chrome.runtime as { getBrowserInfo?: unknown }).getBrowserInfo !== 'function';

/**
 * Whether a cross-origin frame (`chain`, from `frameChainOf`) may use WebAuthn, where the MAIN-world script could not ask its
 * document (Firefox): judged from the frame tree and the iframes' `allow` attributes, which the
 * bridge in each parent frame reads (background/framePolicy.ts).
 */
export async function framePolicyAllows(
  sender: chrome.runtime.MessageSender,
  chain: readonly FrameLink[],
  feature: PolicyFeature,
): Promise<boolean> {
  if (documentsTellTheirPolicy()) return true;
  const tabId = sender.tab?.id;
  if (tabId === undefined) return true;
  return frameHasFeature(chain, feature, async (parentFrameId, frameId) => {
    const reply = (await chrome.tabs
      .sendMessage(tabId, { kind: FRAME_ALLOW_QUERY, frameId }, { frameId: parentFrameId })
      .catch(() => null)) as { allow?: unknown } | null;
    return typeof reply?.allow === 'string' ? reply.allow : null;
  });
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'null';
  }
}
