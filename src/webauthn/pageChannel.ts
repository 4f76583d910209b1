/**
 * The marker the bridge puts on what it relays, so the worker can tell page traffic from
 * extension pages. Its own module so the content scripts do not bundle the zod schema.
 */
export const PAGE_CHANNEL = 'latchkey/page';

/**
 * Worker → bridge of a parent frame (Firefox): the `allow` attribute of the iframe element that
 * holds frame `frameId`, for the permissions-policy check (background/framePolicy.ts).
 */
export const FRAME_ALLOW_QUERY = 'latchkey/frame-allow';
