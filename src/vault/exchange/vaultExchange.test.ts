import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { es256 } from '../../authenticator/keys';
import { toBase64url } from '../../webauthn/base64url';
import { toHex } from '../../webauthn/bytes';
import { decodeCoseP256Key } from '../../webauthn/cose';
import type { CredentialRecord } from '../credentialRecord';
import { memorySessionSecret, Vault } from '../vault';
import { openVaultDatabase } from '../vaultDatabase';
import { exportVault, importIntoVault } from './vaultExchange';

const PASSPHRASE = 'vault passphrase';
const FILE_PASSPHRASE = 'export passphrase';
const ITERATIONS = 1_000;
/** Export files refuse fewer than 100,000 PBKDF2 iterations on import. */
const FILE_ITERATIONS = 100_000;
let databases = 0;

async function newVault(): Promise<Vault> {
  const db = await openVaultDatabase(`exchange-${++databases}`);
  const vault = new Vault({ db, session: memorySessionSecret(), now: () => 5_000_000, autoLockMinutes: () => 0, iterations: ITERATIONS });
  await vault.create(PASSPHRASE);
  return vault;
}

async function passkey(i: number, overrides: Partial<CredentialRecord> = {}): Promise<CredentialRecord> {
  const key = await es256.generate((n) => crypto.getRandomValues(new Uint8Array(n)));
  const credentialId = crypto.getRandomValues(new Uint8Array(32));
  return {
    id: toBase64url(credentialId),
    credentialId,
    rpId: `site${i}.example`,
    userHandle: crypto.getRandomValues(new Uint8Array(16)),
    userName: `user${i}`,
    userDisplayName: `User ${i}`,
    name: `Passkey ${i}`,
    algorithm: -7,
    publicKeyCose: key.publicKeyCose,
    privateKeyPkcs8: key.privateKeyPkcs8,
    signCount: null,
    discoverable: true,
    backupEligible: false,
    backupState: false,
    createdAt: 1_700_000_000_000,
    lastUsedAt: null,
    ...overrides,
  };
}

async function fill(vault: Vault, records: CredentialRecord[]) {
  const store = await vault.credentialStore();
  for (const record of records) await store.add(record);
}

const listed = async (vault: Vault) => (await vault.credentialStore()).list();

/** A Bitwarden JSON export with one passkey, as Bitwarden writes it (strings for booleans and counter). */
function bitwardenFile(record: CredentialRecord, credentialId = toBase64url(record.credentialId), extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    encrypted: false,
    folders: [],
    items: [
      {
        id: 'a0b1',
        type: 1,
        name: record.rpId,
        login: {
          username: record.userName,
          password: null,
          fido2Credentials: [
            {
              credentialId,
              keyType: 'public-key',
              keyAlgorithm: 'ECDSA',
              keyCurve: 'P-256',
              keyValue: toBase64url(record.privateKeyPkcs8),
              rpId: record.rpId,
              userHandle: toBase64url(record.userHandle),
              userName: record.userName,
              counter: '0',
              rpName: record.rpId,
              userDisplayName: record.userDisplayName,
              discoverable: 'true',
              creationDate: '2024-05-01T10:00:00.000Z',
              ...extra,
            },
          ],
        },
      },
      { id: 'note', type: 2, name: 'A note', login: null },
    ],
  });
}

describe('CXF export and import', () => {
  it('round-trips passkeys through an encrypted CXF file: same ids, accounts and keys; no counter after import', async () => {
    const source = await newVault();
    const originals = [await passkey(1), await passkey(2, { signCount: 0 })];
    await fill(source, originals);
    const exported = await exportVault(source, PASSPHRASE, FILE_PASSPHRASE, 1_000, FILE_ITERATIONS);
    expect(exported).toMatchObject({ exported: 2, excluded: [] });
    const file = JSON.parse(exported.file);
    expect(file).toMatchObject({ format: 'latchkey-encrypted-cxf', kdf: { name: 'PBKDF2-SHA256' }, cipher: { name: 'AES-256-GCM' } });
    // No key material in the clear in the file.
    for (const record of originals) expect(exported.file).not.toContain(toBase64url(record.privateKeyPkcs8));

    const target = await newVault();
    expect(await importIntoVault(target, exported.file, FILE_PASSPHRASE, 2_000)).toEqual({ format: 'CXF', imported: 2 });
    const imported = await listed(target);
    for (const original of originals) {
      const copy = imported.find((record) => record.id === original.id)!;
      expect(copy).toMatchObject({ rpId: original.rpId, userName: original.userName, userDisplayName: original.userDisplayName, signCount: null });
      expect(toHex(copy.userHandle)).toBe(toHex(original.userHandle));
      expect(toHex(copy.privateKeyPkcs8)).toBe(toHex(original.privateKeyPkcs8));
      expect(decodeCoseP256Key(copy.publicKeyCose)).toEqual(decodeCoseP256Key(original.publicKeyCose));
    }
  });

  it('leaves out passkeys with a non-zero counter, and says which (CXF 1.0 §Passkey)', async () => {
    const source = await newVault();
    await fill(source, [await passkey(1), await passkey(2, { signCount: 7 })]);
    const exported = await exportVault(source, PASSPHRASE, FILE_PASSPHRASE, 1_000, FILE_ITERATIONS);
    expect(exported.exported).toBe(1);
    expect(exported.excluded).toEqual([{ rpId: 'site2.example', userName: 'user2', name: 'Passkey 2' }]);
  });

  it('asks for the vault passphrase before exporting', async () => {
    const source = await newVault();
    await expect(exportVault(source, 'not the passphrase', FILE_PASSPHRASE, 1_000, FILE_ITERATIONS)).rejects.toThrow(/Wrong passphrase/);
  });

  it('reads a plain (unencrypted) CXF header too, ignoring other credential types', async () => {
    const record = await passkey(3);
    const header = {
      version: { major: 1, minor: 0 },
      exporterRpId: 'other.example',
      exporterDisplayName: 'Other',
      timestamp: 1_700_000_000,
      accounts: [
        {
          id: 'AA',
          username: '',
          email: '',
          collections: [],
          items: [
            {
              id: 'i1',
              title: 'Site three',
              credentials: [
                { type: 'basic-auth', username: { fieldType: 'string', value: 'x' } },
                {
                  type: 'passkey',
                  credentialId: toBase64url(record.credentialId),
                  rpId: record.rpId,
                  username: record.userName,
                  userDisplayName: record.userDisplayName,
                  userHandle: toBase64url(record.userHandle),
                  key: toBase64url(record.privateKeyPkcs8),
                },
              ],
            },
          ],
        },
      ],
    };
    const vault = await newVault();
    expect(await importIntoVault(vault, JSON.stringify(header), undefined, 1)).toEqual({ format: 'CXF', imported: 1 });
    expect((await listed(vault))[0]).toMatchObject({ id: record.id, name: 'Site three' });
  });
});

describe('Bitwarden JSON import', () => {
  it('imports login.fido2Credentials[] with base64url, "b64." and GUID credential ids', async () => {
    const vault = await newVault();
    const [a, b, c] = [await passkey(1), await passkey(2), await passkey(3)];
    await importIntoVault(vault, bitwardenFile(a), undefined, 1);
    await importIntoVault(vault, bitwardenFile(b, `b64.${toBase64url(b.credentialId)}`), undefined, 1);
    const guid = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
    expect(await importIntoVault(vault, bitwardenFile(c, guid), undefined, 1)).toEqual({ format: 'Bitwarden JSON', imported: 1 });
    const ids = (await listed(vault)).map((record) => toHex(record.credentialId));
    expect(ids).toContain(toHex(a.credentialId));
    expect(ids).toContain(toHex(b.credentialId));
    expect(ids).toContain('3f2504e04f8911d39a0c0305e82c3301');
    const imported = (await listed(vault)).find((record) => record.id === a.id)!;
    expect(imported).toMatchObject({ createdAt: Date.parse('2024-05-01T10:00:00.000Z'), signCount: null, discoverable: true });
    expect(toHex(imported.privateKeyPkcs8)).toBe(toHex(a.privateKeyPkcs8));
  });
});

describe('files that must be rejected, changing nothing', () => {
  const cases: [string, (good: CredentialRecord) => Promise<string> | string, RegExp][] = [
    ['not JSON', () => '{"items": [', /not JSON/],
    ['an unknown JSON shape', () => '{"hello": 1}', /neither a CXF export/],
    ['an encrypted Bitwarden export', () => JSON.stringify({ encrypted: true, encKeyValidation_DO_NOT_EDIT: 'x', data: 'y' }), /Bitwarden export is encrypted/],
    ['a file without passkeys', () => JSON.stringify({ encrypted: false, items: [] }), /no passkeys/],
    ['a key that is not base64url', (good) => bitwardenFile(good, undefined, { keyValue: 'not base64!' }), /item 1 .*"keyValue" is not base64url/],
    ['a key that is not PKCS#8', (good) => bitwardenFile(good, undefined, { keyValue: 'AAEC' }), /item 1 .*not a PKCS#8 ECDSA P-256 private key/],
    ['an RSA key', (good) => bitwardenFile(good, undefined, { keyAlgorithm: 'RSA' }), /key algorithm RSA is not supported/],
    ['a user handle over 64 bytes', (good) => bitwardenFile(good, undefined, { userHandle: toBase64url(new Uint8Array(65)) }), /user handle must be 1 to 64 bytes, not 65/],
    ['a missing rpId', (good) => bitwardenFile(good, undefined, { rpId: undefined }), /fido2Credentials\.0\.rpId/],
    [
      'a P-384 key',
      async (good) => {
        const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, ['sign']);
        const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
        return bitwardenFile(good, undefined, { keyValue: toBase64url(pkcs8), keyCurve: undefined });
      },
      /not a PKCS#8 ECDSA P-256 private key/,
    ],
    [
      'one good and one bad passkey (the good one is not imported either)',
      (good) => {
        const file = JSON.parse(bitwardenFile(good));
        file.items[0].login.fido2Credentials.push({ ...file.items[0].login.fido2Credentials[0], credentialId: 'AQID', keyValue: 'AAEC' });
        return JSON.stringify(file);
      },
      /passkey 2: the key is not a PKCS#8/,
    ],
    [
      'the same credential id twice',
      (good) => {
        const file = JSON.parse(bitwardenFile(good));
        file.items[0].login.fido2Credentials.push(file.items[0].login.fido2Credentials[0]);
        return JSON.stringify(file);
      },
      /passkey 2: the same credential id as item 1/,
    ],
    ['a CXF file of another major version', () => JSON.stringify({ version: { major: 2, minor: 0 }, accounts: [] }), /CXF version 2\.0 is not supported/],
    [
      'a CXF passkey without a key',
      (good) =>
        JSON.stringify({
          version: { major: 1, minor: 0 },
          accounts: [{ items: [{ title: 't', credentials: [{ type: 'passkey', credentialId: good.id, rpId: good.rpId, username: 'u', userDisplayName: 'U', userHandle: 'AQ' }] }] }],
        }),
      /account 1, item 1 \(“t”\), credential 1: "key" is missing/,
    ],
  ];

  it.each(cases)('%s', async (_, makeFile, message) => {
    const vault = await newVault();
    const existing = await passkey(9);
    await fill(vault, [existing]);
    const good = await passkey(1);
    await expect(importIntoVault(vault, await makeFile(good), undefined, 1)).rejects.toThrow(message);
    expect((await listed(vault)).map((record) => record.id)).toEqual([existing.id]);
  });

  it('an encrypted export with the wrong passphrase', async () => {
    const source = await newVault();
    await fill(source, [await passkey(1)]);
    const { file } = await exportVault(source, PASSPHRASE, FILE_PASSPHRASE, 1, FILE_ITERATIONS);
    const target = await newVault();
    await expect(importIntoVault(target, file, 'a wrong one', 1)).rejects.toThrow(/wrong passphrase for this export/);
    await expect(importIntoVault(target, file, undefined, 1)).rejects.toThrow(/enter the passphrase/);
    const tampered = JSON.parse(file);
    tampered.kdf.iterations += 1;
    await expect(importIntoVault(target, JSON.stringify(tampered), FILE_PASSPHRASE, 1)).rejects.toThrow(/wrong passphrase for this export, or the file was changed/);
    expect(await listed(target)).toEqual([]);
  });

  it('a passkey already in the vault: nothing of the file is imported', async () => {
    const vault = await newVault();
    const [a, b] = [await passkey(1), await passkey(2)];
    await fill(vault, [a]);
    const file = JSON.parse(bitwardenFile(b));
    file.items.push(JSON.parse(bitwardenFile(a)).items[0]);
    await expect(importIntoVault(vault, JSON.stringify(file), undefined, 1)).rejects.toThrow(/already in Latchkey; nothing was imported/);
    expect((await listed(vault)).map((record) => record.id)).toEqual([a.id]);
  });
});
