// Page script of the Latchkey demo relying party, served as /demo.js.
//
// It decodes the server's JSON options itself (no parse*FromJSON), calls
// navigator.credentials.create/get, and posts credential.toJSON() back.
// Tests and benchmarks drive it through window.demo; the buttons call the same
// functions. Every function resolves (never rejects) to
//   { ok: boolean, text: string, error?: { name, message, status? }, ... }
// and writes `text` into the #status element.
(function () {
  'use strict';

  // ------------------------------------------------------------ base64url

  function fromBase64url(text) {
    var base64 = text.replace(/-/g, '+').replace(/_/g, '/');
    while (base64.length % 4) base64 += '=';
    var binary = atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  function decodeDescriptors(list) {
    return (list || []).map(function (d) {
      return Object.assign({}, d, { id: fromBase64url(d.id) });
    });
  }

  /** PublicKeyCredentialCreationOptionsJSON -> PublicKeyCredentialCreationOptions */
  function decodeCreationOptions(json) {
    var options = Object.assign({}, json, {
      challenge: fromBase64url(json.challenge),
      user: Object.assign({}, json.user, { id: fromBase64url(json.user.id) }),
    });
    if (json.excludeCredentials) options.excludeCredentials = decodeDescriptors(json.excludeCredentials);
    return options;
  }

  /** PublicKeyCredentialRequestOptionsJSON -> PublicKeyCredentialRequestOptions */
  function decodeRequestOptions(json) {
    var options = Object.assign({}, json, { challenge: fromBase64url(json.challenge) });
    if (json.allowCredentials) options.allowCredentials = decodeDescriptors(json.allowCredentials);
    return options;
  }

  // ------------------------------------------------------------ helpers

  function setStatus(text) {
    var el = document.getElementById('status');
    if (el) el.textContent = text;
  }

  function ServerError(message, status, data) {
    var error = new Error(message);
    error.name = 'ServerError';
    error.status = status;
    error.data = data;
    return error;
  }

  async function api(method, path, body) {
    var init = { method: method, credentials: 'same-origin', headers: {} };
    if (body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    var res = await fetch(path, init);
    var data;
    try {
      data = await res.json();
    } catch (e) {
      data = { error: 'HTTP ' + res.status + ' with a body that is not JSON' };
    }
    if (!res.ok) throw ServerError(data.error || 'HTTP ' + res.status, res.status, data);
    return data;
  }

  // Options the page keeps for itself; the rest goes to the server.
  var CLIENT_ONLY = ['signal', 'mediation', 'transformOptions', 'signalUnknownCredential'];

  function serverFlags(opts) {
    var flags = {};
    Object.keys(opts || {}).forEach(function (key) {
      if (CLIENT_ONLY.indexOf(key) < 0) flags[key] = opts[key];
    });
    return flags;
  }

  function succeed(text, extra) {
    setStatus(text);
    return Object.assign({ ok: true, text: text }, extra || {});
  }

  function fail(error, extra) {
    var name = (error && error.name) || 'Error';
    var message = (error && error.message) || String(error);
    var text = 'Error: ' + name + ': ' + message;
    setStatus(text);
    var detail = { name: name, message: message };
    if (error && error.status) detail.status = error.status;
    return Object.assign({ ok: false, text: text, error: detail }, extra || {});
  }

  function toJSONOf(credential, call) {
    if (!credential) throw new TypeError(call + ' resolved to ' + credential);
    return credential.toJSON();
  }

  // ------------------------------------------------------------ ceremonies

  /**
   * Registers a passkey for `username`.
   * opts (sent to the server): displayName, userVerification, residentKey,
   *   attestation, authenticatorAttachment, preferredAuthenticatorType,
   *   algorithms, timeout.
   * opts (page only): signal (AbortSignal), transformOptions(publicKey) -> publicKey.
   */
  async function register(username, opts) {
    opts = opts || {};
    setStatus('Creating a passkey for ' + username + '…');
    try {
      var json = await api('POST', '/api/register/options', Object.assign(serverFlags(opts), { username: username }));
      var publicKey = decodeCreationOptions(json);
      if (opts.transformOptions) publicKey = opts.transformOptions(publicKey);
      var request = { publicKey: publicKey };
      if (opts.signal) request.signal = opts.signal;
      var credential = await navigator.credentials.create(request);
      var result = await api('POST', '/api/register/verify', toJSONOf(credential, 'navigator.credentials.create'));
      return succeed('Registered ' + result.username, { username: result.username, credentialId: result.credentialId });
    } catch (error) {
      return fail(error);
    }
  }

  async function signIn(username, opts) {
    var flags = serverFlags(opts);
    if (username !== undefined) flags.username = username;
    var json = await api('POST', '/api/login/options', flags);
    var publicKey = decodeRequestOptions(json);
    if (opts.transformOptions) publicKey = opts.transformOptions(publicKey);
    var request = { publicKey: publicKey };
    if (opts.signal) request.signal = opts.signal;
    if (opts.mediation) request.mediation = opts.mediation;
    var credential = await navigator.credentials.get(request);
    var body = toJSONOf(credential, 'navigator.credentials.get');
    try {
      return await api('POST', '/api/login/verify', body);
    } catch (error) {
      if (error.data && error.data.unknownCredential) await maybeSignalUnknown(publicKey.rpId, error.data.credentialId, opts, error);
      throw error;
    }
  }

  /** The site says it no longer knows the passkey: tell the authenticator, if asked to. */
  async function maybeSignalUnknown(rpId, credentialId, opts, error) {
    var wanted = opts.signalUnknownCredential !== undefined ? opts.signalUnknownCredential : demo.settings.signalUnknownCredential;
    error.unknownCredential = credentialId;
    if (!wanted) return;
    error.signalled = await signalUnknownCredential(credentialId, rpId);
  }

  /** Resolves true when PublicKeyCredential.signalUnknownCredential exists and resolved. */
  async function signalUnknownCredential(credentialId, rpId) {
    if (typeof PublicKeyCredential === 'undefined' || typeof PublicKeyCredential.signalUnknownCredential !== 'function') return false;
    try {
      await PublicKeyCredential.signalUnknownCredential({ rpId: rpId || location.hostname, credentialId: credentialId });
      return true;
    } catch (e) {
      return false;
    }
  }

  function signInResult(result) {
    return succeed('Signed in as ' + result.username, {
      username: result.username,
      credentialId: result.credentialId,
      newCounter: result.newCounter,
      userVerified: result.userVerified,
    });
  }

  function signInFailure(error) {
    var extra = {};
    if (error && error.unknownCredential) extra.unknownCredential = error.unknownCredential;
    if (error && error.signalled !== undefined) extra.signalled = error.signalled;
    return fail(error, extra);
  }

  /**
   * Username-first sign-in: allowCredentials lists the user's passkeys.
   * opts: userVerification, timeout (server); signal, mediation,
   *   transformOptions, signalUnknownCredential (page).
   */
  async function loginWithUsername(username, opts) {
    opts = opts || {};
    setStatus('Signing in as ' + username + '…');
    try {
      return signInResult(await signIn(username, opts));
    } catch (error) {
      return signInFailure(error);
    }
  }

  /** Username-less sign-in: empty allowCredentials, the authenticator offers its accounts. */
  async function loginUsernameless(opts) {
    opts = opts || {};
    setStatus('Waiting for a passkey…');
    try {
      return signInResult(await signIn(undefined, opts));
    } catch (error) {
      return signInFailure(error);
    }
  }

  async function logout() {
    try {
      await api('POST', '/api/logout', {});
      showMe(null);
      return succeed('Signed out');
    } catch (error) {
      return fail(error);
    }
  }

  /** The signed-in user ({ username, displayName, id }) or null. */
  async function me() {
    var result = await api('GET', '/api/me');
    return result.user;
  }

  // ------------------------------------------------------------ page wiring

  function showMe(user) {
    var meEl = document.getElementById('me');
    if (meEl) meEl.textContent = user ? 'Signed in as ' + user.username : 'Not signed in';
    var logoutButton = document.getElementById('logout-button');
    if (logoutButton) logoutButton.hidden = !user;
  }

  function valueOf(id) {
    var el = document.getElementById(id);
    return el ? el.value : '';
  }

  var demo = {
    register: register,
    loginWithUsername: loginWithUsername,
    loginUsernameless: loginUsernameless,
    logout: logout,
    me: me,
    signalUnknownCredential: signalUnknownCredential,
    decodeCreationOptions: decodeCreationOptions,
    decodeRequestOptions: decodeRequestOptions,
    // signalUnknownCredential: call PublicKeyCredential.signalUnknownCredential
    // when the server rejects a passkey it does not know. Also `?signal=1`.
    settings: { signalUnknownCredential: new URLSearchParams(location.search).get('signal') === '1' },
  };
  window.demo = demo;

  var registerForm = document.getElementById('register-form');
  if (registerForm) {
    registerForm.addEventListener('submit', function (event) {
      event.preventDefault();
      var opts = {};
      ['user-verification', 'resident-key', 'attestation', 'save-to'].forEach(function (id) {
        var el = document.getElementById(id);
        if (el && el.value) opts[el.name] = el.value;
      });
      register(valueOf('username').trim(), opts);
    });
  }

  var loginForm = document.getElementById('login-form');
  if (loginForm) {
    loginForm.addEventListener('submit', function (event) {
      event.preventDefault();
      loginWithUsername(valueOf('username').trim());
    });
  }

  var passkeyButton = document.getElementById('passkey-login-button');
  if (passkeyButton) passkeyButton.addEventListener('click', function () { loginUsernameless(); });

  var logoutButton = document.getElementById('logout-button');
  if (logoutButton) logoutButton.addEventListener('click', function () { logout(); });

  if (document.getElementById('me')) me().then(showMe, function () { showMe(null); });
})();
