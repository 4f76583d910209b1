/**
 * Who started the host, as the browser says on the command line: Chromium passes the caller's
 * origin ("chrome-extension://<id>/"), Firefox the app manifest's path and then the add-on's id.
 */
export function callerOf(args: string[]): string | null {
  const origin = args.find((arg) => arg.startsWith('chrome-extension://'));
  if (origin) return origin;
  const firefoxId = args.find((arg) => /^[^/\\]+@[^/\\]+$/.test(arg));
  return firefoxId ?? null;
}
