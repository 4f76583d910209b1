import { describe, expect, it } from 'vitest';
import { deriveSyncKeys, newVaultSecret } from '../vault/vaultCrypto';
import { itemBytes, SYNC_QUOTA } from './syncArea';
import { chunkItems, isRecordKey, itemKeyOf, openEntity, reassemble, sealEntity } from './syncCodec';
import type { SyncEntity } from './syncEntity';

const entity: SyncEntity = { v: 1, id: 'credential-id', name: { value: 'Shop (ada)', clock: '0000000000a:0000:devA' } };

describe('sync items', () => {
  it('names a passkey’s item by an opaque key, the same in every browser of the vault and different in another vault', async () => {
    const secret = newVaultSecret();
    const [one, same, other] = await Promise.all([
      deriveSyncKeys(secret),
      deriveSyncKeys(secret),
      deriveSyncKeys(newVaultSecret()),
    ]);
    const key = await itemKeyOf(one, 'credential-id');
    expect(isRecordKey(key)).toBe(true);
    expect(key).not.toContain('credential');
    expect(await itemKeyOf(same, 'credential-id')).toBe(key);
    expect(await itemKeyOf(other, 'credential-id')).not.toBe(key);
    expect(one.keyId).toBe(same.keyId);
    expect(one.keyId).not.toBe(other.keyId);
  });

  it('seals and opens an entity; the ciphertext is bound to its item key', async () => {
    const keys = await deriveSyncKeys(newVaultSecret());
    const sealed = await sealEntity(keys, 'rAAAAAAAAAAAAAAAAAAAAAA', entity);
    expect(sealed).not.toContain('Shop');
    expect(await openEntity(keys, 'rAAAAAAAAAAAAAAAAAAAAAA', sealed)).toEqual(entity);
    await expect(openEntity(keys, 'rBBBBBBBBBBBBBBBBBBBBBB', sealed)).rejects.toThrow(/cannot be decrypted/);
    await expect(openEntity(await deriveSyncKeys(newVaultSecret()), 'rAAAAAAAAAAAAAAAAAAAAAA', sealed)).rejects.toThrow(
      /another vault, or damaged/,
    );
    await expect(openEntity(keys, 'rAAAAAAAAAAAAAAAAAAAAAA', '{"x":1}')).rejects.toThrow(/not in a format/);
  });

  it('packs evidence small and gives it back as it was', async () => {
    const keys = await deriveSyncKeys(newVaultSecret());
    const withEvidence: SyncEntity = {
      ...entity,
      passkey: { rpId: 'shop.example' } as SyncEntity['passkey'],
      evidence: [
        { kind: 'in-allow-list', at: 1_700_000_000_123, origin: 'https://shop.example' },
        { kind: 'signal-unknown', at: 1_700_000_000_456, origin: 'https://login.shop.example' },
      ],
    };
    const bare = await sealEntity(keys, 'rAAAAAAAAAAAAAAAAAAAAAA', { ...withEvidence, evidence: [] });
    const sealed = await sealEntity(keys, 'rAAAAAAAAAAAAAAAAAAAAAA', withEvidence);
    expect(await openEntity(keys, 'rAAAAAAAAAAAAAAAAAAAAAA', sealed)).toEqual(withEvidence);
    expect(sealed.length - bare.length).toBeLessThan(2 * 40); // two entries, origins included
  });

  it('chunks a value too big for one item, each chunk within QUOTA_BYTES_PER_ITEM, and puts it back together', () => {
    const key = 'rAAAAAAAAAAAAAAAAAAAAAA';
    const sealed = 'e1.' + 'x'.repeat(30_000);
    const items = chunkItems(key, sealed);
    expect(Object.keys(items).length).toBe(4);
    for (const [name, value] of Object.entries(items))
      expect(itemBytes(name, value)).toBeLessThanOrEqual(SYNC_QUOTA.QUOTA_BYTES_PER_ITEM);
    expect(reassemble(key, items)).toEqual({ kind: 'whole', sealed, keys: Object.keys(items) });
    expect(chunkItems(key, 'e1.small')).toEqual({ [key]: 'e1.small' });
  });

  it('reports parts of two different writes, or a missing part, as incomplete rather than mixing them', () => {
    const key = 'rAAAAAAAAAAAAAAAAAAAAAA';
    const first = chunkItems(key, 'e1.' + 'a'.repeat(20_000));
    const second = chunkItems(key, 'e1.' + 'b'.repeat(20_000));
    expect(reassemble(key, { ...first, [`${key}~1`]: second[`${key}~1`] }).kind).toBe('incomplete');
    const { [`${key}~2`]: _missing, ...partial } = first;
    expect(reassemble(key, partial).kind).toBe('incomplete');
  });
});
