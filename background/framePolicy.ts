/**
 * The permissions policy of a requesting frame, judged from the browser's frame tree and the
 * `allow` attributes of the iframes on the way down, for browsers whose documents cannot tell
 * their own policy (Firefox has no `document.featurePolicy`; in Chromium the MAIN-world script
 * asks the document itself, which also counts Permissions-Policy headers).
 *
 * "publickey-credentials-create" and "publickey-credentials-get" are policy-controlled features
 * whose default allowlist is 'self' (WebAuthn L3 §5.9, §5.10). So a frame has the feature when
 * its parent has it and either the frame is of the parent's origin (the default 'self') or the
 * parent's iframe element delegates it with `allow="publickey-credentials-get"` (an allowlist
 * that names the frame's origin, '*', or nothing, which means 'src'). The top-level document
 * always has it.
 */

export type PolicyFeature = 'publickey-credentials-create' | 'publickey-credentials-get';

/** One frame of the chain from the requesting frame up to the top, as the browser reports it. */
export interface FrameLink {
  frameId: number;
  parentFrameId: number;
  origin: string;
}

/**
 * Whether an iframe's `allow` attribute delegates `feature` to a document of `frameOrigin`.
 * The attribute is a serialized permissions policy: directives separated by ";", each a feature
 * name and an allowlist of origins, '*', 'self' (the parent's origin), 'src' or 'none'; an empty
 * allowlist means 'src' (the frame's own origin).
 */
export function allowAttributeDelegates(
  allow: string,
  feature: PolicyFeature,
  frameOrigin: string,
  parentOrigin: string,
): boolean {
  for (const directive of allow.split(';')) {
    const [name, ...allowlist] = directive.trim().split(/\s+/);
    if (name !== feature) continue;
    if (allowlist.length === 0) return true;
    return allowlist.some((entry) => {
      const token = entry.replace(/^'|'$/g, '').toLowerCase();
      if (token === '*' || token === 'src') return true;
      if (token === 'self') return frameOrigin === parentOrigin;
      if (token === 'none') return false;
      try {
        return new URL(token).origin === frameOrigin;
      } catch {
        return false;
      }
    });
  }
  return false;
}

/**
 * Whether the requesting frame (first of `chain`, which runs up to the top-level frame) has
 * `feature`. `allowOf(parentFrameId, frameId)` reads the `allow` attribute of the iframe element
 * holding `frameId` in its parent document, or null when it cannot be read.
 */
export async function frameHasFeature(
  chain: readonly FrameLink[],
  feature: PolicyFeature,
  allowOf: (parentFrameId: number, frameId: number) => Promise<string | null>,
): Promise<boolean> {
  // From the top down: each link needs its parent to have the feature.
  for (let index = chain.length - 2; index >= 0; index--) {
    const frame = chain[index]!;
    const parent = chain[index + 1]!;
    if (frame.origin === parent.origin) continue;
    const allow = await allowOf(parent.frameId, frame.frameId);
    if (allow === null || !allowAttributeDelegates(allow, feature, frame.origin, parent.origin)) return false;
  }
  return true;
}
