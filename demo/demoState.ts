/**
 * In-memory accounts and passkeys of the demo relying party.
 *
 * Tests read it through `DemoState` to check what the site stored, and call
 * `deleteCredential` to make a passkey that is still on the device unknown to
 * the site (an *orphaned passkey*).
 */

/** Base64url without padding, as WebAuthn JSON forms use it. */
export type Base64URL = string;

export interface DemoUser {
  /** The WebAuthn user handle (`user.id`), base64url. */
  readonly id: Base64URL;
  readonly username: string;
  readonly displayName: string;
  readonly createdAt: number;
}

export interface DemoCredential {
  /** Credential id, base64url (equals the response's `id`/`rawId`). */
  readonly id: Base64URL;
  readonly username: string;
  /** User handle of the owner, base64url. */
  readonly userId: Base64URL;
  /** COSE_Key bytes as returned by @simplewebauthn/server. */
  readonly publicKey: Uint8Array;
  /** Signature counter, updated after each verified authentication. */
  readonly counter: number;
  readonly transports: readonly string[];
  /** Attestation statement format (`none`, `packed`, ...). */
  readonly fmt: string;
  readonly aaguid: string;
  readonly deviceType: 'singleDevice' | 'multiDevice';
  readonly backedUp: boolean;
  /** UV flag at registration. */
  readonly userVerified: boolean;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
  /** How many verified sign-ins used this credential. */
  readonly signInCount: number;
}

type MutableCredential = { -readonly [K in keyof DemoCredential]: DemoCredential[K] };

export class DemoState {
  readonly #users = new Map<string, DemoUser>();
  /** Credentials in registration order, keyed by credential id. */
  readonly #credentials = new Map<Base64URL, MutableCredential>();

  /** All users, in creation order. */
  users(): DemoUser[] {
    return [...this.#users.values()];
  }

  user(username: string): DemoUser | undefined {
    return this.#users.get(username);
  }

  userById(userId: Base64URL): DemoUser | undefined {
    for (const user of this.#users.values()) if (user.id === userId) return user;
    return undefined;
  }

  /** Snapshots (copies) of the user's credentials, in registration order; [] for an unknown user. */
  credentialsOf(username: string): DemoCredential[] {
    return [...this.#credentials.values()].filter((c) => c.username === username).map(snapshot);
  }

  /** Snapshot of one credential, whoever owns it. */
  credential(credentialId: Base64URL): DemoCredential | undefined {
    const found = this.#credentials.get(credentialId);
    return found && snapshot(found);
  }

  /** All credentials of all users, as snapshots. */
  allCredentials(): DemoCredential[] {
    return [...this.#credentials.values()].map(snapshot);
  }

  addUser(user: DemoUser): DemoUser {
    if (this.#users.has(user.username)) throw new Error(`User ${user.username} already exists`);
    this.#users.set(user.username, { ...user });
    return user;
  }

  addCredential(credential: Omit<DemoCredential, 'lastUsedAt' | 'signInCount'>): DemoCredential {
    if (this.#credentials.has(credential.id)) throw new Error(`Credential ${credential.id} is already registered`);
    if (!this.#users.has(credential.username)) throw new Error(`Unknown user ${credential.username}`);
    const stored: MutableCredential = {
      ...credential,
      publicKey: new Uint8Array(credential.publicKey),
      transports: [...credential.transports],
      lastUsedAt: null,
      signInCount: 0,
    };
    this.#credentials.set(stored.id, stored);
    return snapshot(stored);
  }

  /** Records a verified sign-in: stores the new counter and the time. */
  recordSignIn(credentialId: Base64URL, newCounter: number, at: number = Date.now()): DemoCredential {
    const stored = this.#credentials.get(credentialId);
    if (!stored) throw new Error(`Unknown credential ${credentialId}`);
    stored.counter = newCounter;
    stored.lastUsedAt = at;
    stored.signInCount += 1;
    return snapshot(stored);
  }

  /**
   * Deletes a credential on the site's side only (the passkey stays on the
   * device and becomes orphaned). Returns false when the user has no such
   * credential. The account itself is kept.
   */
  deleteCredential(username: string, credentialId: Base64URL): boolean {
    const stored = this.#credentials.get(credentialId);
    if (!stored || stored.username !== username) return false;
    return this.#credentials.delete(credentialId);
  }

  /** Forgets every user and credential. */
  clear(): void {
    this.#users.clear();
    this.#credentials.clear();
  }
}

function snapshot(c: MutableCredential): DemoCredential {
  return { ...c, publicKey: new Uint8Array(c.publicKey), transports: [...c.transports] };
}
