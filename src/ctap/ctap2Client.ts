/**
 * The platform side of CTAP 2.1 over any CTAPHID device: authenticatorGetInfo, MakeCredential,
 * GetAssertion / GetNextAssertion, ClientPIN with PIN/UV auth protocol 2, and
 * CredentialManagement. Parameters and answers are CBOR maps with integer keys (§6), encoded
 * in CTAP2 canonical form by src/webauthn/cbor.ts.
 */
import { decode, encodeCanonical, type CborValue } from '../webauthn/cbor';
import { concat } from '../webauthn/bytes';
import {
  ClientPinSubcommand,
  CredMgmtSubcommand,
  Ctap2Command,
  CtapStatusCode,
  CtapStatusError,
  Permission,
} from './ctap2Constants';
import type { TransactOptions } from './ctaphidDevice';
import {
  PIN_UV_AUTH_PROTOCOL_TWO,
  authenticate,
  coseKeyAgreement,
  decrypt,
  encrypt,
  generateKeyPair,
  paddedPin,
  pinHash,
  sharedSecret,
} from './pinUvAuthProtocolTwo';

/** What the client needs of a device: CTAPHID_CBOR. */
export interface CborChannel {
  cbor(request: Uint8Array, options?: TransactOptions): Promise<Uint8Array>;
}

export interface AuthenticatorInfo {
  versions: string[];
  extensions: string[];
  aaguid: Uint8Array;
  options: Record<string, boolean>;
  pinUvAuthProtocols: number[];
}

export interface CredentialDescriptor {
  type: 'public-key';
  id: Uint8Array;
}

export interface MakeCredentialParams {
  clientDataHash: Uint8Array;
  rp: { id: string; name?: string };
  user: { id: Uint8Array; name?: string; displayName?: string };
  pubKeyCredParams: { type: string; alg: number }[];
  excludeList?: CredentialDescriptor[];
  options?: { rk?: boolean; uv?: boolean };
  pinUvAuthParam?: Uint8Array;
}

export interface MakeCredentialResponse {
  fmt: string;
  authData: Uint8Array;
  attStmt: Map<unknown, unknown>;
}

export interface GetAssertionParams {
  rpId: string;
  clientDataHash: Uint8Array;
  allowList?: CredentialDescriptor[];
  options?: { up?: boolean; uv?: boolean };
  pinUvAuthParam?: Uint8Array;
}

export interface GetAssertionResponse {
  credential: CredentialDescriptor;
  authData: Uint8Array;
  signature: Uint8Array;
  user?: { id: Uint8Array; name?: string; displayName?: string };
  numberOfCredentials?: number;
}

export interface ResidentCredential {
  rpId: string;
  rpIdHash: Uint8Array;
  credentialId: Uint8Array;
  user: { id: Uint8Array; name?: string; displayName?: string };
  publicKey: Map<unknown, unknown>;
}

type CborMap = Map<number, unknown>;

function asMap(value: unknown, what: string): CborMap {
  if (!(value instanceof Map))
    throw new CtapStatusError(CtapStatusCode.CTAP2_ERR_INVALID_CBOR, `The security key's ${what} is not a CBOR map.`);
  return value as CborMap;
}

function bytes(value: unknown, what: string): Uint8Array {
  if (!(value instanceof Uint8Array))
    throw new CtapStatusError(CtapStatusCode.CTAP2_ERR_INVALID_CBOR, `The security key's ${what} is not a byte string.`);
  return value;
}

function descriptor(value: unknown): CredentialDescriptor {
  const map = value instanceof Map ? value : new Map(Object.entries((value as object) ?? {}));
  return { type: 'public-key', id: bytes(map.get('id'), 'credential id') };
}

function user(value: unknown): { id: Uint8Array; name?: string; displayName?: string } {
  const map = value instanceof Map ? value : new Map(Object.entries((value as object) ?? {}));
  const name = map.get('name');
  const displayName = map.get('displayName');
  return {
    id: bytes(map.get('id'), 'user id'),
    ...(typeof name === 'string' ? { name } : {}),
    ...(typeof displayName === 'string' ? { displayName } : {}),
  };
}

/**
 * makeCredential and getAssertion both end with options, then pinUvAuthParam and
 * pinUvAuthProtocol, at consecutive keys (0x07–0x09 and 0x05–0x07).
 */
function setOptionsAndAuth(
  request: Map<number, CborValue>,
  optionsKey: number,
  params: { options?: Record<string, boolean | undefined>; pinUvAuthParam?: Uint8Array },
): void {
  if (params.options && Object.keys(params.options).length) request.set(optionsKey, params.options);
  if (params.pinUvAuthParam) {
    request.set(optionsKey + 1, params.pinUvAuthParam);
    request.set(optionsKey + 2, PIN_UV_AUTH_PROTOCOL_TWO);
  }
}

function descriptorsCbor(list: CredentialDescriptor[] | undefined): CborValue {
  return list?.length ? list.map((d) => ({ id: d.id, type: d.type })) : undefined;
}

export class Ctap2Client {
  constructor(
    private readonly device: CborChannel,
    private readonly randomBytes: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n)),
  ) {}

  /** Sends one command; a status other than CTAP2_OK is thrown as CtapStatusError. */
  async command(command: number, params: Map<number, CborValue> | null, options?: TransactOptions): Promise<CborMap | null> {
    const request = params ? concat(new Uint8Array([command]), encodeCanonical(params)) : new Uint8Array([command]);
    const response = await this.device.cbor(request, options);
    const status = response[0];
    if (status === undefined)
      throw new CtapStatusError(CtapStatusCode.CTAP1_ERR_INVALID_LENGTH, 'The security key sent an empty answer.');
    if (status !== CtapStatusCode.CTAP2_OK) throw new CtapStatusError(status);
    if (response.length === 1) return null;
    let decoded: unknown;
    try {
      decoded = decode(response.subarray(1));
    } catch {
      throw new CtapStatusError(CtapStatusCode.CTAP2_ERR_INVALID_CBOR, 'The security key sent an answer that is not valid CBOR.');
    }
    return asMap(decoded, 'answer');
  }

  /** §6.4 authenticatorGetInfo. */
  async getInfo(): Promise<AuthenticatorInfo> {
    const map = asMap(await this.command(Ctap2Command.GET_INFO, null), 'getInfo answer');
    const options = map.get(0x04);
    return {
      versions: (map.get(0x01) as string[]) ?? [],
      extensions: (map.get(0x02) as string[]) ?? [],
      aaguid: bytes(map.get(0x03), 'aaguid'),
      options: options instanceof Map ? Object.fromEntries(options) : {},
      pinUvAuthProtocols: (map.get(0x06) as number[]) ?? [],
    };
  }

  /** §6.1 authenticatorMakeCredential. */
  async makeCredential(params: MakeCredentialParams, options?: TransactOptions): Promise<MakeCredentialResponse> {
    const request = new Map<number, CborValue>([
      [0x01, params.clientDataHash],
      [0x02, { id: params.rp.id, name: params.rp.name }],
      [0x03, { id: params.user.id, name: params.user.name, displayName: params.user.displayName }],
      [0x04, params.pubKeyCredParams.map((p) => ({ alg: p.alg, type: p.type }))],
    ]);
    const exclude = descriptorsCbor(params.excludeList);
    if (exclude) request.set(0x05, exclude);
    setOptionsAndAuth(request, 0x07, params);
    const map = asMap(await this.command(Ctap2Command.MAKE_CREDENTIAL, request, options), 'makeCredential answer');
    return {
      fmt: String(map.get(0x01)),
      authData: bytes(map.get(0x02), 'authData'),
      attStmt: (map.get(0x03) as Map<unknown, unknown>) ?? new Map(),
    };
  }

  /** §6.2 authenticatorGetAssertion. */
  async getAssertion(params: GetAssertionParams, options?: TransactOptions): Promise<GetAssertionResponse> {
    const request = new Map<number, CborValue>([
      [0x01, params.rpId],
      [0x02, params.clientDataHash],
    ]);
    const allow = descriptorsCbor(params.allowList);
    if (allow) request.set(0x03, allow);
    setOptionsAndAuth(request, 0x05, params);
    return assertionOf(await this.command(Ctap2Command.GET_ASSERTION, request, options));
  }

  /** §6.3 authenticatorGetNextAssertion: the next of `numberOfCredentials`. */
  async getNextAssertion(): Promise<GetAssertionResponse> {
    return assertionOf(await this.command(Ctap2Command.GET_NEXT_ASSERTION, null));
  }

  private clientPin(subCommand: number, params: [number, CborValue][] = [], options?: TransactOptions): Promise<CborMap | null> {
    return this.command(
      Ctap2Command.CLIENT_PIN,
      new Map<number, CborValue>([[0x01, PIN_UV_AUTH_PROTOCOL_TWO], [0x02, subCommand], ...params]),
      options,
    );
  }

  /** §6.5.5.2 getPINRetries: the tries left before the PIN is blocked. */
  async getPinRetries(): Promise<number> {
    const map = asMap(await this.clientPin(ClientPinSubcommand.GET_PIN_RETRIES), 'getPINRetries answer');
    return Number(map.get(0x03));
  }

  /** §6.5.5.3 getKeyAgreement, then ECDH: the platform's key (COSE) and the shared secret. */
  async keyAgreement(): Promise<{ platformKey: Map<number, number | Uint8Array>; shared: Uint8Array }> {
    const map = asMap(await this.clientPin(ClientPinSubcommand.GET_KEY_AGREEMENT), 'getKeyAgreement answer');
    const pair = generateKeyPair();
    return { platformKey: coseKeyAgreement(pair.publicKey), shared: sharedSecret(pair.privateKey, map.get(0x01)) };
  }

  /** §6.5.5.5 setPIN, on a key without one. */
  async setPin(pin: string): Promise<void> {
    const { platformKey, shared } = await this.keyAgreement();
    const newPinEnc = await encrypt(shared, paddedPin(pin), this.randomBytes);
    await this.clientPin(ClientPinSubcommand.SET_PIN, [
      [0x03, platformKey],
      [0x04, authenticate(shared, newPinEnc)],
      [0x05, newPinEnc],
    ]);
  }

  /** §6.5.5.6 changePIN. */
  async changePin(current: string, next: string): Promise<void> {
    const { platformKey, shared } = await this.keyAgreement();
    const newPinEnc = await encrypt(shared, paddedPin(next), this.randomBytes);
    const pinHashEnc = await encrypt(shared, pinHash(current), this.randomBytes);
    await this.clientPin(ClientPinSubcommand.CHANGE_PIN, [
      [0x03, platformKey],
      [0x04, authenticate(shared, concat(newPinEnc, pinHashEnc))],
      [0x05, newPinEnc],
      [0x06, pinHashEnc],
    ]);
  }

  /**
   * §6.5.5.7.2 getPinUvAuthTokenUsingPinWithPermissions: the PIN's hash goes encrypted under the
   * shared secret; the token comes back encrypted under it. A wrong PIN is CTAP2_ERR_PIN_INVALID
   * (and costs one of the retries), a blocked one CTAP2_ERR_PIN_BLOCKED.
   */
  async pinUvAuthToken(pin: string, permissions: number, rpId?: string): Promise<Uint8Array> {
    const { platformKey, shared } = await this.keyAgreement();
    const pinHashEnc = await encrypt(shared, pinHash(pin), this.randomBytes);
    const params: [number, CborValue][] = [
      [0x03, platformKey],
      [0x06, pinHashEnc],
      [0x09, permissions],
    ];
    if (rpId !== undefined) params.push([0x0a, rpId]);
    const map = asMap(
      await this.clientPin(ClientPinSubcommand.GET_PIN_UV_AUTH_TOKEN_USING_PIN_WITH_PERMISSIONS, params),
      'pinUvAuthToken answer',
    );
    return decrypt(shared, bytes(map.get(0x02), 'pinUvAuthToken'));
  }

  private async credMgmt(token: Uint8Array, subCommand: number, subParams?: Map<number, CborValue>): Promise<CborMap | null> {
    // §6.8: pinUvAuthParam = authenticate(pinUvAuthToken, subCommand || subCommandParams).
    const message = subParams ? concat(new Uint8Array([subCommand]), encodeCanonical(subParams)) : new Uint8Array([subCommand]);
    const request = new Map<number, CborValue>([[0x01, subCommand]]);
    if (subParams) request.set(0x02, subParams);
    request.set(0x03, PIN_UV_AUTH_PROTOCOL_TWO);
    request.set(0x04, authenticate(token, message));
    return this.command(Ctap2Command.CREDENTIAL_MANAGEMENT, request);
  }

  /** §6.8.2 getCredsMetadata. */
  async credsMetadata(token: Uint8Array): Promise<{ existing: number; remaining: number }> {
    const map = asMap(await this.credMgmt(token, CredMgmtSubcommand.GET_CREDS_METADATA), 'getCredsMetadata answer');
    return { existing: Number(map.get(0x01)), remaining: Number(map.get(0x02)) };
  }

  /**
   * §6.8.3 enumerateRPsBegin / GetNextRP, then §6.8.4 enumerateCredentialsBegin /
   * GetNextCredential for each: every discoverable credential on the key.
   */
  async listCredentials(token: Uint8Array): Promise<ResidentCredential[]> {
    let first: CborMap | null;
    try {
      first = await this.credMgmt(token, CredMgmtSubcommand.ENUMERATE_RPS_BEGIN);
    } catch (error) {
      if (error instanceof CtapStatusError && error.status === CtapStatusCode.CTAP2_ERR_NO_CREDENTIALS) return [];
      throw error;
    }
    const rps: { id: string; hash: Uint8Array }[] = [];
    const total = Number(first?.get(0x05) ?? 0);
    let rp = first;
    for (let i = 0; i < total; i++) {
      if (i > 0) rp = await this.credMgmt(token, CredMgmtSubcommand.ENUMERATE_RPS_GET_NEXT_RP);
      const entity = rp?.get(0x03);
      const id = entity instanceof Map ? entity.get('id') : undefined;
      rps.push({ id: String(id), hash: bytes(rp?.get(0x04), 'rpIDHash') });
    }
    const credentials: ResidentCredential[] = [];
    for (const { id, hash } of rps) {
      const firstCredential = await this.credMgmt(token, CredMgmtSubcommand.ENUMERATE_CREDENTIALS_BEGIN, new Map([[0x01, hash]]));
      const count = Number(firstCredential?.get(0x09) ?? 0);
      let entry = firstCredential;
      for (let i = 0; i < count; i++) {
        if (i > 0) entry = await this.credMgmt(token, CredMgmtSubcommand.ENUMERATE_CREDENTIALS_GET_NEXT_CREDENTIAL);
        credentials.push({
          rpId: id,
          rpIdHash: hash,
          user: user(entry?.get(0x06)),
          credentialId: descriptor(entry?.get(0x07)).id,
          publicKey: (entry?.get(0x08) as Map<unknown, unknown>) ?? new Map(),
        });
      }
    }
    return credentials;
  }

  /** §6.8.5 deleteCredential. */
  async deleteCredential(token: Uint8Array, credentialId: Uint8Array): Promise<void> {
    await this.credMgmt(token, CredMgmtSubcommand.DELETE_CREDENTIAL, new Map([[0x02, { id: credentialId, type: 'public-key' }]]));
  }

  /** §6.8.6 updateUserInformation: name and displayName of the credential's user. */
  async updateUserInformation(
    token: Uint8Array,
    credentialId: Uint8Array,
    newUser: { id: Uint8Array; name?: string; displayName?: string },
  ): Promise<void> {
    await this.credMgmt(
      token,
      CredMgmtSubcommand.UPDATE_USER_INFORMATION,
      new Map<number, CborValue>([
        [0x02, { id: credentialId, type: 'public-key' }],
        [0x03, { id: newUser.id, name: newUser.name, displayName: newUser.displayName }],
      ]),
    );
  }
}

function assertionOf(value: CborMap | null): GetAssertionResponse {
  const map = asMap(value, 'getAssertion answer');
  const count = map.get(0x05);
  return {
    credential: descriptor(map.get(0x01)),
    authData: bytes(map.get(0x02), 'authData'),
    signature: bytes(map.get(0x03), 'signature'),
    ...(map.has(0x04) ? { user: user(map.get(0x04)) } : {}),
    ...(typeof count === 'number' ? { numberOfCredentials: count } : {}),
  };
}

/** pinUvAuthParam for makeCredential / getAssertion: authenticate(pinUvAuthToken, clientDataHash) (§6.1.1, §6.2.1). */
export function pinUvAuthParamFor(token: Uint8Array, clientDataHash: Uint8Array): Uint8Array {
  return authenticate(token, clientDataHash);
}

export { Permission };
