/**
 * The origin that asked, shown large with its host in bold: the one thing a
 * person must check before approving (anti-phishing). Built from the URL
 * parser, so an internationalised host shows in its punycode (xn--) form and
 * a look-alike cannot hide behind similar glyphs.
 */
export function OriginBox({ origin }: { origin: string }) {
  let scheme = '';
  let host = origin;
  let port = '';
  try {
    const url = new URL(origin);
    scheme = `${url.protocol}//`;
    host = url.hostname;
    port = url.port ? `:${url.port}` : '';
  } catch {
    // Not a URL: show the text exactly as the worker gave it.
  }
  return (
    <div class="origin" data-testid="origin">
      <span class="origin-label">Request from</span>
      <span class="origin-value">
        <span class="origin-part">{scheme}</span>
        <strong>{host}</strong>
        <span class="origin-part">{port}</span>
      </span>
    </div>
  );
}
