import { type BinaryView, binary } from './binary';

/** A decoded CBOR value in a form JSON can carry: maps become objects, byte strings base64url with their length. */
export function cborToJson(value: unknown): unknown {
  if (value instanceof Uint8Array) return binary(value) satisfies BinaryView;
  if (value instanceof Map)
    return Object.fromEntries([...value.entries()].map(([key, member]) => [String(key), cborToJson(member)]));
  if (Array.isArray(value)) return value.map(cborToJson);
  if (typeof value === 'bigint') return value.toString();
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, cborToJson(member)]));
  }
  return value;
}
