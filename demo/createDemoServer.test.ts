// @vitest-environment node
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDemoRelyingParty, type DemoRelyingParty } from './createDemoServer';
import { FakePasskey } from './fakePasskey';

let rp: DemoRelyingParty;

beforeAll(async () => {
  rp = await startDemoRelyingParty();
});
afterAll(async () => {
  await rp.close();
});
beforeEach(() => {
  rp.reset();
});

/** A browser-like client: keeps the session cookie between calls. */
class Client {
  cookie: string | undefined;
  lastSetCookie: string | null = null;

  async call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(new URL(path, rp.origin), {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    this.lastSetCookie = res.headers.get('set-cookie');
    if (this.lastSetCookie) this.cookie = this.lastSetCookie.split(';')[0];
    return { status: res.status, json: await res.json() };
  }

  post(path: string, body: unknown = {}) {
    return this.call('POST', path, body);
  }

  /** Registers a new fake passkey for `username`; returns it. */
  async register(username: string, flags: Record<string, unknown> = {}): Promise<FakePasskey> {
    const options = await this.post('/api/register/options', { username, ...flags });
    expect(options.status).toBe(200);
    const passkey = new FakePasskey({ origin: rp.origin });
    const verify = await this.post('/api/register/verify', passkey.create(options.json));
    expect(verify.json).toEqual({ verified: true, credentialId: passkey.id, username });
    return passkey;
  }
}

describe('startDemoRelyingParty', () => {
  it('listens on a random port with origin http://localhost:<port>', () => {
    expect(rp.port).toBeGreaterThan(0);
    expect(rp.origin).toBe(`http://localhost:${rp.port}`);
    expect(rp.url).toBe(`http://localhost:${rp.port}/`);
    expect(rp.rpId).toBe('localhost');
  });

  it('serves the pages with the element ids tests rely on', async () => {
    const html = async (path: string) => {
      const res = await fetch(new URL(path, rp.origin));
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      return res.text();
    };
    expect(await html('/')).toContain('href="/register"');
    const register = await html('/register');
    for (const id of ['username', 'register-button', 'status']) expect(register).toContain(`id="${id}"`);
    const login = await html('/login');
    for (const id of ['username', 'login-button', 'passkey-login-button', 'status']) expect(login).toContain(`id="${id}"`);
    const host = await html('/frame-host');
    expect(host.indexOf('<script')).toBe(host.indexOf('<script>\n(function () {\n  function seen'));
    expect(host).toContain('<iframe id="child-frame"');
    expect(host).toContain('src="/frame-child"');
    expect(await html('/frame-child')).toContain('window.__firstScriptSawCredentials =');
    expect(await html('/blank')).toContain('<title>Blank</title>');
    const script = await fetch(new URL('/demo.js', rp.origin));
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await script.text()).toContain('window.demo = demo');
    expect((await fetch(new URL('/nope', rp.origin))).status).toBe(404);
  });

  it('a second server gets another port and closes cleanly', async () => {
    const other = await startDemoRelyingParty({ rpName: 'Other' });
    expect(other.port).not.toBe(rp.port);
    await other.close();
    await expect(fetch(other.origin)).rejects.toThrow();
  });
});

describe('registration options', () => {
  it('name the rp, the user and the default policy', async () => {
    const client = new Client();
    const { status, json } = await client.post('/api/register/options', { username: 'alice', displayName: 'Alice A.' });
    expect(status).toBe(200);
    expect(json.rp).toEqual({ id: 'localhost', name: 'Latchkey Demo' });
    expect(json.user).toMatchObject({ name: 'alice', displayName: 'Alice A.' });
    expect(json.user.id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(json.challenge).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(json.pubKeyCredParams.map((p: { alg: number }) => p.alg)).toEqual([-7, -8, -257]);
    expect(json.attestation).toBe('none');
    expect(json.authenticatorSelection).toMatchObject({
      residentKey: 'required',
      requireResidentKey: true,
      userVerification: 'preferred',
    });
    expect(json.excludeCredentials).toEqual([]);
  });

  it('take flags from the body or the query string', async () => {
    const client = new Client();
    const fromBody = await client.post('/api/register/options', {
      username: 'alice',
      userVerification: 'required',
      residentKey: 'discouraged',
      attestation: 'direct',
      algorithms: [-7],
    });
    expect(fromBody.json.authenticatorSelection).toMatchObject({
      userVerification: 'required',
      residentKey: 'discouraged',
      requireResidentKey: false,
    });
    expect(fromBody.json.attestation).toBe('direct');
    expect(fromBody.json.pubKeyCredParams).toEqual([{ alg: -7, type: 'public-key' }]);
    const fromQuery = await client.post('/api/register/options?userVerification=discouraged', { username: 'alice' });
    expect(fromQuery.json.authenticatorSelection.userVerification).toBe('discouraged');
  });

  it('reject a missing username and unknown flag values with 400', async () => {
    const client = new Client();
    expect(await client.post('/api/register/options', {})).toEqual({ status: 400, json: { error: 'username is required' } });
    const bad = await client.post('/api/register/options', { username: 'alice', userVerification: 'always' });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/userVerification/);
  });

  it("list the user's existing credentials in excludeCredentials and keep the user handle", async () => {
    const client = new Client();
    const first = await client.register('alice');
    const { json } = await client.post('/api/register/options', { username: 'alice' });
    expect(json.excludeCredentials).toEqual([{ id: first.id, type: 'public-key', transports: ['internal'] }]);
    expect(Buffer.from(json.user.id, 'base64url').equals(first.userHandle!)).toBe(true);
  });
});

describe('registration', () => {
  it('stores a verified credential and signs the user in', async () => {
    const client = new Client();
    const passkey = await client.register('alice');
    const [stored] = rp.state.credentialsOf('alice');
    expect(stored).toMatchObject({
      id: passkey.id,
      username: 'alice',
      counter: 0,
      fmt: 'none',
      userVerified: true,
      transports: ['internal'],
    });
    expect(rp.state.user('alice')?.id).toBe(passkey.userHandle!.toString('base64url'));
    expect((await client.call('GET', '/api/me')).json.user).toMatchObject({ username: 'alice' });
  });

  it('rejects a reused challenge', async () => {
    const client = new Client();
    const options = await client.post('/api/register/options', { username: 'alice' });
    const response = new FakePasskey({ origin: rp.origin }).create(options.json);
    expect((await client.post('/api/register/verify', response)).status).toBe(200);
    const again = await client.post('/api/register/verify', response);
    expect(again.status).toBe(400);
    expect(again.json.error).toMatch(/No registration challenge/);
    expect(rp.state.credentialsOf('alice')).toHaveLength(1);
  });

  it('rejects a response when no challenge was issued in this session', async () => {
    const alice = new Client();
    const options = await alice.post('/api/register/options', { username: 'alice' });
    const response = new FakePasskey({ origin: rp.origin }).create(options.json);
    const stranger = new Client();
    const answer = await stranger.post('/api/register/verify', response);
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatch(/No registration challenge/);
  });

  it('keeps several pending challenges per session (several tabs), each good for one response', async () => {
    const client = new Client();
    const first = await client.post('/api/register/options', { username: 'alice' });
    const second = await client.post('/api/register/options', { username: 'bob' });
    expect((await client.post('/api/register/verify', new FakePasskey({ origin: rp.origin }).create(second.json))).status).toBe(
      200,
    );
    const firstResponse = new FakePasskey({ origin: rp.origin }).create(first.json);
    expect((await client.post('/api/register/verify', firstResponse)).status).toBe(200);
    const again = await client.post('/api/register/verify', firstResponse);
    expect(again.status).toBe(400);
    expect(again.json.error).toMatch(/challenge/i);
  });

  it('rejects a response to a challenge this session was never given', async () => {
    const other = await new Client().post('/api/register/options', { username: 'carol' });
    const answer = await new Client().post('/api/register/verify', new FakePasskey({ origin: rp.origin }).create(other.json));
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatch(/challenge/i);
  });

  it('rejects another origin', async () => {
    const client = new Client();
    const options = await client.post('/api/register/options', { username: 'alice' });
    const answer = await client.post(
      '/api/register/verify',
      new FakePasskey({ origin: 'http://evil.localhost:1' }).create(options.json),
    );
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatch(/origin/i);
  });

  it('requires the UV flag only when userVerification is required', async () => {
    const client = new Client();
    const required = await client.post('/api/register/options', { username: 'alice', userVerification: 'required' });
    const noUV = new FakePasskey({ origin: rp.origin, userVerified: false });
    expect((await client.post('/api/register/verify', noUV.create(required.json))).status).toBe(400);
    const preferred = await client.post('/api/register/options', { username: 'alice' });
    expect((await client.post('/api/register/verify', noUV.create(preferred.json))).json.verified).toBe(true);
  });

  it('sets an HttpOnly SameSite=Lax session cookie named for the port', async () => {
    const client = new Client();
    await client.post('/api/register/options', { username: 'alice' });
    expect(client.lastSetCookie).toMatch(
      new RegExp(`^latchkey_demo_sid_${rp.port}=[A-Za-z0-9_-]+; Path=/; HttpOnly; SameSite=Lax$`),
    );
  });
});

describe('authentication options', () => {
  it("username-first: allowCredentials are the user's credentials", async () => {
    const client = new Client();
    const one = await client.register('alice');
    const two = await client.register('alice');
    await client.register('bob');
    const { status, json } = await client.post('/api/login/options', { username: 'alice' });
    expect(status).toBe(200);
    expect(json.rpId).toBe('localhost');
    expect(json.userVerification).toBe('preferred');
    expect(json.allowCredentials).toEqual([
      { id: one.id, type: 'public-key', transports: ['internal'] },
      { id: two.id, type: 'public-key', transports: ['internal'] },
    ]);
  });

  it('username-less: allowCredentials is empty', async () => {
    const client = new Client();
    await client.register('alice');
    const { status, json } = await client.post('/api/login/options', {});
    expect(status).toBe(200);
    expect(json.rpId).toBe('localhost');
    expect(json.allowCredentials).toEqual([]);
    const withFlag = await client.post('/api/login/options?userVerification=required', {});
    expect(withFlag.json.userVerification).toBe('required');
  });

  it('unknown user: 404', async () => {
    const answer = await new Client().post('/api/login/options', { username: 'nobody' });
    expect(answer).toEqual({ status: 404, json: { error: 'Unknown user: nobody' } });
  });
});

describe('authentication', () => {
  it('verifies username-first and username-less sign-ins and updates the counter', async () => {
    const client = new Client();
    const passkey = await client.register('alice');
    await client.post('/api/logout');
    expect((await client.call('GET', '/api/me')).json).toEqual({ user: null });

    const first = await client.post('/api/login/options', { username: 'alice' });
    const answer = await client.post('/api/login/verify', passkey.get(first.json));
    expect(answer).toEqual({
      status: 200,
      json: { verified: true, username: 'alice', credentialId: passkey.id, newCounter: 1, userVerified: true },
    });
    expect(rp.state.credentialsOf('alice')[0]).toMatchObject({ counter: 1, signInCount: 1 });

    const usernameless = await client.post('/api/login/options', {});
    const second = await client.post('/api/login/verify', passkey.get(usernameless.json));
    expect(second.json).toMatchObject({ verified: true, username: 'alice', newCounter: 2 });
    expect(rp.state.credentialsOf('alice')[0]?.counter).toBe(2);
    expect((await client.call('GET', '/api/me')).json.user).toMatchObject({ username: 'alice' });
  });

  it('rejects a reused or missing challenge', async () => {
    const client = new Client();
    const passkey = await client.register('alice');
    const options = await client.post('/api/login/options', { username: 'alice' });
    const response = passkey.get(options.json);
    expect((await client.post('/api/login/verify', response)).status).toBe(200);
    const again = await client.post('/api/login/verify', response);
    expect(again.status).toBe(400);
    expect(again.json.error).toMatch(/No authentication challenge/);
    const stranger = await new Client().post('/api/login/verify', passkey.get(options.json));
    expect(stranger.status).toBe(400);
  });

  it('rejects a counter that did not grow', async () => {
    const client = new Client();
    const passkey = await client.register('alice');
    let options = await client.post('/api/login/options', {});
    await client.post('/api/login/verify', passkey.get(options.json, { counter: 5 }));
    options = await client.post('/api/login/options', {});
    const answer = await client.post('/api/login/verify', passkey.get(options.json, { counter: 5 }));
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatch(/counter/);
  });

  it("rejects another user's credential in a username-first sign-in", async () => {
    const client = new Client();
    await client.register('alice');
    const bobs = await client.register('bob');
    const options = await client.post('/api/login/options', { username: 'alice' });
    const answer = await client.post('/api/login/verify', bobs.get(options.json));
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatch(/does not belong to alice/);
  });

  it('requires userHandle in a username-less sign-in', async () => {
    const client = new Client();
    const passkey = await client.register('alice');
    const options = await client.post('/api/login/options', {});
    const answer = await client.post('/api/login/verify', passkey.get(options.json, { userHandle: null }));
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatch(/userHandle/);
  });

  it('a credential deleted by the site is refused as unknown (orphaned passkey)', async () => {
    const client = new Client();
    const passkey = await client.register('alice');
    expect(rp.state.deleteCredential('alice', passkey.id)).toBe(true);
    expect(rp.state.credentialsOf('alice')).toEqual([]);
    expect(rp.state.user('alice')).toBeDefined();

    const options = await client.post('/api/login/options', {});
    const answer = await client.post('/api/login/verify', passkey.get(options.json));
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ unknownCredential: true, credentialId: passkey.id });
    expect(answer.json.error).toMatch(/not registered/);
  });
});

describe('credential test hooks', () => {
  it('lists and deletes credentials over HTTP', async () => {
    const client = new Client();
    const passkey = await client.register('alice');
    const list = await client.call('GET', '/api/users/alice/credentials');
    expect(list.status).toBe(200);
    expect(list.json).toMatchObject({ username: 'alice', credentials: [{ id: passkey.id, counter: 0 }] });
    expect(typeof list.json.credentials[0].publicKey).toBe('string');

    const path = `/api/users/alice/credentials/${encodeURIComponent(passkey.id)}`;
    expect(await client.call('DELETE', path)).toEqual({
      status: 200,
      json: { deleted: true, username: 'alice', credentialId: passkey.id },
    });
    expect((await client.call('DELETE', path)).status).toBe(404);
    expect((await client.call('GET', '/api/users/alice/credentials')).json.credentials).toEqual([]);
    expect((await client.call('GET', '/api/users/nobody/credentials')).status).toBe(404);

    const noPasskey = await client.post('/api/login/options', { username: 'alice' });
    expect(noPasskey.status).toBe(400);
  });

  it('answers errors as JSON', async () => {
    const client = new Client();
    expect(await client.call('GET', '/api/nothing')).toEqual({ status: 404, json: { error: 'No API at /api/nothing' } });
    const res = await fetch(new URL('/api/login/options', rp.origin), { method: 'POST', body: '{not json' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'Request body is not valid JSON' });
    expect((await client.call('GET', '/api/login/options')).status).toBe(405);
  });
});
