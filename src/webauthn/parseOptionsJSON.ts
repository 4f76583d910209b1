/**
 * PublicKeyCredential.parseCreationOptionsFromJSON / parseRequestOptionsFromJSON (WebAuthn L3
 * §5.1.9, §5.1.10), for browsers that lack them: the JSON forms with every base64url member
 * decoded into an ArrayBuffer. "If any of the [base64url] decodings fail, throw an
 * EncodingError." Browsers that have them keep their own (the main-world script only fills gaps).
 */
import { fromBase64url } from './base64url';

function buffer(value: unknown, member: string): ArrayBuffer {
  try {
    if (typeof value !== 'string') throw new SyntaxError('not a string');
    const bytes = fromBase64url(value);
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  } catch {
    throw new DOMException(`${member} is not base64url-encoded`, 'EncodingError');
  }
}

function object(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null) throw new TypeError(`${name} must be an object`);
  return value as Record<string, unknown>;
}

function descriptors(list: unknown, member: string): unknown {
  if (list === undefined) return undefined;
  if (!Array.isArray(list)) throw new TypeError(`${member} must be a sequence`);
  return list.map((item, index) => {
    const descriptor = object(item, `${member}[${index}]`);
    return { ...descriptor, id: buffer(descriptor.id, `${member}[${index}].id`) };
  });
}

function prfValues(value: unknown, member: string): unknown {
  const values = object(value, member);
  return {
    first: buffer(values.first, `${member}.first`),
    ...(values.second !== undefined ? { second: buffer(values.second, `${member}.second`) } : {}),
  };
}

/** Extension inputs whose JSON form carries base64url: prf and largeBlob.write; the rest as given. */
function extensions(value: unknown): unknown {
  if (value === undefined) return undefined;
  const inputs = { ...object(value, 'extensions') };
  if (inputs.prf !== undefined) {
    const prf = { ...object(inputs.prf, 'extensions.prf') };
    if (prf.eval !== undefined) prf.eval = prfValues(prf.eval, 'extensions.prf.eval');
    if (prf.evalByCredential !== undefined) {
      const byCredential = object(prf.evalByCredential, 'extensions.prf.evalByCredential');
      prf.evalByCredential = Object.fromEntries(Object.entries(byCredential).map(([key, v]) => [key, prfValues(v, `extensions.prf.evalByCredential.${key}`)]));
    }
    inputs.prf = prf;
  }
  if (inputs.largeBlob !== undefined) {
    const largeBlob = { ...object(inputs.largeBlob, 'extensions.largeBlob') };
    if (largeBlob.write !== undefined) largeBlob.write = buffer(largeBlob.write, 'extensions.largeBlob.write');
    inputs.largeBlob = largeBlob;
  }
  return inputs;
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

export function parseCreationOptionsFromJSON(options: unknown): PublicKeyCredentialCreationOptions {
  const json = object(options, 'options');
  const user = object(json.user, 'user');
  return withoutUndefined({
    ...json,
    user: { ...user, id: buffer(user.id, 'user.id') },
    challenge: buffer(json.challenge, 'challenge'),
    excludeCredentials: descriptors(json.excludeCredentials, 'excludeCredentials'),
    extensions: extensions(json.extensions),
  }) as unknown as PublicKeyCredentialCreationOptions;
}

export function parseRequestOptionsFromJSON(options: unknown): PublicKeyCredentialRequestOptions {
  const json = object(options, 'options');
  return withoutUndefined({
    ...json,
    challenge: buffer(json.challenge, 'challenge'),
    allowCredentials: descriptors(json.allowCredentials, 'allowCredentials'),
    extensions: extensions(json.extensions),
  }) as unknown as PublicKeyCredentialRequestOptions;
}
