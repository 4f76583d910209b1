/** Any file Latchkey imports → the passkeys in it, or an ImportError saying what is wrong. */
import { passkeysFromBitwarden, looksLikeBitwarden } from './bitwarden';
import { looksLikeCxf, passkeysFromCxf } from './cxf';
import { decryptExport, isEncryptedExport } from './exportFile';
import { ImportError, type ImportedPasskey } from './importedPasskey';

export async function readImportFile(text: string, passphrase?: string): Promise<{ format: string; passkeys: ImportedPasskey[] }> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ImportError(`the file is not JSON (${error instanceof Error ? error.message : 'parse error'})`);
  }
  if (isEncryptedExport(json)) json = await decryptExport(json, passphrase);
  if (looksLikeCxf(json)) return { format: 'CXF', passkeys: passkeysFromCxf(json) };
  if (looksLikeBitwarden(json)) return { format: 'Bitwarden JSON', passkeys: passkeysFromBitwarden(json) };
  throw new ImportError('the file is neither a CXF export, a Latchkey export nor a Bitwarden JSON export');
}
