/**
 * Cookie sessions of the demo relying party. A session holds its pending
 * registrations and authentications by challenge, so several tabs (or several
 * concurrent ceremonies) of one browser each verify against their own; a
 * challenge is taken out of the session when a response is verified, so it
 * cannot be used twice.
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
  /** Pending ceremonies by challenge (base64url), oldest first. */
  registrations: Map<string, PendingRegistration>;
  authentications: Map<string, PendingAuthentication>;
}

/** Pending ceremonies kept per session and kind: the oldest are dropped beyond it. */
const MAX_PENDING = 64;

export function rememberPending<T extends { challenge: string }>(pending: Map<string, T>, entry: T): void {
  pending.set(entry.challenge, entry);
  while (pending.size > MAX_PENDING) pending.delete(pending.keys().next().value!);
}

/** Takes the pending ceremony a response answers, read from its clientDataJSON's challenge. */
export function takePending<T>(pending: Map<string, T>, body: unknown): T | undefined {
  const challenge = challengeOf(body);
  if (challenge === undefined) return undefined;
  const entry = pending.get(challenge);
  pending.delete(challenge);
  return entry;
}

function challengeOf(body: unknown): string | undefined {
  try {
    const clientDataJSON = (body as { response?: { clientDataJSON?: unknown } })?.response?.clientDataJSON;
    if (typeof clientDataJSON !== 'string') return undefined;
    const challenge = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8'))?.challenge;
    return typeof challenge === 'string' ? challenge : undefined;
  } catch {
    return undefined;
  }
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
      registrations: new Map(),
      authentications: new Map(),
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
