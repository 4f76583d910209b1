/**
 * HTML pages of the demo relying party. Static markup; behaviour lives in
 * `static/demo.js`, served same-origin as `/demo.js`.
 */

export interface PageContext {
  readonly rpName: string;
  readonly port: number;
}

const STYLE = `
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
  body { max-width: 36rem; margin: 2rem auto; padding: 0 1rem; }
  nav a { margin-right: 1rem; }
  form, .row { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin: 1rem 0; }
  label { display: flex; flex-direction: column; font-size: .9rem; }
  input, select, button { font: inherit; padding: .35rem .6rem; }
  details { margin: 1rem 0; }
  details label { margin: .25rem 0; }
  #status { min-height: 1.5em; padding: .5rem; border-left: 4px solid #888; }
  iframe { width: 100%; height: 14rem; border: 1px solid #888; }
`;

function layout(ctx: PageContext, title: string, main: string, options: { script?: boolean; head?: string } = {}): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
${options.head ?? ''}<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · ${escapeHtml(ctx.rpName)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<nav aria-label="Site"><a href="/">Home</a><a href="/register">Register</a><a href="/login">Sign in</a></nav>
<h1>${escapeHtml(title)}</h1>
</header>
<main>
${main}
</main>
${options.script === false ? '' : '<script src="/demo.js"></script>\n'}</body>
</html>
`;
}

const STATUS = '<p id="status" role="status" aria-live="polite"></p>';

export function homePage(ctx: PageContext): string {
  return layout(
    ctx,
    ctx.rpName,
    `
<p>A login site for trying passkeys. Relying party id <code>localhost</code>.</p>
<ul>
  <li><a id="register-link" href="/register">Create an account with a passkey</a></li>
  <li><a id="login-link" href="/login">Sign in</a></li>
</ul>
<div class="row">
  <p id="me">Not signed in</p>
  <button id="logout-button" type="button" hidden>Sign out</button>
</div>
${STATUS}`,
  );
}

export function registerPage(ctx: PageContext): string {
  return layout(
    ctx,
    'Register',
    `
<form id="register-form">
  <label for="username">Username
    <input id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false">
  </label>
  <button id="register-button" type="submit">Create a passkey</button>
</form>
<details>
  <summary>Options</summary>
  <label for="save-to">Save the passkey to
    <select id="save-to" name="preferredAuthenticatorType">
      <option value="">Let the browser ask</option>
      <option value="localDevice">This device</option>
      <option value="remoteDevice">Another device</option>
      <option value="securityKey">A security key</option>
    </select>
  </label>
  <label for="user-verification">User verification (PIN or biometrics)
    <select id="user-verification" name="userVerification">
      <option value="preferred" selected>preferred</option>
      <option value="required">required</option>
      <option value="discouraged">discouraged</option>
    </select>
  </label>
  <label for="resident-key">Discoverable credential (resident key)
    <select id="resident-key" name="residentKey">
      <option value="required" selected>required</option>
      <option value="preferred">preferred</option>
      <option value="discouraged">discouraged</option>
    </select>
  </label>
  <label for="attestation">Attestation
    <select id="attestation" name="attestation">
      <option value="none" selected>none</option>
      <option value="direct">direct</option>
    </select>
  </label>
</details>
${STATUS}`,
  );
}

export function loginPage(ctx: PageContext): string {
  return layout(
    ctx,
    'Sign in',
    `
<form id="login-form">
  <label for="username">Username
    <input id="username" name="username" autocomplete="username webauthn" autocapitalize="none" spellcheck="false">
  </label>
  <button id="login-button" type="submit">Sign in</button>
</form>
<div class="row">
  <button id="passkey-login-button" type="button">Sign in with a passkey</button>
</div>
${STATUS}`,
  );
}

/**
 * The first script of the document records what `navigator.credentials`
 * looked like before any other page code ran, so tests can tell whether the
 * extension's MAIN-world script ran first, here and in the iframe.
 */
const FIRST_SCRIPT = `<script>
(function () {
  function seen(read) { try { return String(read()); } catch (e) { return 'threw: ' + e; } }
  window.__firstScriptSawCredentials = seen(function () { return navigator.credentials.create; });
  window.__firstScriptSawCredentialsGet = seen(function () { return navigator.credentials.get; });
  window.__firstScriptSawIsUVPAA = seen(function () { return PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable; });
})();
</script>
`;

/**
 * `?cross=1` loads the child from http://127.0.0.1:<port> (another origin,
 * still a secure context); `?allow=1` adds the publickey-credentials
 * permissions policy to the iframe.
 */
export function frameHostPage(ctx: PageContext, query: URLSearchParams): string {
  const cross = query.get('cross') === '1';
  const allow = query.get('allow') === '1';
  const src = cross ? `http://127.0.0.1:${ctx.port}/frame-child` : '/frame-child';
  const allowAttr = allow ? ' allow="publickey-credentials-get; publickey-credentials-create"' : '';
  return layout(
    ctx,
    'Frame host',
    `
<p>The iframe below loads <code>${escapeHtml(src)}</code>.</p>
<iframe id="child-frame" name="child" title="Child frame" src="${escapeHtml(src)}"${allowAttr}></iframe>
${STATUS}`,
    { head: FIRST_SCRIPT },
  );
}

export function frameChildPage(ctx: PageContext): string {
  return layout(ctx, 'Frame child', `${STATUS}`, { head: FIRST_SCRIPT });
}

export function blankPage(): string {
  return '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Blank</title></head><body></body></html>\n';
}

export function notFoundPage(ctx: PageContext, path: string): string {
  return layout(ctx, 'Not found', `<p>Nothing at <code>${escapeHtml(path)}</code>.</p>`, { script: false });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
