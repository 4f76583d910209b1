/**
 * The FIDO Alliance Credential Exchange Format (CXF 1.0, Proposed Standard
 * 2025-08-14, https://fidoalliance.org/specs/cx/cxf-v1.0-ps-20250814.html):
 * a Header with accounts, each with items, each with credentials; Latchkey
 * writes and reads the `passkey` credential type.
 *
 * CXF 1.0 §Passkey: "Passkeys using a non-zero signature counter MUST be
 * excluded from the export and the exporter SHOULD inform the user that such
 * passkeys are excluded from the export."
 */
import { z } from 'zod';
import { toBase64url } from '../../webauthn/base64url';
import type { CredentialRecord } from '../credentialRecord';
import { decodeBinary, ImportError, type ImportedPasskey } from './importedPasskey';

export const CXF_VERSION = { major: 1, minor: 0 } as const;

export interface CxfPasskey {
  type: 'passkey';
  credentialId: string;
  rpId: string;
  username: string;
  userDisplayName: string;
  userHandle: string;
  /** PKCS#8 private key, base64url. */
  key: string;
}

export interface CxfHeader {
  version: { major: number; minor: number };
  exporterRpId: string;
  exporterDisplayName: string;
  /** Seconds since the epoch. */
  timestamp: number;
  accounts: {
    id: string;
    username: string;
    email: string;
    collections: unknown[];
    items: { id: string; creationAt?: number; modifiedAt?: number; title: string; credentials: CxfPasskey[] }[];
  }[];
}

export interface CxfExport {
  header: CxfHeader;
  exported: number;
  /** Passkeys left out because they keep a non-zero counter (CXF 1.0 §Passkey). */
  excluded: CredentialRecord[];
}

export function toCxf(records: CredentialRecord[], now: number, accountId: Uint8Array): CxfExport {
  const included = records.filter((record) => !record.signCount);
  const excluded = records.filter((record) => !!record.signCount);
  return {
    exported: included.length,
    excluded,
    header: {
      version: { ...CXF_VERSION },
      exporterRpId: 'latchkey.invalid',
      exporterDisplayName: 'Latchkey',
      timestamp: Math.floor(now / 1000),
      accounts: [
        {
          id: toBase64url(accountId),
          username: '',
          email: '',
          collections: [],
          items: included.map((record) => ({
            id: record.id,
            creationAt: Math.floor(record.createdAt / 1000),
            title: record.name,
            credentials: [
              {
                type: 'passkey' as const,
                credentialId: toBase64url(record.credentialId),
                rpId: record.rpId,
                username: record.userName,
                userDisplayName: record.userDisplayName,
                userHandle: toBase64url(record.userHandle),
                key: toBase64url(record.privateKeyPkcs8),
              },
            ],
          })),
        },
      ],
    },
  };
}

const credential = z.looseObject({ type: z.string() });
const item = z.looseObject({
  id: z.string().optional(),
  title: z.string().optional(),
  creationAt: z.number().optional(),
  credentials: z.array(credential),
});
const header = z.looseObject({
  version: z.looseObject({ major: z.number().int(), minor: z.number().int() }),
  accounts: z.array(z.looseObject({ items: z.array(item) })),
});

export function looksLikeCxf(json: unknown): boolean {
  return typeof json === 'object' && json !== null && 'accounts' in json && 'version' in json;
}

/** The passkeys of a CXF header; other credential types (passwords, notes) are not Latchkey's and are left out. */
export function passkeysFromCxf(json: unknown): ImportedPasskey[] {
  const parsed = header.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ImportError(`not a CXF file: ${issue.path.join('.') || 'the top level'}: ${issue.message}`);
  }
  if (parsed.data.version.major !== CXF_VERSION.major) {
    throw new ImportError(`CXF version ${parsed.data.version.major}.${parsed.data.version.minor} is not supported (Latchkey reads 1.x)`);
  }
  const passkeys: ImportedPasskey[] = [];
  parsed.data.accounts.forEach((account, a) =>
    account.items.forEach((entry, i) =>
      entry.credentials.forEach((raw, c) => {
        if (raw.type !== 'passkey') return;
        const where = `account ${a + 1}, item ${i + 1}${entry.title ? ` (“${entry.title}”)` : ''}, credential ${c + 1}`;
        const field = (name: string) => {
          const value = (raw as Record<string, unknown>)[name];
          if (typeof value !== 'string') throw new ImportError(`${where}: "${name}" is missing or not a string`);
          return value;
        };
        passkeys.push({
          where,
          credentialId: decodeBinary(field('credentialId'), `${where}: "credentialId"`),
          rpId: field('rpId'),
          userName: field('username'),
          userDisplayName: field('userDisplayName'),
          userHandle: decodeBinary(field('userHandle'), `${where}: "userHandle"`),
          key: decodeBinary(field('key'), `${where}: "key"`),
          createdAt: entry.creationAt !== undefined ? entry.creationAt * 1000 : undefined,
          name: entry.title,
        });
      }),
    ),
  );
  return passkeys;
}
