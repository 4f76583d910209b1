/**
 * A security key in software: Latchkey's own authenticator (src/authenticator) behind the CTAP 2.1
 * CBOR command layer, with ClientPIN (PIN/UV auth protocol 2 only) and CredentialManagement. It
 * takes a CTAPHID_CBOR request (command byte || CBOR map) and answers status byte || CBOR map, as
 * a key does. Used by the tests and by the native host's `--simulated-key` mode; never by a real
 * ceremony with a real key.
 */
import { getAssertion } from '../../authenticator/getAssertion';
import { makeCredential } from '../../authenticator/makeCredential';
import { CtapError, type AuthenticatorEnvironment, type UserDecision, type UserPrompt } from '../../authenticator/types';
import type { CredentialRecord, CredentialStore } from '../../vault/credentialRecord';
import { createMemoryCredentialStore } from '../../vault/memoryCredentialStore';
import { toBase64url } from '../../webauthn/base64url';
import { concat, equalBytes, sha256, utf8 } from '../../webauthn/bytes';
import { decode, encodeCanonical, type CborValue } from '../../webauthn/cbor';
import { ClientPinSubcommand, CredMgmtSubcommand, Ctap2Command, CtapStatusCode, Permission } from '../ctap2Constants';
import { KeepaliveStatus } from '../ctaphidFraming';
import {
  PIN_UV_AUTH_PROTOCOL_TWO,
  coseKeyAgreement,
  decrypt,
  encrypt,
  generateKeyPair,
  sharedSecret,
  verify,
  type KeyPair,
} from '../pinUvAuthProtocolTwo';
import { MAX_PIN_RETRIES, type SimulatedKeyState } from './simulatedKeyState';

/** The simulated key's AAGUID: "Latchkey simulated security key", not a real model. */
export const SIMULATED_KEY_AAGUID = new Uint8Array([
  0x6c, 0x61, 0x74, 0x63, 0x68, 0x6b, 0x65, 0x79, 0x2d, 0x73, 0x69, 0x6d, 0x2d, 0x6b, 0x65, 0x79,
]);
const MAX_RESIDENT_CREDENTIALS = 25;

export interface CommandContext {
  /** Aborted by CTAPHID_CANCEL. */
  signal: AbortSignal;
  /** What the next keep-alives say: processing, or waiting for a touch. */
  setStatus(status: number): void;
}

export interface SimulatedUser {
  /** Resolves when the person touches the key; rejects when the command is cancelled. Default: a touch after `touchDelayMs`. */
  touch(signal: AbortSignal): Promise<void>;
}

export function touchAfter(ms: number): SimulatedUser {
  return {
    touch: (signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal.aborted) return reject(signal.reason);
        const timer = setTimeout(resolve, ms);
        signal.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            reject(signal.reason);
          },
          { once: true },
        );
      }),
  };
}

class Status extends Error {
  constructor(readonly code: number) {
    super(`CTAP status 0x${code.toString(16)}`);
  }
}

const CORE_STATUS: Record<string, number> = {
  CTAP2_ERR_CREDENTIAL_EXCLUDED: CtapStatusCode.CTAP2_ERR_CREDENTIAL_EXCLUDED,
  CTAP2_ERR_UNSUPPORTED_ALGORITHM: CtapStatusCode.CTAP2_ERR_UNSUPPORTED_ALGORITHM,
  CTAP2_ERR_OPERATION_DENIED: CtapStatusCode.CTAP2_ERR_OPERATION_DENIED,
  CTAP2_ERR_NO_CREDENTIALS: CtapStatusCode.CTAP2_ERR_NO_CREDENTIALS,
  CTAP2_ERR_UNSUPPORTED_OPTION: CtapStatusCode.CTAP2_ERR_UNSUPPORTED_OPTION,
  CTAP2_ERR_KEEPALIVE_CANCEL: CtapStatusCode.CTAP2_ERR_KEEPALIVE_CANCEL,
  CTAP2_ERR_PUAT_REQUIRED: CtapStatusCode.CTAP2_ERR_PUAT_REQUIRED,
  CTAP1_ERR_INVALID_PARAMETER: CtapStatusCode.CTAP1_ERR_INVALID_PARAMETER,
};

function field(map: Map<unknown, unknown>, key: unknown): unknown {
  return map.get(key);
}

function requireBytes(value: unknown): Uint8Array {
  if (value === undefined) throw new Status(CtapStatusCode.CTAP2_ERR_MISSING_PARAMETER);
  if (!(value instanceof Uint8Array)) throw new Status(CtapStatusCode.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);
  return value;
}

function requireMap(value: unknown): Map<unknown, unknown> {
  if (value === undefined) throw new Status(CtapStatusCode.CTAP2_ERR_MISSING_PARAMETER);
  if (!(value instanceof Map)) throw new Status(CtapStatusCode.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);
  return value;
}

function requireString(value: unknown): string {
  if (value === undefined) throw new Status(CtapStatusCode.CTAP2_ERR_MISSING_PARAMETER);
  if (typeof value !== 'string') throw new Status(CtapStatusCode.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);
  return value;
}

function optionalString(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

interface Token {
  value: Uint8Array;
  permissions: number;
  rpId: string | null;
}

export class SimulatedAuthenticator {
  private keyAgreement: KeyPair = generateKeyPair();
  private token: Token | null = null;
  private readonly store: CredentialStore = createMemoryCredentialStore();
  private nextAssertions: { ids: string[]; request: { rpId: string; clientDataHash: Uint8Array; verified: boolean } } | null =
    null;
  private rpQueue: string[] = [];
  private credentialQueue: CredentialRecord[] = [];
  private loaded: Promise<void>;

  constructor(
    private readonly state: SimulatedKeyState,
    private readonly user: SimulatedUser,
    private readonly persist: (state: SimulatedKeyState) => Promise<void> = async () => undefined,
  ) {
    this.loaded = (async () => {
      for (const record of state.credentials) await this.store.add(record);
    })();
  }

  get pinSet(): boolean {
    return this.state.pinHash !== null;
  }

  get pinRetries(): number {
    return this.state.pinRetries;
  }

  async credentials(): Promise<CredentialRecord[]> {
    await this.loaded;
    return this.store.list();
  }

  private async save(): Promise<void> {
    this.state.credentials = await this.store.list();
    await this.persist(this.state);
  }

  /** One CTAPHID_CBOR request → its answer: status byte, then the CBOR map if any. */
  async handle(request: Uint8Array, context: CommandContext): Promise<Uint8Array> {
    await this.loaded;
    const answer = await this.answer(request, context);
    if (answer.length === 1 && answer[0] === CtapStatusCode.CTAP2_ERR_KEEPALIVE_CANCEL) {
      this.state.cancelledCommands++;
      await this.persist(this.state).catch(() => undefined);
    }
    return answer;
  }

  private async answer(request: Uint8Array, context: CommandContext): Promise<Uint8Array> {
    try {
      const command = request[0];
      if (command === undefined) throw new Status(CtapStatusCode.CTAP1_ERR_INVALID_LENGTH);
      let params = new Map<unknown, unknown>();
      if (request.length > 1) {
        let decoded: unknown;
        try {
          decoded = decode(request.subarray(1));
        } catch {
          throw new Status(CtapStatusCode.CTAP2_ERR_INVALID_CBOR);
        }
        params = requireMap(decoded);
      }
      const answer = await this.dispatch(command, params, context);
      return answer ? concat(new Uint8Array([0]), encodeCanonical(answer)) : new Uint8Array([0]);
    } catch (error) {
      if (error instanceof Status) return new Uint8Array([error.code]);
      if (error instanceof CtapError) return new Uint8Array([CORE_STATUS[error.status] ?? CtapStatusCode.CTAP1_ERR_OTHER]);
      if (context.signal.aborted) return new Uint8Array([CtapStatusCode.CTAP2_ERR_KEEPALIVE_CANCEL]);
      return new Uint8Array([CtapStatusCode.CTAP1_ERR_OTHER]);
    }
  }

  private dispatch(
    command: number,
    params: Map<unknown, unknown>,
    context: CommandContext,
  ): Promise<Map<number, CborValue> | null> | Map<number, CborValue> {
    switch (command) {
      case Ctap2Command.GET_INFO:
        return this.getInfo();
      case Ctap2Command.MAKE_CREDENTIAL:
        return this.makeCredential(params, context);
      case Ctap2Command.GET_ASSERTION:
        return this.getAssertion(params, context);
      case Ctap2Command.GET_NEXT_ASSERTION:
        return this.getNextAssertion(context);
      case Ctap2Command.CLIENT_PIN:
        return this.clientPin(params);
      case Ctap2Command.CREDENTIAL_MANAGEMENT:
        return this.credentialManagement(params);
      default:
        throw new Status(CtapStatusCode.CTAP1_ERR_INVALID_COMMAND);
    }
  }

  private getInfo(): Map<number, CborValue> {
    return new Map<number, CborValue>([
      [0x01, ['FIDO_2_0', 'FIDO_2_1']],
      [0x02, []],
      [0x03, SIMULATED_KEY_AAGUID],
      [0x04, { rk: true, up: true, clientPin: this.pinSet, credMgmt: true, pinUvAuthToken: true }],
      [0x05, 1200],
      [0x06, [PIN_UV_AUTH_PROTOCOL_TWO]],
    ]);
  }

  /** The environment the software authenticator runs in: the touch is user presence, a checked token is user verification. */
  private environment(context: CommandContext, verified: boolean, chosenId?: string, touch = true): AuthenticatorEnvironment {
    const user = this.user;
    return {
      store: this.store,
      randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)),
      now: () => Date.now(),
      aaguid: SIMULATED_KEY_AAGUID,
      userVerificationAvailable: verified,
      supportsLargeBlob: false,
      ui: {
        async prompt(request: UserPrompt): Promise<UserDecision> {
          if (request.kind === 'inform-no-credentials-found') return { outcome: 'cancel' };
          if (touch) await waitForTouch(user, context);
          if (request.kind === 'request-existing-credential') {
            return { outcome: 'approve', verified, credentialId: chosenId ?? request.candidates[0]?.id };
          }
          return { outcome: 'approve', verified };
        },
      },
    };
  }

  /** §6.1.2 steps on pinUvAuthParam: verify it with the current token, which must carry the permission (and the rpId, if bound). */
  private checkPinUvAuthParam(
    params: Map<unknown, unknown>,
    paramKey: number,
    protocolKey: number,
    message: Uint8Array,
    permission: number,
    rpId: string | null,
  ): boolean {
    const param = field(params, paramKey);
    if (param === undefined) {
      if (this.pinSet && permission === Permission.MC) throw new Status(CtapStatusCode.CTAP2_ERR_PUAT_REQUIRED);
      return false;
    }
    if (field(params, protocolKey) !== PIN_UV_AUTH_PROTOCOL_TWO) throw new Status(CtapStatusCode.CTAP1_ERR_INVALID_PARAMETER);
    const token = this.token;
    if (!token || !verify(token.value, message, requireBytes(param))) throw new Status(CtapStatusCode.CTAP2_ERR_PIN_AUTH_INVALID);
    if ((token.permissions & permission) === 0) throw new Status(CtapStatusCode.CTAP2_ERR_PIN_AUTH_INVALID);
    if (rpId !== null && token.rpId !== null && token.rpId !== rpId) throw new Status(CtapStatusCode.CTAP2_ERR_PIN_AUTH_INVALID);
    return true;
  }

  private async makeCredential(params: Map<unknown, unknown>, context: CommandContext): Promise<Map<number, CborValue>> {
    const clientDataHash = requireBytes(field(params, 0x01));
    const rp = requireMap(field(params, 0x02));
    const user = requireMap(field(params, 0x03));
    const pubKeyCredParams = field(params, 0x04);
    if (!Array.isArray(pubKeyCredParams)) throw new Status(CtapStatusCode.CTAP2_ERR_MISSING_PARAMETER);
    const rpId = requireString(rp.get('id'));
    const options =
      field(params, 0x07) instanceof Map ? (field(params, 0x07) as Map<string, unknown>) : new Map<string, unknown>();
    const verified = this.checkPinUvAuthParam(params, 0x08, 0x09, clientDataHash, Permission.MC, rpId);
    const excludeList = Array.isArray(field(params, 0x05)) ? (field(params, 0x05) as Map<string, unknown>[]) : [];
    const result = await makeCredential(this.environment(context, verified), {
      clientDataHash,
      rp: { id: rpId, name: optionalString(rp.get('name')) },
      user: {
        id: requireBytes(user.get('id')),
        name: optionalString(user.get('name')),
        displayName: optionalString(user.get('displayName')),
      },
      pubKeyCredParams: pubKeyCredParams.map((p: Map<string, unknown>) => ({
        type: String(p.get('type')),
        alg: Number(p.get('alg')),
      })),
      excludeList: excludeList.map((d) => ({ type: String(d.get('type')), id: requireBytes(d.get('id')) })),
      options: { rk: options.get('rk') === true, uv: verified },
      attestation: 'packed',
      signal: context.signal,
    });
    await this.save();
    const attestation = decode(result.attestationObject) as Map<string, CborValue>;
    return new Map<number, CborValue>([
      [0x01, attestation.get('fmt')!],
      [0x02, result.authenticatorData],
      [0x03, attestation.get('attStmt')!],
    ]);
  }

  private async getAssertion(params: Map<unknown, unknown>, context: CommandContext): Promise<Map<number, CborValue>> {
    const rpId = requireString(field(params, 0x01));
    const clientDataHash = requireBytes(field(params, 0x02));
    const verified = this.checkPinUvAuthParam(params, 0x06, 0x07, clientDataHash, Permission.GA, rpId);
    const allowList = Array.isArray(field(params, 0x03)) ? (field(params, 0x03) as Map<string, unknown>[]) : [];
    const options =
      field(params, 0x05) instanceof Map ? (field(params, 0x05) as Map<string, unknown>) : new Map<string, unknown>();
    const up = options.get('up') !== false;
    this.nextAssertions = null;
    let ids: string[];
    if (allowList.length) {
      const wanted = new Set(allowList.map((d) => toBase64url(requireBytes(d.get('id')))));
      ids = (await this.store.listByRpId(rpId))
        .filter((r) => wanted.has(r.id))
        .map((r) => r.id)
        .slice(0, 1);
    } else {
      ids = (await this.store.listByRpId(rpId)).filter((r) => r.discoverable).map((r) => r.id);
    }
    if (ids.length === 0) {
      // §6.2.2: with up, a key waits for a touch before saying there is nothing, so a page learns nothing without the person.
      if (up) await waitForTouch(this.user, context);
      throw new Status(CtapStatusCode.CTAP2_ERR_NO_CREDENTIALS);
    }
    const answer = await this.assert(rpId, clientDataHash, ids[0]!, verified, up, context, true, allowList.length === 0);
    if (ids.length > 1) {
      answer.set(0x05, ids.length);
      this.nextAssertions = { ids: ids.slice(1), request: { rpId, clientDataHash, verified } };
    }
    return answer;
  }

  /** §6.3 authenticatorGetNextAssertion: the remaining credentials of the last getAssertion, without another touch. */
  private async getNextAssertion(context: CommandContext): Promise<Map<number, CborValue>> {
    const pending = this.nextAssertions;
    const id = pending?.ids.shift();
    if (!pending || id === undefined) throw new Status(CtapStatusCode.CTAP2_ERR_NOT_ALLOWED);
    const { rpId, clientDataHash, verified } = pending.request;
    return this.assert(rpId, clientDataHash, id, verified, true, context, false, true);
  }

  private async assert(
    rpId: string,
    clientDataHash: Uint8Array,
    id: string,
    verified: boolean,
    up: boolean,
    context: CommandContext,
    touch: boolean,
    discoverable: boolean,
  ): Promise<Map<number, CborValue>> {
    const record = (await this.store.get(id))!;
    const result = await getAssertion(this.environment(context, verified, id, touch), {
      rpId,
      clientDataHash,
      allowList: [{ type: 'public-key', id: record.credentialId }],
      options: { up, uv: verified },
      signal: context.signal,
    });
    await this.save();
    const answer = new Map<number, CborValue>([
      [0x01, { id: result.credentialId, type: 'public-key' }],
      [0x02, result.authenticatorData],
      [0x03, result.signature],
    ]);
    if (discoverable || record.discoverable) {
      // §6.2.2: "User identifiable information (name, DisplayName, icon) MUST NOT be returned if user verification is not done by the authenticator."
      answer.set(
        0x04,
        verified
          ? { id: record.userHandle, name: record.userName, displayName: record.userDisplayName }
          : { id: record.userHandle },
      );
    }
    return answer;
  }

  private async clientPin(params: Map<unknown, unknown>): Promise<Map<number, CborValue> | null> {
    const subCommand = field(params, 0x02);
    if (subCommand !== ClientPinSubcommand.GET_PIN_RETRIES && subCommand !== ClientPinSubcommand.GET_KEY_AGREEMENT) {
      if (field(params, 0x01) !== PIN_UV_AUTH_PROTOCOL_TWO) throw new Status(CtapStatusCode.CTAP1_ERR_INVALID_PARAMETER);
    }
    switch (subCommand) {
      case ClientPinSubcommand.GET_PIN_RETRIES:
        return new Map<number, CborValue>([[0x03, this.state.pinRetries]]);
      case ClientPinSubcommand.GET_KEY_AGREEMENT:
        if (field(params, 0x01) !== PIN_UV_AUTH_PROTOCOL_TWO) throw new Status(CtapStatusCode.CTAP1_ERR_INVALID_PARAMETER);
        return new Map<number, CborValue>([[0x01, coseKeyAgreement(this.keyAgreement.publicKey)]]);
      case ClientPinSubcommand.SET_PIN: {
        if (this.pinSet) throw new Status(CtapStatusCode.CTAP2_ERR_NOT_ALLOWED);
        const shared = this.shared(params);
        const newPinEnc = requireBytes(field(params, 0x05));
        if (!verify(shared, newPinEnc, requireBytes(field(params, 0x04))))
          throw new Status(CtapStatusCode.CTAP2_ERR_PIN_AUTH_INVALID);
        await this.storeNewPin(shared, newPinEnc);
        return null;
      }
      case ClientPinSubcommand.CHANGE_PIN: {
        const shared = this.shared(params);
        const newPinEnc = requireBytes(field(params, 0x05));
        const pinHashEnc = requireBytes(field(params, 0x06));
        if (!verify(shared, concat(newPinEnc, pinHashEnc), requireBytes(field(params, 0x04))))
          throw new Status(CtapStatusCode.CTAP2_ERR_PIN_AUTH_INVALID);
        await this.checkPin(shared, pinHashEnc);
        await this.storeNewPin(shared, newPinEnc);
        return null;
      }
      case ClientPinSubcommand.GET_PIN_UV_AUTH_TOKEN_USING_PIN_WITH_PERMISSIONS: {
        const permissions = field(params, 0x09);
        if (typeof permissions !== 'number' || permissions === 0) throw new Status(CtapStatusCode.CTAP1_ERR_INVALID_PARAMETER);
        const rpId = field(params, 0x0a);
        if ((permissions & (Permission.MC | Permission.GA)) !== 0 && typeof rpId !== 'string')
          throw new Status(CtapStatusCode.CTAP2_ERR_MISSING_PARAMETER);
        const shared = this.shared(params);
        await this.checkPin(shared, requireBytes(field(params, 0x06)));
        const value = crypto.getRandomValues(new Uint8Array(32));
        this.token = { value, permissions, rpId: typeof rpId === 'string' ? rpId : null };
        return new Map<number, CborValue>([
          [0x02, await encrypt(shared, value, (n) => crypto.getRandomValues(new Uint8Array(n)))],
        ]);
      }
      default:
        // CTAP2_ERR_INVALID_SUBCOMMAND: getPinToken (protocol 1's way) and the UV subcommands are not simulated.
        throw new Status(0x3e);
    }
  }

  private shared(params: Map<unknown, unknown>): Uint8Array {
    const platformKey = field(params, 0x03);
    if (platformKey === undefined) throw new Status(CtapStatusCode.CTAP2_ERR_MISSING_PARAMETER);
    try {
      return sharedSecret(this.keyAgreement.privateKey, platformKey);
    } catch {
      throw new Status(CtapStatusCode.CTAP1_ERR_INVALID_PARAMETER);
    }
  }

  /**
   * §6.5.5.7.2: "If pinRetries counter is 0, return CTAP2_ERR_PIN_BLOCKED. [...] Decrement the
   * pinRetries counter by 1. [...] If the PIN hashes do not match: [...] regenerate the key
   * agreement key [...] If the pinRetries counter is 0, return CTAP2_ERR_PIN_BLOCKED, else
   * CTAP2_ERR_PIN_INVALID." A matching PIN resets the counter to its maximum.
   */
  private async checkPin(shared: Uint8Array, pinHashEnc: Uint8Array): Promise<void> {
    if (!this.state.pinHash) throw new Status(CtapStatusCode.CTAP2_ERR_PIN_NOT_SET);
    if (this.state.pinRetries <= 0) throw new Status(CtapStatusCode.CTAP2_ERR_PIN_BLOCKED);
    this.state.pinRetries--;
    await this.persist(this.state);
    let given: Uint8Array;
    try {
      given = await decrypt(shared, pinHashEnc);
    } catch {
      throw new Status(CtapStatusCode.CTAP2_ERR_PIN_AUTH_INVALID);
    }
    if (!equalBytes(given, this.state.pinHash)) {
      this.keyAgreement = generateKeyPair();
      throw new Status(this.state.pinRetries === 0 ? CtapStatusCode.CTAP2_ERR_PIN_BLOCKED : CtapStatusCode.CTAP2_ERR_PIN_INVALID);
    }
    this.state.pinRetries = MAX_PIN_RETRIES;
    await this.persist(this.state);
  }

  private async storeNewPin(shared: Uint8Array, newPinEnc: Uint8Array): Promise<void> {
    let padded: Uint8Array;
    try {
      padded = await decrypt(shared, newPinEnc);
    } catch {
      throw new Status(CtapStatusCode.CTAP2_ERR_PIN_AUTH_INVALID);
    }
    if (padded.length < 64) throw new Status(CtapStatusCode.CTAP2_ERR_PIN_POLICY_VIOLATION);
    const end = padded.indexOf(0);
    const pin = padded.subarray(0, end === -1 ? padded.length : end);
    // §6.5.5.5: "minimum PIN length [...] 4 code points"; counted here in bytes, which is stricter only for non-ASCII PINs.
    if (pin.length < 4) throw new Status(CtapStatusCode.CTAP2_ERR_PIN_POLICY_VIOLATION);
    this.state.pinHash = sha256(pin).slice(0, 16);
    this.state.pinRetries = MAX_PIN_RETRIES;
    this.token = null;
    await this.persist(this.state);
  }

  /** §6.8 authenticatorCredentialManagement: every subcommand needs a token with the cm permission. */
  private async credentialManagement(params: Map<unknown, unknown>): Promise<Map<number, CborValue> | null> {
    const subCommand = field(params, 0x01);
    if (typeof subCommand !== 'number') throw new Status(CtapStatusCode.CTAP2_ERR_MISSING_PARAMETER);
    const subParams = field(params, 0x02);
    if (
      subCommand !== CredMgmtSubcommand.ENUMERATE_RPS_GET_NEXT_RP &&
      subCommand !== CredMgmtSubcommand.ENUMERATE_CREDENTIALS_GET_NEXT_CREDENTIAL
    ) {
      if (field(params, 0x04) === undefined) throw new Status(CtapStatusCode.CTAP2_ERR_PUAT_REQUIRED);
      const message =
        subParams === undefined
          ? new Uint8Array([subCommand])
          : concat(new Uint8Array([subCommand]), encodeCanonical(subParams as CborValue));
      this.checkPinUvAuthParam(params, 0x04, 0x03, message, Permission.CM, null);
    }
    const discoverable = (await this.store.list()).filter((r) => r.discoverable);
    switch (subCommand) {
      case CredMgmtSubcommand.GET_CREDS_METADATA:
        return new Map<number, CborValue>([
          [0x01, discoverable.length],
          [0x02, Math.max(0, MAX_RESIDENT_CREDENTIALS - discoverable.length)],
        ]);
      case CredMgmtSubcommand.ENUMERATE_RPS_BEGIN: {
        const rpIds = [...new Set(discoverable.map((r) => r.rpId))];
        if (rpIds.length === 0) throw new Status(CtapStatusCode.CTAP2_ERR_NO_CREDENTIALS);
        this.rpQueue = rpIds.slice(1);
        return new Map<number, CborValue>([...rpEntry(rpIds[0]!), [0x05, rpIds.length]]);
      }
      case CredMgmtSubcommand.ENUMERATE_RPS_GET_NEXT_RP: {
        const rpId = this.rpQueue.shift();
        if (rpId === undefined) throw new Status(CtapStatusCode.CTAP2_ERR_NOT_ALLOWED);
        return new Map<number, CborValue>(rpEntry(rpId));
      }
      case CredMgmtSubcommand.ENUMERATE_CREDENTIALS_BEGIN: {
        const hash = requireBytes(requireMap(subParams).get(0x01));
        const ofRp = discoverable.filter((r) => equalBytes(sha256(utf8(r.rpId)), hash));
        if (ofRp.length === 0) throw new Status(CtapStatusCode.CTAP2_ERR_NO_CREDENTIALS);
        this.credentialQueue = ofRp.slice(1);
        return new Map<number, CborValue>([...credentialEntry(ofRp[0]!), [0x09, ofRp.length]]);
      }
      case CredMgmtSubcommand.ENUMERATE_CREDENTIALS_GET_NEXT_CREDENTIAL: {
        const record = this.credentialQueue.shift();
        if (!record) throw new Status(CtapStatusCode.CTAP2_ERR_NOT_ALLOWED);
        return new Map<number, CborValue>(credentialEntry(record));
      }
      case CredMgmtSubcommand.DELETE_CREDENTIAL: {
        const id = toBase64url(requireBytes(requireMap(requireMap(subParams).get(0x02)).get('id')));
        if (!(await this.store.get(id))) throw new Status(CtapStatusCode.CTAP2_ERR_NO_CREDENTIALS);
        await this.store.delete(id);
        await this.save();
        return null;
      }
      case CredMgmtSubcommand.UPDATE_USER_INFORMATION: {
        const map = requireMap(subParams);
        const id = toBase64url(requireBytes(requireMap(map.get(0x02)).get('id')));
        const newUser = requireMap(map.get(0x03));
        const record = await this.store.get(id);
        if (!record) throw new Status(CtapStatusCode.CTAP2_ERR_NO_CREDENTIALS);
        // §6.8.6: "If the user.id [...] does not match the user.id of the credential, return CTAP1_ERR_INVALID_PARAMETER."
        if (!equalBytes(requireBytes(newUser.get('id')), record.userHandle))
          throw new Status(CtapStatusCode.CTAP1_ERR_INVALID_PARAMETER);
        await this.store.update(id, (r) => ({
          ...r,
          userName: optionalString(newUser.get('name')),
          userDisplayName: optionalString(newUser.get('displayName')),
        }));
        await this.save();
        return null;
      }
      default:
        throw new Status(0x3e);
    }
  }
}

/** User presence: keep-alives say UPNEEDED until the touch; a CTAPHID_CANCEL ends the wait with KEEPALIVE_CANCEL. */
async function waitForTouch(user: SimulatedUser, context: CommandContext): Promise<void> {
  context.setStatus(KeepaliveStatus.UPNEEDED);
  try {
    await user.touch(context.signal);
  } catch {
    throw new Status(CtapStatusCode.CTAP2_ERR_KEEPALIVE_CANCEL);
  } finally {
    context.setStatus(KeepaliveStatus.PROCESSING);
  }
}

function rpEntry(rpId: string): [number, CborValue][] {
  return [
    [0x03, { id: rpId }],
    [0x04, sha256(utf8(rpId))],
  ];
}

function credentialEntry(record: CredentialRecord): [number, CborValue][] {
  return [
    [0x06, { id: record.userHandle, name: record.userName, displayName: record.userDisplayName }],
    [0x07, { id: record.credentialId, type: 'public-key' }],
    [0x08, decode(record.publicKeyCose) as CborValue],
    [0x0a, 1],
  ];
}
