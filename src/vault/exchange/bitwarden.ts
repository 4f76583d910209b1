/**
 * Bitwarden's unencrypted JSON export: `{ encrypted: false, items: [...] }`,
 * with passkeys in `items[].login.fido2Credentials[]` (Bitwarden's
 * Fido2CredentialExport: credentialId, keyType, keyAlgorithm, keyCurve,
 * keyValue (PKCS#8, base64url), rpId, userHandle, userName, counter, rpName,
 * userDisplayName, discoverable, creationDate; the booleans and the counter
 * are strings). Bitwarden writes credential ids it created as GUIDs (the 16
 * bytes of the UUID) and others with a "b64." prefix.
 */
import { z } from 'zod';
import { fromHex } from '../../webauthn/bytes';
import { decodeBinary, ImportError, type ImportedPasskey } from './importedPasskey';

const fido2Credential = z.looseObject({
  credentialId: z.string(),
  keyType: z.string().optional(),
  keyAlgorithm: z.string().optional(),
  keyCurve: z.string().optional(),
  keyValue: z.string(),
  rpId: z.string(),
  userHandle: z.string().nullish(),
  userName: z.string().nullish(),
  userDisplayName: z.string().nullish(),
  discoverable: z.union([z.string(), z.boolean()]).optional(),
  creationDate: z.string().nullish(),
});
const item = z.looseObject({
  name: z.string().optional(),
  login: z.looseObject({ fido2Credentials: z.array(fido2Credential).nullish() }).nullish(),
});
const bitwardenExport = z.looseObject({ encrypted: z.boolean().optional(), items: z.array(item) });

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function looksLikeBitwarden(json: unknown): boolean {
  return typeof json === 'object' && json !== null && ('items' in json || 'encrypted' in json) && !('accounts' in json);
}

export function passkeysFromBitwarden(json: unknown): ImportedPasskey[] {
  if ((json as { encrypted?: unknown }).encrypted === true) {
    throw new ImportError('this Bitwarden export is encrypted; export it from Bitwarden as unencrypted JSON');
  }
  const parsed = bitwardenExport.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ImportError(`not a Bitwarden JSON export: ${issue.path.join('.') || 'the top level'}: ${issue.message}`);
  }
  const passkeys: ImportedPasskey[] = [];
  parsed.data.items.forEach((entry, i) =>
    (entry.login?.fido2Credentials ?? []).forEach((credential, c) => {
      const where = `item ${i + 1}${entry.name ? ` (“${entry.name}”)` : ''}, passkey ${c + 1}`;
      if (credential.keyAlgorithm && credential.keyAlgorithm !== 'ECDSA') {
        throw new ImportError(`${where}: key algorithm ${credential.keyAlgorithm} is not supported (Latchkey supports ECDSA P-256)`);
      }
      if (credential.keyCurve && credential.keyCurve !== 'P-256') {
        throw new ImportError(`${where}: curve ${credential.keyCurve} is not supported (Latchkey supports P-256)`);
      }
      const created = credential.creationDate ? Date.parse(credential.creationDate) : NaN;
      passkeys.push({
        where,
        credentialId: bitwardenCredentialId(credential.credentialId, where),
        rpId: credential.rpId,
        userName: credential.userName ?? '',
        userDisplayName: credential.userDisplayName ?? '',
        userHandle: decodeBinary(credential.userHandle, `${where}: "userHandle"`),
        key: decodeBinary(credential.keyValue, `${where}: "keyValue"`),
        discoverable: credential.discoverable === undefined ? true : String(credential.discoverable) === 'true',
        createdAt: Number.isFinite(created) ? created : undefined,
        name: entry.name,
      });
    }),
  );
  return passkeys;
}

function bitwardenCredentialId(value: string, where: string): Uint8Array {
  if (GUID.test(value)) return fromHex(value.replace(/-/g, ''));
  if (value.startsWith('b64.')) return decodeBinary(value.slice(4), `${where}: "credentialId"`);
  return decodeBinary(value, `${where}: "credentialId"`);
}
