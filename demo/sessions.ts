/**
 * Cookie sessions of the demo relying party. A session holds at most one
 * pending registration and one pending authentication; each challenge is taken
 * out of the session when a response is verified, so it cannot be used twice.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export type UserVerification = 'required' | 'preferred' | 'discouraged';

export interface PendingRegistration {
  readonly challenge: string;
  readonly username: string;
  readonly displayName: string;
  /** User handle, base64url: the existing user's, or a new one. */
  readonly userId: string;
  readonly userVerification: UserVerification;
  readonly supportedAlgorithmIDs: number[];
  readonly expiresAt: number;
}

export interface PendingAuthentication {
  readonly challenge: string;
  /** Set for username-first sign-in, absent for username-less. */
  readonly username?: string;
  readonly userVerification: UserVerification;
  readonly expiresAt: number;
}

export interface Session {
  readonly id: string;
  username: string | null;
  registration: PendingRegistration | null;
  authentication: PendingAuthentication | null;
}

export class SessionStore {
  readonly #sessions = new Map<string, Session>();
  /**
   * Cookies do not separate ports, so several demo servers on localhost would
   * share one cookie: the name carries the port.
   */
  readonly cookieName: string;

  constructor(port: number) {
    this.cookieName = `latchkey_demo_sid_${port}`;
  }

  /** The request's session, or a new one whose cookie is set on `res`. */
  for(req: IncomingMessage, res: ServerResponse): Session {
    const id = readCookie(req.headers.cookie, this.cookieName);
    const existing = id === undefined ? undefined : this.#sessions.get(id);
    if (existing) return existing;
    const session: Session = {
      id: randomBytes(24).toString('base64url'),
      username: null,
      registration: null,
      authentication: null,
    };
    this.#sessions.set(session.id, session);
    res.setHeader('Set-Cookie', `${this.cookieName}=${session.id}; Path=/; HttpOnly; SameSite=Lax`);
    return session;
  }

  clear(): void {
    this.#sessions.clear();
  }
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
