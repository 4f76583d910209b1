/** Export and import, over a Vault: what the worker's messages call. */
import type { Vault } from '../vault';
import { toCxf } from './cxf';
import { encryptExport } from './exportFile';
import { toCredentialRecords } from './importedPasskey';
import { readImportFile } from './readImportFile';

export interface ExportResult {
  /** The encrypted export, as file text. */
  file: string;
  exported: number;
  /** Left out: passkeys that keep a signature counter (CXF 1.0 §Passkey). */
  excluded: { rpId: string; userName: string; name: string }[];
}

/**
 * Exports every passkey as CXF encrypted with `filePassphrase`. The vault's own
 * passphrase is asked again first: an unlocked Latchkey on a shared computer
 * must not hand every key to whoever sits down at it.
 */
export async function exportVault(
  vault: Vault,
  vaultPassphrase: string,
  filePassphrase: string,
  now: number,
  iterations?: number,
): Promise<ExportResult> {
  await vault.verifyPassphrase(vaultPassphrase);
  const records = await (await vault.credentialStore()).list();
  const cxf = toCxf(records, now, crypto.getRandomValues(new Uint8Array(16)));
  return {
    file: await encryptExport(JSON.stringify(cxf.header), filePassphrase, iterations),
    exported: cxf.exported,
    excluded: cxf.excluded.map(({ rpId, userName, name }) => ({ rpId, userName, name })),
  };
}

/** Reads, checks and imports a CXF, Latchkey or Bitwarden file: every passkey in it, or none. */
export async function importIntoVault(vault: Vault, text: string, passphrase: string | undefined, now: number) {
  const { format, passkeys } = await readImportFile(text, passphrase);
  const records = await toCredentialRecords(passkeys, now);
  await vault.importRecords(records);
  return { format, imported: records.length };
}
