/**
 * How a passkey becomes `storage.sync` items and back:
 *
 * - **packed**: the entity is CBOR (cbor-x: byte strings stay bytes, about half the size of the
 *   same thing as JSON with base64 members), sealed with AES-256-GCM under the vault's sync key
 *   with the item's key as associated data (an item cannot be moved to another key), then one
 *   base64url string: `e1.<iv||ciphertext>`.
 * - **chunked**: a value longer than QUOTA_BYTES_PER_ITEM allows (a passkey with a large blob)
 *   is split over `<key>`, `<key>~1`, `<key>~2` … The first holds `c<count>.<tag>.<part>`, the
 *   others `<tag>.<part>`; the random tag ties the parts of one write together, so a reader that
 *   has received only some parts of a newer write sees "incomplete" and waits, never a mix.
 *
 * Item keys are opaque: `r` + HMAC-SHA256(vault sync id key, credential id), 16 bytes in
 * base64url. The same passkey has the same key in every browser of the vault (which the merge
 * needs), and the key tells nobody without the vault secret which credential it is.
 */
import { Decoder, Encoder } from 'cbor-x';
import { fromBase64url, toBase64url } from '../webauthn/base64url';
import { concat, utf8 } from '../webauthn/bytes';
import { randomBytes, type VaultSyncKeys } from '../vault/vaultCrypto';
import type { Evidence, EvidenceKind } from '../orphans/evidence';
import { itemBytes, SYNC_QUOTA } from './syncArea';
import type { SyncEntity } from './syncEntity';

/** The keys a vault secret yields for sync (deriveSyncKeys in src/vault/vaultCrypto.ts). */
export type SyncKeys = VaultSyncKeys;

export const RECORD_PREFIX = 'r';
export const CHUNK_SEPARATOR = '~';
const SEALED_PREFIX = 'e1.';
const IV_LENGTH = 12;

const encoder = new Encoder({ useRecords: false, tagUint8Array: false, mapsAsObjects: true, variableMapSize: true });
const decoder = new Decoder({ useRecords: false, mapsAsObjects: true, copyBuffers: true });

const buf = (bytes: Uint8Array) => bytes as Uint8Array<ArrayBuffer>;

/** The opaque item key of a passkey. */
export async function itemKeyOf(keys: SyncKeys, credentialId: string): Promise<string> {
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', keys.ids, buf(utf8(`latchkey sync item ${credentialId}`))));
  return RECORD_PREFIX + toBase64url(mac.subarray(0, 16));
}

export const isRecordKey = (key: string) => /^r[A-Za-z0-9_-]{22}$/.test(key);
export const isChunkKey = (key: string) => /^r[A-Za-z0-9_-]{22}~\d+$/.test(key);
const associatedData = (itemKey: string) => buf(utf8(`latchkey sync record ${itemKey}`));

/**
 * Evidence kinds by number, in the sealed form only. Append-only: a number, once given, keeps its
 * meaning, or older browsers would misread newer items.
 */
const EVIDENCE_KINDS: readonly EvidenceKind[] = [
  'signal-unknown',
  'not-in-accepted-list',
  'in-accepted-list',
  'missing-from-exclude-list',
  'in-exclude-list',
  'missing-from-allow-list',
  'in-allow-list',
  'asked-again-after-use',
  'cleared-by-user',
];

/** An evidence entry as [kind number, time, origin or null for the rpId's own https origin]: about 12 bytes, not 60. */
type PackedEvidence = [number, number, string | null];

function packEvidence(entries: readonly Evidence[], rpId: string | undefined): PackedEvidence[] {
  return entries.map(({ kind, at, origin }) => [EVIDENCE_KINDS.indexOf(kind), at, origin === `https://${rpId}` ? null : origin]);
}

function unpackEvidence(packed: unknown, rpId: string | undefined, itemKey: string): Evidence[] {
  if (!Array.isArray(packed)) throw new SyncItemError(itemKey, 'decrypted, but its evidence is malformed; left as it is');
  return packed.map((entry) => {
    const [kindNumber, at, origin] = entry as PackedEvidence;
    const kind = EVIDENCE_KINDS[kindNumber];
    if (!kind || typeof at !== 'number')
      throw new SyncItemError(itemKey, 'holds evidence this version does not know; left as it is');
    return { kind, at, origin: origin ?? `https://${rpId}` };
  });
}

export async function sealEntity(keys: SyncKeys, itemKey: string, entity: SyncEntity): Promise<string> {
  const iv = randomBytes(IV_LENGTH);
  const packed = entity.evidence ? { ...entity, evidence: packEvidence(entity.evidence, entity.passkey?.rpId) } : entity;
  const plaintext = new Uint8Array(encoder.encode(packed));
  const ciphertext = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: buf(iv), additionalData: associatedData(itemKey) },
    keys.records,
    buf(plaintext),
  );
  return SEALED_PREFIX + toBase64url(concat(iv, new Uint8Array(ciphertext)));
}

/** A sync item that cannot be read: its message says which item and why, for the status. */
export class SyncItemError extends Error {
  constructor(
    readonly itemKey: string,
    reason: string,
  ) {
    super(`Sync item ${itemKey}: ${reason}`);
    this.name = 'SyncItemError';
  }
}

export async function openEntity(keys: SyncKeys, itemKey: string, text: string): Promise<SyncEntity> {
  if (!text.startsWith(SEALED_PREFIX))
    throw new SyncItemError(itemKey, 'not in a format this version of Latchkey knows; left as it is');
  let sealed: Uint8Array;
  try {
    sealed = fromBase64url(text.slice(SEALED_PREFIX.length));
  } catch {
    throw new SyncItemError(itemKey, 'damaged (not base64url); left as it is');
  }
  let plaintext: ArrayBuffer;
  try {
    plaintext = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: buf(sealed.subarray(0, IV_LENGTH)), additionalData: associatedData(itemKey) },
      keys.records,
      buf(sealed.slice(IV_LENGTH)),
    );
  } catch {
    throw new SyncItemError(
      itemKey,
      'cannot be decrypted with this vault’s key (written by another vault, or damaged); left as it is',
    );
  }
  const entity = decoder.decode(new Uint8Array(plaintext)) as SyncEntity;
  if (!entity || entity.v !== 1 || typeof entity.id !== 'string') {
    throw new SyncItemError(itemKey, 'decrypted, but not a passkey record this version knows; left as it is');
  }
  if (entity.evidence) entity.evidence = unpackEvidence(entity.evidence, entity.passkey?.rpId, itemKey);
  return normalise(entity);
}

/** cbor-x gives Buffers in Node; the vault stores plain Uint8Arrays. */
function normalise(entity: SyncEntity): SyncEntity {
  if (entity.passkey) {
    for (const [name, value] of Object.entries(entity.passkey)) {
      if (value instanceof Uint8Array) (entity.passkey as unknown as Record<string, unknown>)[name] = new Uint8Array(value);
    }
  }
  return entity;
}

/** The items one sealed value takes: one item when it fits in QUOTA_BYTES_PER_ITEM, else chunks. */
export function chunkItems(
  itemKey: string,
  sealed: string,
  perItem: number = SYNC_QUOTA.QUOTA_BYTES_PER_ITEM,
): Record<string, string> {
  if (itemBytes(itemKey, sealed) <= perItem) return { [itemKey]: sealed };
  const tag = toBase64url(randomBytes(6));
  // Room for the longest key (`<key>~99`), the JSON quotes and the header `c99.<tag>.`.
  const room = perItem - (itemKey.length + 3) - 2 - (tag.length + 5);
  const parts: string[] = [];
  for (let offset = 0; offset < sealed.length; offset += room) parts.push(sealed.slice(offset, offset + room));
  const items: Record<string, string> = { [itemKey]: `c${parts.length}.${tag}.${parts[0]}` };
  parts.slice(1).forEach((part, index) => (items[`${itemKey}${CHUNK_SEPARATOR}${index + 1}`] = `${tag}.${part}`));
  return items;
}

export type Reassembled = { kind: 'whole'; sealed: string; keys: string[] } | { kind: 'incomplete'; keys: string[] };

/** The sealed value under `itemKey`, from its chunks if it has any. */
export function reassemble(itemKey: string, items: Record<string, unknown>): Reassembled {
  const first = items[itemKey];
  if (typeof first !== 'string') throw new SyncItemError(itemKey, 'not a string; left as it is');
  const header = /^c(\d+)\.([A-Za-z0-9_-]+)\.(.*)$/s.exec(first);
  if (!header) return { kind: 'whole', sealed: first, keys: [itemKey] };
  const count = Number(header[1]);
  const tag = header[2]!;
  const keys = [itemKey];
  let sealed = header[3]!;
  for (let index = 1; index < count; index++) {
    const key = `${itemKey}${CHUNK_SEPARATOR}${index}`;
    keys.push(key);
    const part = items[key];
    if (typeof part !== 'string' || !part.startsWith(`${tag}.`)) return { kind: 'incomplete', keys };
    sealed += part.slice(tag.length + 1);
  }
  return { kind: 'whole', sealed, keys };
}
