/**
 * WebIDL conversion of what a page passes to navigator.credentials.create/get into the
 * JSON forms that cross the message boundary. Runs in the page's MAIN world, where the
 * spec's IDL conversion happens: a missing required member or a value of the wrong type
 * is a TypeError thrown synchronously into the page's promise, with Chromium's wording
 * ("Failed to read the 'challenge' property from 'PublicKeyCredentialCreationOptions':
 * Required member is undefined."), so sites see what they would see without Latchkey.
 *
 * Extensions: only those Latchkey implements are carried (unknown ones are ignored, as
 * "the client … MUST ignore any extensions it does not support" says).
 */
import { toBase64url } from './base64url';
import type {
  CredentialMediationRequirement,
  ExtensionInputsJSON,
  PrfValuesJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialDescriptorJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from './types';

type Path = string[];

function fail(path: Path, problem: string): never {
  const reads = path.map((step) => `Failed to read the '${step.split('/')[1]}' property from '${step.split('/')[0]}': `);
  throw new TypeError(reads.join('') + problem);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

function dictionary(value: unknown, path: Path, name: string): Record<string, unknown> {
  // "If V is not an Object, undefined or null, throw a TypeError." undefined/null become {}.
  if (value === undefined || value === null) return {};
  if (!isObject(value)) fail(path, `The provided value is not of type '${name}'.`);
  return value;
}

function required(dict: Record<string, unknown>, member: string, path: Path, dictName: string): unknown {
  const value = dict[member];
  if (value === undefined) fail([...path, `${dictName}/${member}`], 'Required member is undefined.');
  return value;
}

/** DOMString: ECMAScript ToString, which throws for symbols. */
function domString(value: unknown, path: Path): string {
  if (typeof value === 'symbol') fail(path, 'Cannot convert a Symbol value to a string.');
  return String(value);
}

function bufferSource(value: unknown, path: Path): string {
  if (ArrayBuffer.isView(value)) {
    return toBase64url(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  }
  const tag = Object.prototype.toString.call(value);
  if (tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]') {
    return toBase64url(new Uint8Array(value as ArrayBuffer));
  }
  fail(path, "The provided value is not of type '(ArrayBuffer or ArrayBufferView)'.");
}

function sequence<T>(value: unknown, path: Path, convert: (item: unknown, index: number) => T): T[] {
  if (!isObject(value) || typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function') {
    fail(path, 'The provided value cannot be converted to a sequence.');
  }
  return Array.from(value as unknown as Iterable<unknown>, convert);
}

/** `unsigned long` without [EnforceRange]: ToNumber, then modulo 2^32 (NaN and ±∞ become 0). */
function unsignedLong(value: unknown): number {
  const number = Number(value);
  if (!Number.isFinite(number)) return 0;
  const integer = Math.trunc(number) % 2 ** 32;
  return integer < 0 ? integer + 2 ** 32 : integer;
}

function optional<T>(dict: Record<string, unknown>, member: string, convert: (value: unknown) => T): T | undefined {
  const value = dict[member];
  return value === undefined ? undefined : convert(value);
}

function descriptor(value: unknown, path: Path): PublicKeyCredentialDescriptorJSON {
  const dict = dictionary(value, path, 'PublicKeyCredentialDescriptor');
  const name = 'PublicKeyCredentialDescriptor';
  const id = bufferSource(required(dict, 'id', path, name), [...path, `${name}/id`]);
  const transports = optional(dict, 'transports', (v) =>
    sequence(v, [...path, `${name}/transports`], (item) => domString(item, path)),
  );
  const type = domString(required(dict, 'type', path, name), path);
  return { type, id, ...(transports ? { transports } : {}) };
}

function prfValues(value: unknown, path: Path): PrfValuesJSON {
  const name = 'AuthenticationExtensionsPRFValues';
  const dict = dictionary(value, path, name);
  const first = bufferSource(required(dict, 'first', path, name), [...path, `${name}/first`]);
  const second = optional(dict, 'second', (v) => bufferSource(v, [...path, `${name}/second`]));
  return { first, ...(second !== undefined ? { second } : {}) };
}

/** record<DOMString, AuthenticationExtensionsPRFValues>: own enumerable string keys, in order. */
function prfValuesRecord(value: unknown, path: Path): Record<string, PrfValuesJSON> {
  const dict = dictionary(value, path, 'record<DOMString, AuthenticationExtensionsPRFValues>');
  const out: Record<string, PrfValuesJSON> = {};
  for (const key of Object.keys(dict)) out[key] = prfValues(dict[key], path);
  return out;
}

/**
 * AuthenticationExtensionsClientInputs, for the extensions Latchkey implements: credProps,
 * prf (§10.1.4) and largeBlob (§10.1.5). Everything else is left out.
 */
function extensionInputs(value: unknown, path: Path): ExtensionInputsJSON | undefined {
  if (value === undefined) return undefined;
  const dict = dictionary(value, path, 'AuthenticationExtensionsClientInputs');
  const at = (member: string): Path => [...path, `AuthenticationExtensionsClientInputs/${member}`];
  const out: ExtensionInputsJSON = {};
  if (dict.credProps !== undefined) out.credProps = Boolean(dict.credProps);
  if (dict.largeBlob !== undefined) {
    const name = 'AuthenticationExtensionsLargeBlobInputs';
    const blob = dictionary(dict.largeBlob, at('largeBlob'), name);
    const support = optional(blob, 'support', (v) => domString(v, at('largeBlob')));
    const read = optional(blob, 'read', Boolean);
    const write = optional(blob, 'write', (v) => bufferSource(v, [...at('largeBlob'), `${name}/write`]));
    out.largeBlob = { ...(support !== undefined ? { support } : {}), ...(read !== undefined ? { read } : {}), ...(write !== undefined ? { write } : {}) };
  }
  if (dict.prf !== undefined) {
    const name = 'AuthenticationExtensionsPRFInputs';
    const prf = dictionary(dict.prf, at('prf'), name);
    const evaluate = optional(prf, 'eval', (v) => prfValues(v, [...at('prf'), `${name}/eval`]));
    const byCredential = optional(prf, 'evalByCredential', (v) => prfValuesRecord(v, [...at('prf'), `${name}/evalByCredential`]));
    out.prf = { ...(evaluate ? { eval: evaluate } : {}), ...(byCredential ? { evalByCredential: byCredential } : {}) };
  }
  return out;
}

const CREATE = 'PublicKeyCredentialCreationOptions';

/** CredentialCreationOptions.publicKey → PublicKeyCredentialCreationOptionsJSON. */
export function creationOptionsToJSON(publicKey: unknown): PublicKeyCredentialCreationOptionsJSON {
  const root: Path = ['CredentialCreationOptions/publicKey'];
  const dict = dictionary(publicKey, root, CREATE);
  const at = (member: string): Path => [...root, `${CREATE}/${member}`];

  const selection = optional(dict, 'authenticatorSelection', (v) => {
    const sel = dictionary(v, at('authenticatorSelection'), 'AuthenticatorSelectionCriteria');
    return {
      ...(sel.authenticatorAttachment !== undefined ? { authenticatorAttachment: domString(sel.authenticatorAttachment, at('authenticatorSelection')) } : {}),
      requireResidentKey: Boolean(sel.requireResidentKey ?? false),
      ...(sel.residentKey !== undefined ? { residentKey: domString(sel.residentKey, at('authenticatorSelection')) } : {}),
      userVerification: sel.userVerification === undefined ? 'preferred' : domString(sel.userVerification, at('authenticatorSelection')),
    };
  });
  const attestation = optional(dict, 'attestation', (v) => domString(v, at('attestation')));
  const challenge = bufferSource(required(dict, 'challenge', root, CREATE), at('challenge'));
  const excludeCredentials = optional(dict, 'excludeCredentials', (v) =>
    sequence(v, at('excludeCredentials'), (item) => descriptor(item, at('excludeCredentials'))),
  );
  const extensions = extensionInputs(dict.extensions, at('extensions'));
  const hints = optional(dict, 'hints', (v) => sequence(v, at('hints'), (item) => domString(item, at('hints'))));
  const pubKeyCredParams = sequence(required(dict, 'pubKeyCredParams', root, CREATE), at('pubKeyCredParams'), (item) => {
    const path = at('pubKeyCredParams');
    const param = dictionary(item, path, 'PublicKeyCredentialParameters');
    const alg = Number(required(param, 'alg', path, 'PublicKeyCredentialParameters'));
    const type = domString(required(param, 'type', path, 'PublicKeyCredentialParameters'), path);
    // `long alg`: ToNumber then to a 32-bit integer.
    return { type, alg: Number.isFinite(alg) ? Math.trunc(alg) | 0 : 0 };
  });

  const rpValue = required(dict, 'rp', root, CREATE);
  const rp = dictionary(rpValue, at('rp'), 'PublicKeyCredentialRpEntity');
  const rpId = optional(rp, 'id', (v) => domString(v, at('rp')));
  const rpName = domString(required(rp, 'name', at('rp'), 'PublicKeyCredentialRpEntity'), at('rp'));

  const timeout = optional(dict, 'timeout', unsignedLong);

  const userValue = required(dict, 'user', root, CREATE);
  const user = dictionary(userValue, at('user'), 'PublicKeyCredentialUserEntity');
  const userName = 'PublicKeyCredentialUserEntity';
  const userName_ = domString(required(user, 'name', at('user'), userName), at('user'));
  const displayName = domString(required(user, 'displayName', at('user'), userName), at('user'));
  const userId = bufferSource(required(user, 'id', at('user'), userName), [...at('user'), `${userName}/id`]);

  return {
    rp: { ...(rpId !== undefined ? { id: rpId } : {}), name: rpName },
    user: { id: userId, name: userName_, displayName },
    challenge,
    pubKeyCredParams,
    ...(timeout !== undefined ? { timeout } : {}),
    ...(excludeCredentials ? { excludeCredentials } : {}),
    ...(selection ? { authenticatorSelection: selection } : {}),
    ...(hints ? { hints } : {}),
    attestation: attestation ?? 'none',
    ...(extensions ? { extensions } : {}),
  };
}

const GET = 'PublicKeyCredentialRequestOptions';

/** CredentialRequestOptions.publicKey → PublicKeyCredentialRequestOptionsJSON. */
export function requestOptionsToJSON(publicKey: unknown): PublicKeyCredentialRequestOptionsJSON {
  const root: Path = ['CredentialRequestOptions/publicKey'];
  const dict = dictionary(publicKey, root, GET);
  const at = (member: string): Path => [...root, `${GET}/${member}`];
  const allowCredentials = optional(dict, 'allowCredentials', (v) =>
    sequence(v, at('allowCredentials'), (item) => descriptor(item, at('allowCredentials'))),
  );
  const challenge = bufferSource(required(dict, 'challenge', root, GET), at('challenge'));
  const extensions = extensionInputs(dict.extensions, at('extensions'));
  const hints = optional(dict, 'hints', (v) => sequence(v, at('hints'), (item) => domString(item, at('hints'))));
  const rpId = optional(dict, 'rpId', (v) => domString(v, at('rpId')));
  const timeout = optional(dict, 'timeout', unsignedLong);
  const userVerification = optional(dict, 'userVerification', (v) => domString(v, at('userVerification')));
  // credProps is a registration extension; Chromium refuses it at get() rather than ignoring it.
  if (isObject(dict.extensions) && dict.extensions.credProps !== undefined) {
    throw new DOMException("The 'credProps' extension is only valid when creating a credential", 'NotSupportedError');
  }
  return {
    challenge,
    ...(timeout !== undefined ? { timeout } : {}),
    ...(rpId !== undefined ? { rpId } : {}),
    ...(allowCredentials ? { allowCredentials } : {}),
    userVerification: userVerification ?? 'preferred',
    ...(hints ? { hints } : {}),
    ...(extensions ? { extensions } : {}),
  };
}

const MEDIATIONS: readonly CredentialMediationRequirement[] = ['silent', 'optional', 'conditional', 'required'];

/** CredentialMediationRequirement is an IDL enum: an unknown value is a TypeError. */
export function mediationOf(options: Record<string, unknown>, operation: string): CredentialMediationRequirement {
  const value = options.mediation;
  if (value === undefined) return 'optional';
  const text = typeof value === 'symbol' ? '' : String(value);
  if (!(MEDIATIONS as readonly string[]).includes(text)) {
    throw new TypeError(
      `Failed to execute '${operation}' on 'CredentialsContainer': Failed to read the 'mediation' property from 'Credential${operation === 'get' ? 'Request' : 'Creation'}Options': The provided value '${text}' is not a valid enum value of type CredentialMediationRequirement.`,
    );
  }
  return text as CredentialMediationRequirement;
}

/** Base64URLString members of the Signal API: "If the result of base64url decoding … is an error, reject with a TypeError." */
function base64urlMember(value: unknown, path: Path): string {
  const text = domString(value, path);
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) fail(path, 'The value is not a valid base64url string.');
  return text;
}

function signalDictionary(value: unknown, name: string, operation: string): { dict: Record<string, unknown>; at: (member: string) => Path; need: (member: string) => unknown } {
  const root: Path = [`PublicKeyCredential/${operation}`];
  const dict = dictionary(value, root, name);
  if (value === undefined || value === null) fail(root, `The provided value is not of type '${name}'.`);
  return {
    dict,
    at: (member) => [`${name}/${member}`],
    need: (member) => required(dict, member, [], name),
  };
}

/** UnknownCredentialOptions (WebAuthn L3 §5.1.10.1). */
export function unknownCredentialOptions(value: unknown): { rpId: string; credentialId: string } {
  const { at, need } = signalDictionary(value, 'UnknownCredentialOptions', 'signalUnknownCredential');
  const credentialId = base64urlMember(need('credentialId'), at('credentialId'));
  return { rpId: domString(need('rpId'), at('rpId')), credentialId };
}

/** AllAcceptedCredentialsOptions (WebAuthn L3 §5.1.10.2). */
export function allAcceptedCredentialsOptions(value: unknown): { rpId: string; userId: string; allAcceptedCredentialIds: string[] } {
  const { at, need } = signalDictionary(value, 'AllAcceptedCredentialsOptions', 'signalAllAcceptedCredentials');
  const allAcceptedCredentialIds = sequence(need('allAcceptedCredentialIds'), at('allAcceptedCredentialIds'), (item) =>
    base64urlMember(item, at('allAcceptedCredentialIds')),
  );
  return { rpId: domString(need('rpId'), at('rpId')), userId: base64urlMember(need('userId'), at('userId')), allAcceptedCredentialIds };
}

/** CurrentUserDetailsOptions (WebAuthn L3 §5.1.10.3). */
export function currentUserDetailsOptions(value: unknown): { rpId: string; userId: string; name: string; displayName: string } {
  const { at, need } = signalDictionary(value, 'CurrentUserDetailsOptions', 'signalCurrentUserDetails');
  return {
    displayName: domString(need('displayName'), at('displayName')),
    name: domString(need('name'), at('name')),
    rpId: domString(need('rpId'), at('rpId')),
    userId: base64urlMember(need('userId'), at('userId')),
  };
}
