/**
 * The export file: CXF JSON encrypted with a passphrase the user chooses.
 *
 * CXF 1.0 defines the data; its companion protocol (CXP) encrypts transfers
 * between two apps with HPKE, which needs a live importer. A file for later has
 * no importer key yet, so Latchkey wraps the CXF JSON in its own small envelope:
 * PBKDF2-SHA256 (600,000 iterations) → AES-256-GCM, the envelope's header as
 * associated data (so a changed iteration count or format fails to decrypt).
 */
import { z } from 'zod';
import { fromBase64url, toBase64url } from '../../webauthn/base64url';
import { utf8 } from '../../webauthn/bytes';
import { deriveKeyEncryptionKey, newSalt, PBKDF2_MIN_ITERATIONS, seal, unseal } from '../vaultCrypto';
import { ImportError } from './importedPasskey';

export const ENVELOPE_FORMAT = 'latchkey-encrypted-cxf' as const;

const envelope = z.object({
  format: z.literal(ENVELOPE_FORMAT),
  version: z.literal(1),
  kdf: z.object({ name: z.literal('PBKDF2-SHA256'), salt: z.string(), iterations: z.number().int().min(100_000).max(10_000_000) }),
  cipher: z.object({ name: z.literal('AES-256-GCM'), iv: z.string() }),
  ciphertext: z.string(),
});
type Envelope = z.infer<typeof envelope>;

const associatedData = (e: Pick<Envelope, 'format' | 'version' | 'kdf'>) =>
  `${e.format} v${e.version} ${e.kdf.name} ${e.kdf.salt} ${e.kdf.iterations}`;

export async function encryptExport(cxfJson: string, passphrase: string, iterations = PBKDF2_MIN_ITERATIONS): Promise<string> {
  if (passphrase.length < 8) throw new Error('Choose an export passphrase of at least 8 characters.');
  const salt = newSalt();
  const head = { format: ENVELOPE_FORMAT, version: 1 as const, kdf: { name: 'PBKDF2-SHA256' as const, salt: toBase64url(salt), iterations } };
  const key = await deriveKeyEncryptionKey(passphrase, salt, iterations);
  const sealed = await seal(key, utf8(cxfJson), associatedData(head));
  const file: Envelope = { ...head, cipher: { name: 'AES-256-GCM', iv: toBase64url(sealed.iv) }, ciphertext: toBase64url(sealed.ciphertext) };
  return JSON.stringify(file, null, 2);
}

export function isEncryptedExport(json: unknown): boolean {
  return typeof json === 'object' && json !== null && (json as { format?: unknown }).format === ENVELOPE_FORMAT;
}

export async function decryptExport(json: unknown, passphrase: string | undefined): Promise<unknown> {
  const parsed = envelope.safeParse(json);
  if (!parsed.success) throw new ImportError(`a damaged Latchkey export: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
  if (!passphrase) throw new ImportError('this export is encrypted: enter the passphrase it was exported with');
  const file = parsed.data;
  const key = await deriveKeyEncryptionKey(passphrase, fromBase64url(file.kdf.salt), file.kdf.iterations);
  let plain: Uint8Array;
  try {
    plain = await unseal(key, { iv: fromBase64url(file.cipher.iv), ciphertext: fromBase64url(file.ciphertext) }, associatedData(file), 'The export');
  } catch {
    throw new ImportError('wrong passphrase for this export, or the file was changed');
  }
  try {
    return JSON.parse(new TextDecoder().decode(plain));
  } catch {
    throw new ImportError('the decrypted export is not JSON');
  }
}
