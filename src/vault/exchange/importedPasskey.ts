/**
 * What an import file gives for one passkey, before it becomes a CredentialRecord,
 * and the checks every passkey must pass: an import is all-or-nothing, so a
 * single bad entry rejects the file with a message naming the entry and the fault.
 */
import { p256 } from '@noble/curves/nist.js';
import { fromBase64url, toBase64url } from '../../webauthn/base64url';
import { equalBytes, toBufferSource } from '../../webauthn/bytes';
import { encodeCoseP256Key } from '../../webauthn/cose';
import { COSEAlgorithm } from '../../webauthn/types';
import type { CredentialRecord } from '../credentialRecord';

export interface ImportedPasskey {
  /** Where the entry is in the file, for error messages ("item 3, passkey 1"). */
  where: string;
  credentialId: Uint8Array;
  rpId: string;
  userName: string;
  userDisplayName: string;
  userHandle: Uint8Array;
  /** PKCS#8 DER of the private key. */
  key: Uint8Array;
  discoverable?: boolean;
  createdAt?: number;
  name?: string;
}

export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}

/** base64url (or, leniently, base64) to bytes; an ImportError naming `what` otherwise. */
export function decodeBinary(value: unknown, what: string): Uint8Array {
  if (typeof value !== 'string' || value === '') throw new ImportError(`${what} is missing or not a string`);
  try {
    return fromBase64url(value.replace(/\+/g, '-').replace(/\//g, '_'));
  } catch {
    throw new ImportError(`${what} is not base64url`);
  }
}

const P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/**
 * Turns checked entries into records. Fails (naming the entry) on an empty or
 * over-long credential id ("at most 1023 bytes", WebAuthn L3 §4 Credential ID),
 * a user handle outside 1–64 bytes ("maximum size of 64 bytes", §4 User Handle),
 * an empty rpId, a key that is not a P-256 PKCS#8 private key (the only
 * algorithm Latchkey signs with), or a credential id that appears twice.
 *
 * CXF 1.0 §Passkey: "Importers MUST set a zero value for the imported passkey
 * signature counters and MUST NOT increment them after the fact": imported
 * passkeys keep no counter (`signCount: null`, always 0).
 */
export async function toCredentialRecords(passkeys: ImportedPasskey[], now: number): Promise<CredentialRecord[]> {
  if (passkeys.length === 0) throw new ImportError('the file holds no passkeys');
  const seen = new Map<string, string>();
  const records: CredentialRecord[] = [];
  for (const passkey of passkeys) {
    const { where } = passkey;
    if (passkey.credentialId.length === 0 || passkey.credentialId.length > 1023) {
      throw new ImportError(`${where}: the credential id must be 1 to 1023 bytes, not ${passkey.credentialId.length}`);
    }
    if (passkey.rpId.trim() === '') throw new ImportError(`${where}: the rpId is empty`);
    if (passkey.userHandle.length === 0 || passkey.userHandle.length > 64) {
      throw new ImportError(`${where}: the user handle must be 1 to 64 bytes, not ${passkey.userHandle.length}`);
    }
    const id = toBase64url(passkey.credentialId);
    const earlier = seen.get(id);
    if (earlier) throw new ImportError(`${where}: the same credential id as ${earlier}`);
    seen.set(id, where);
    records.push({
      id,
      credentialId: passkey.credentialId,
      rpId: passkey.rpId,
      userHandle: passkey.userHandle,
      userName: passkey.userName,
      userDisplayName: passkey.userDisplayName,
      name: passkey.name?.trim() || `${passkey.rpId} (${passkey.userName})`,
      algorithm: COSEAlgorithm.ES256,
      publicKeyCose: await p256PublicKeyCose(passkey.key, where),
      privateKeyPkcs8: passkey.key,
      signCount: null,
      discoverable: passkey.discoverable ?? true,
      // Came from elsewhere: it exists in (at least) one other place.
      backupEligible: true,
      backupState: true,
      createdAt: passkey.createdAt ?? now,
      lastUsedAt: null,
    });
  }
  return records;
}

async function p256PublicKeyCose(pkcs8: Uint8Array, where: string): Promise<Uint8Array> {
  let jwk: JsonWebKey;
  try {
    const key = await crypto.subtle.importKey('pkcs8', toBufferSource(pkcs8), P256, true, ['sign']);
    jwk = await crypto.subtle.exportKey('jwk', key);
  } catch {
    throw new ImportError(`${where}: the key is not a PKCS#8 ECDSA P-256 private key (Latchkey supports ES256 only)`);
  }
  const d = fromBase64url(jwk.d ?? '');
  if (!p256.utils.isValidSecretKey(d)) throw new ImportError(`${where}: the private key is out of range`);
  const point = p256.getPublicKey(d, false);
  // A PKCS#8 file may carry a public key too: it must be the one the private key gives.
  if (jwk.x && jwk.y && !equalBytes(point.subarray(1), new Uint8Array([...fromBase64url(jwk.x), ...fromBase64url(jwk.y)]))) {
    throw new ImportError(`${where}: the key's public part does not match its private part`);
  }
  return encodeCoseP256Key(point);
}
