import { toBase64url } from '../webauthn/base64url';

/** A binary value as diagnostics shows it: base64url with its length in bytes. */
export interface BinaryView {
  base64url: string;
  length: number;
}

export function binary(bytes: Uint8Array): BinaryView {
  return { base64url: toBase64url(bytes), length: bytes.length };
}
