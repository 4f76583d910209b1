/**
 * Test helper: the smallest software passkey that produces responses the demo
 * server must accept (ES256, `none` attestation), built on node:crypto only so
 * the demo's tests do not depend on the extension's own authenticator.
 * Not used by the server.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

export interface FakePasskeyOptions {
  /** Sets the UV flag. Default true. */
  userVerified?: boolean;
  /** Origin written into clientDataJSON. */
  origin: string;
  rpId?: string;
}

export class FakePasskey {
  readonly credentialId = randomBytes(16);
  readonly #privateKey: KeyObject;
  readonly #publicJwk: { x: string; y: string };
  /** Set from the registration options' user.id. */
  userHandle: Buffer | undefined;
  counter = 0;
  readonly origin: string;
  readonly rpId: string;
  userVerified: boolean;

  constructor(options: FakePasskeyOptions) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.#privateKey = privateKey;
    const jwk = publicKey.export({ format: 'jwk' });
    this.#publicJwk = { x: String(jwk.x), y: String(jwk.y) };
    this.origin = options.origin;
    this.rpId = options.rpId ?? 'localhost';
    this.userVerified = options.userVerified ?? true;
  }

  get id(): string {
    return this.credentialId.toString('base64url');
  }

  /** A RegistrationResponseJSON for `navigator.credentials.create` with these options. */
  create(options: { challenge: string; user: { id: string } }) {
    this.userHandle = Buffer.from(options.user.id, 'base64url');
    const coseKey = cbor(
      new Map<number, CborValue>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(this.#publicJwk.x, 'base64url')],
        [-3, Buffer.from(this.#publicJwk.y, 'base64url')],
      ]),
    );
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const authData = Buffer.concat([
      this.#authDataHead(0x40, this.counter),
      Buffer.alloc(16), // AAGUID
      idLength,
      this.credentialId,
      coseKey,
    ]);
    const attestationObject = cbor(
      new Map<string, CborValue>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: this.#clientData('webauthn.create', options.challenge).toString('base64url'),
        attestationObject: attestationObject.toString('base64url'),
        transports: ['internal'],
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** An AuthenticationResponseJSON for `navigator.credentials.get`; bumps the counter. */
  get(options: { challenge: string }, overrides: { counter?: number; userHandle?: string | null } = {}) {
    this.counter = overrides.counter ?? this.counter + 1;
    const authData = this.#authDataHead(0, this.counter);
    const clientDataJSON = this.#clientData('webauthn.get', options.challenge);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), this.#privateKey);
    const userHandle = overrides.userHandle === undefined ? this.userHandle?.toString('base64url') : overrides.userHandle;
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: clientDataJSON.toString('base64url'),
        authenticatorData: authData.toString('base64url'),
        signature: signature.toString('base64url'),
        ...(userHandle ? { userHandle } : {}),
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  #authDataHead(extraFlags: number, counter: number): Buffer {
    const UP = 0x01;
    const UV = 0x04;
    const head = Buffer.alloc(37);
    sha256(Buffer.from(this.rpId)).copy(head, 0);
    head[32] = UP | (this.userVerified ? UV : 0) | extraFlags;
    head.writeUInt32BE(counter, 33);
    return head;
  }

  #clientData(type: string, challenge: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin: this.origin, crossOrigin: false }));
  }
}

function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

type CborValue = number | string | Buffer | Map<number | string, CborValue>;

/** Just enough CBOR (RFC 8949) for COSE keys and attestation objects. */
function cbor(value: CborValue): Buffer {
  if (typeof value === 'number') {
    return value >= 0 ? head(0, value) : head(1, -1 - value);
  }
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (Buffer.isBuffer(value)) return Buffer.concat([head(2, value.length), value]);
  const parts = [head(5, value.size)];
  for (const [k, v] of value) parts.push(cbor(k), cbor(v));
  return Buffer.concat(parts);
}

function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
  if (n < 0x10000) return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
}
