/**
 * The marker the bridge puts on what it relays, so the worker can tell page traffic from
 * extension pages. Its own module so the content scripts do not bundle the zod schema.
 */
export const PAGE_CHANNEL = 'latchkey/page';
