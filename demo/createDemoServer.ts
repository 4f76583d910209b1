/**
 * The bundled demo relying party: a login site on node:http that registers and
 * signs in with passkeys, verified by @simplewebauthn/server against its own
 * origin (http://localhost:<port>, rpId `localhost`).
 *
 * Used by `npm start`, the end-to-end tests and the benchmarks.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  authenticationOptions,
  DemoHttpError,
  registrationOptions,
  verifyAuthentication,
  verifyRegistration,
  type Flags,
  type RelyingPartyContext,
} from './ceremonies';
import { DemoState, type DemoCredential } from './demoState';
import {
  blankPage,
  frameChildPage,
  frameHostPage,
  homePage,
  loginPage,
  notFoundPage,
  registerPage,
  type PageContext,
} from './pages';
import { SessionStore, type Session } from './sessions';

export { DemoState } from './demoState';
export type { DemoCredential, DemoUser } from './demoState';

export interface DemoRelyingPartyOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** `rp.name` in registration options. Default "Latchkey Demo". */
  rpName?: string;
  /** Interface to listen on. Default 127.0.0.1. The origin stays http://<rpId>:<port>. */
  host?: string;
  /**
   * The site's rpId, and the host of its origin: 'localhost' (default) or a name under it
   * such as 'shop.localhost' — browsers resolve every *.localhost name to the loopback
   * address, so several sites can run on one machine.
   */
  rpId?: string;
}

export interface DemoRelyingParty {
  /** Home page, `http://localhost:<port>/`. */
  url: string;
  /** `http://localhost:<port>`, the only origin the server accepts responses from. */
  origin: string;
  port: number;
  rpId: string;
  state: DemoState;
  /** Forgets all users, credentials and sessions. */
  reset(): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1 << 20;

export async function startDemoRelyingParty(options: DemoRelyingPartyOptions = {}): Promise<DemoRelyingParty> {
  const rpName = options.rpName ?? 'Latchkey Demo';
  const host = options.host ?? '127.0.0.1';
  const pageScript = await readFile(new URL('./static/demo.js', import.meta.url), 'utf8');
  const state = new DemoState();

  // The origin needs the port, which is known only once listening.
  let app: App | undefined;
  const server = createServer((req, res) => {
    if (!app) return sendJSON(res, 503, { error: 'Starting' });
    app.handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJSON(res, 500, { error: error instanceof Error ? error.message : String(error) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const rpId = options.rpId ?? 'localhost';
  if (rpId !== 'localhost' && !rpId.endsWith('.localhost'))
    throw new Error(`rpId must be localhost or a name under it, not ${rpId}`);
  const origin = `http://${rpId}:${port}`;
  const sessions = new SessionStore(port);
  app = new App({ state, rpId, rpName, origin, now: () => Date.now() }, sessions, { rpName, port }, pageScript);

  let closing: Promise<void> | undefined;
  return {
    url: `${origin}/`,
    origin,
    port,
    rpId,
    state,
    reset() {
      state.clear();
      sessions.clear();
    },
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Browsers keep connections alive; do not wait for them.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

class App {
  constructor(
    private readonly rp: RelyingPartyContext,
    private readonly sessions: SessionStore,
    private readonly page: PageContext,
    private readonly pageScript: string,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    // `${url}/register` with url ending in '/' gives '//register'.
    const path = url.pathname.replace(/\/{2,}/g, '/');
    const method = req.method ?? 'GET';
    res.setHeader('Cache-Control', 'no-store');

    if (path.startsWith('/api/')) {
      try {
        await this.api(req, res, method, path, url.searchParams);
      } catch (error) {
        if (error instanceof DemoHttpError) sendJSON(res, error.status, { ...error.details, error: error.message });
        else throw error;
      }
      return;
    }

    if (method !== 'GET' && method !== 'HEAD') return sendText(res, 405, 'text/plain', 'Method not allowed\n');
    // The login pages open the session, so that ceremonies a page starts together share it.
    if (path === '/' || path === '/register' || path === '/login') this.sessions.for(req, res);
    switch (path) {
      case '/':
        return sendHTML(res, 200, homePage(this.page));
      case '/register':
        return sendHTML(res, 200, registerPage(this.page));
      case '/login':
        return sendHTML(res, 200, loginPage(this.page));
      case '/frame-host':
        return sendHTML(res, 200, frameHostPage(this.page, url.searchParams));
      case '/frame-child':
        return sendHTML(res, 200, frameChildPage(this.page));
      case '/blank':
        return sendHTML(res, 200, blankPage());
      case '/demo.js':
        return sendText(res, 200, 'text/javascript; charset=utf-8', this.pageScript);
      case '/favicon.ico':
        res.writeHead(204).end();
        return;
      default:
        return sendHTML(res, 404, notFoundPage(this.page, path));
    }
  }

  private async api(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    path: string,
    query: URLSearchParams,
  ): Promise<void> {
    const route = `${method} ${path}`;
    switch (route) {
      case 'POST /api/register/options':
        return sendJSON(res, 200, await registrationOptions(this.rp, this.session(req, res), flags(await readJSON(req), query)));
      case 'POST /api/register/verify':
        return sendJSON(res, 200, await verifyRegistration(this.rp, this.session(req, res), await readJSON(req)));
      case 'POST /api/login/options':
        return sendJSON(
          res,
          200,
          await authenticationOptions(this.rp, this.session(req, res), flags(await readJSON(req), query)),
        );
      case 'POST /api/login/verify':
        return sendJSON(res, 200, await verifyAuthentication(this.rp, this.session(req, res), await readJSON(req)));
      case 'POST /api/logout': {
        await readJSON(req);
        const session = this.session(req, res);
        session.username = null;
        session.registrations.clear();
        session.authentications.clear();
        return sendJSON(res, 200, { ok: true });
      }
      case 'GET /api/me': {
        const username = this.session(req, res).username;
        const user = username === null ? undefined : this.rp.state.user(username);
        return sendJSON(res, 200, {
          user: user ? { username: user.username, displayName: user.displayName, id: user.id } : null,
        });
      }
    }

    // /api/users/:username/credentials[/:id]
    const match = /^\/api\/users\/([^/]+)\/credentials(?:\/([^/]+))?$/.exec(path);
    if (match) {
      const username = decodeURIComponent(match[1] ?? '');
      const credentialId = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
      const user = this.rp.state.user(username);
      if (!user) throw new DemoHttpError(404, `Unknown user: ${username}`);
      if (credentialId === undefined && method === 'GET') {
        return sendJSON(res, 200, {
          username: user.username,
          userId: user.id,
          credentials: this.rp.state.credentialsOf(username).map(credentialJSON),
        });
      }
      if (credentialId !== undefined && method === 'DELETE') {
        if (!this.rp.state.deleteCredential(username, credentialId)) {
          throw new DemoHttpError(404, `${username} has no credential ${credentialId}`);
        }
        return sendJSON(res, 200, { deleted: true, username, credentialId });
      }
      if (credentialId !== undefined && method === 'GET') {
        const credential = this.rp.state.credentialsOf(username).find((c) => c.id === credentialId);
        if (!credential) throw new DemoHttpError(404, `${username} has no credential ${credentialId}`);
        return sendJSON(res, 200, credentialJSON(credential));
      }
      throw new DemoHttpError(405, `${method} is not allowed on ${path}`);
    }

    const known = [
      '/api/register/options',
      '/api/register/verify',
      '/api/login/options',
      '/api/login/verify',
      '/api/logout',
      '/api/me',
    ];
    if (known.includes(path)) throw new DemoHttpError(405, `${method} is not allowed on ${path}`);
    throw new DemoHttpError(404, `No API at ${path}`);
  }

  private session(req: IncomingMessage, res: ServerResponse): Session {
    return this.sessions.for(req, res);
  }
}

/** Body fields win over query parameters of the same name. */
function flags(body: unknown, query: URLSearchParams): Flags {
  if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
    throw new DemoHttpError(400, 'Expected a JSON object');
  }
  return { ...Object.fromEntries(query), ...(body as Flags | undefined) };
}

async function readJSON(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new DemoHttpError(413, 'Request body is too large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new DemoHttpError(400, 'Request body is not valid JSON');
  }
}

function credentialJSON(c: DemoCredential) {
  return {
    id: c.id,
    publicKey: Buffer.from(c.publicKey).toString('base64url'),
    counter: c.counter,
    transports: c.transports,
    fmt: c.fmt,
    aaguid: c.aaguid,
    deviceType: c.deviceType,
    backedUp: c.backedUp,
    userVerified: c.userVerified,
    createdAt: c.createdAt,
    lastUsedAt: c.lastUsedAt,
    signInCount: c.signInCount,
  };
}

function sendJSON(res: ServerResponse, status: number, body: unknown): void {
  sendText(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

function sendHTML(res: ServerResponse, status: number, html: string): void {
  sendText(res, status, 'text/html; charset=utf-8', html);
}

function sendText(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
