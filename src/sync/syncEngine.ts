/**
 * The sync engine: one round reads the whole sync area, merges every passkey with this
 * browser's vault (mergeEntity), applies the result here, and writes back what sync storage
 * lacks — in one set() and at most one remove() call, within the quotas. Rounds are idempotent:
 * run one whenever anything may have changed (a storage.onChanged event, a local rename, an
 * unlock) and the browsers converge.
 *
 * Which passkeys sync: those created while sync was on, which are backup eligible (BE=1) and keep
 * no signature counter. Device-bound passkeys (BE=0, created with sync off) never leave the
 * browser: their counter would go backwards as soon as two browsers used them, and BE cannot
 * change after creation (docs/SYNC.md). A synced passkey reports BS=1 while it is in sync
 * storage and sync is on; BS=0 otherwise.
 *
 * Knows no extension API: the area, the vault, the evidence store and the clock come in.
 */
import { type EvidenceStore } from '../orphans/evidenceStore';
import type { CredentialRecord } from '../vault/credentialRecord';
import { listCredentialMetadata, updateCredentialMetadata } from '../vault/credentialMetadata';
import type { Vault } from '../vault/vault';
import type { CredentialMetadata, VaultDatabase, VaultKeyRecord } from '../vault/vaultDatabase';
import { fromBase64url, toBase64url } from '../webauthn/base64url';
import { HybridLogicalClock } from './hlc';
import { mergeEntity, mergeEvidence, newestClock } from './mergeEntity';
import { itemBytes, SYNC_QUOTA, type SyncStorageArea } from './syncArea';
import {
  chunkItems,
  isChunkKey,
  isRecordKey,
  itemKeyOf,
  openEntity,
  reassemble,
  sealEntity,
  SyncItemError,
  type SyncKeys,
} from './syncCodec';
import { TOMBSTONE_TTL_MS, type Account, type Register, type SyncedPasskey, type SyncEntity } from './syncEntity';
import type { BaseEntry, RecordSyncState, SyncStateStore } from './syncStateStore';
import { WriteBudget } from './writeBudget';

/** The item holding the passphrase-sealed vault secret. */
export const KEY_ITEM = 'k';
/** Kept free for the key item and growth of records already stored (evidence, renames). */
export const RESERVE_BYTES = 2_048;
/** The popup warns from this share of QUOTA_BYTES. */
export const WARN_SHARE = 0.8;

export interface SyncStatus {
  lastSyncedAt: number | null;
  /** Passkeys in sync storage. */
  synced: number;
  /** Backup-eligible passkeys kept only in this browser because sync storage is full. */
  notSynced: number;
  notSyncedIds: string[];
  /** Passkeys created while sync was off: they stay in this browser (BE=0). */
  deviceBound: number;
  conflictsResolved: number;
  /** Problems of the last round, in plain words; nothing local is lost for any of them. */
  errors: string[];
  bytesInUse: number;
  quotaBytes: number;
  /** bytesInUse reached WARN_SHARE of the quota. */
  nearQuota: boolean;
}

/** The sealed vault secret as it travels. */
interface KeyItem {
  v: 1;
  keyId: string;
  kdf: 'PBKDF2-SHA256';
  salt: string;
  iterations: number;
  iv: string;
  ciphertext: string;
  createdAt: number;
  changedAt: number;
}

export interface SyncEngineOptions {
  area: SyncStorageArea;
  state: SyncStateStore;
  vault: Vault;
  db: VaultDatabase;
  evidence: EvidenceStore;
  now(): number;
}

/** Why a round stopped before writing anything; the status says so. */
export class SyncStoppedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SyncStoppedError';
  }
}

const toKeyItem = (record: VaultKeyRecord, keyId: string): KeyItem => ({
  v: 1,
  keyId,
  kdf: record.kdf,
  salt: toBase64url(record.salt),
  iterations: record.iterations,
  iv: toBase64url(record.sealedSecret.iv),
  ciphertext: toBase64url(record.sealedSecret.ciphertext),
  createdAt: record.createdAt,
  changedAt: record.changedAt,
});

export function keyRecordOf(item: unknown): { record: VaultKeyRecord; keyId: string } | undefined {
  const candidate = item as Partial<KeyItem> | undefined;
  if (!candidate || candidate.v !== 1 || candidate.kdf !== 'PBKDF2-SHA256' || typeof candidate.keyId !== 'string')
    return undefined;
  try {
    return {
      keyId: candidate.keyId,
      record: {
        kdf: 'PBKDF2-SHA256',
        salt: fromBase64url(candidate.salt!),
        iterations: candidate.iterations!,
        sealedSecret: { iv: fromBase64url(candidate.iv!), ciphertext: fromBase64url(candidate.ciphertext!) },
        createdAt: candidate.createdAt!,
        changedAt: candidate.changedAt!,
      },
    };
  } catch {
    return undefined;
  }
}

const sameKeyItem = (a: unknown, b: KeyItem) => JSON.stringify(a) === JSON.stringify(b);

/** What a round compares: everything but the (immutable) passkey. */
const comparable = (entity: SyncEntity | undefined) =>
  entity && JSON.stringify({ n: entity.name, a: entity.account, e: entity.evidence ?? [], d: entity.deleted });

const withoutPasskey = ({ passkey: _passkey, ...rest }: SyncEntity): SyncEntity => rest;

function toSyncedPasskey(record: CredentialRecord): SyncedPasskey {
  const {
    id: _i,
    name: _n,
    userName: _u,
    userDisplayName: _d,
    signCount: _s,
    lastUsedAt: _l,
    backupState: _b,
    ...passkey
  } = record;
  return passkey;
}

/** The local version of a register: the base's clock while the value is unchanged, else a new local edit. */
function register<T>(value: T, base: Register<T> | undefined, tick: () => string): Register<T> {
  if (base && JSON.stringify(base.value) === JSON.stringify(value)) return base;
  return { value, clock: tick(), ...(base ? { prev: base.clock } : {}) };
}

interface Upload {
  id: string;
  itemKey: string;
  entity: SyncEntity;
  /** Keys the remote version occupies now (chunks included). */
  oldKeys: string[];
  createdAt: number;
}

export class SyncEngine {
  private readonly budget: WriteBudget;
  private running: Promise<SyncStatus> | undefined;
  private again = false;

  constructor(private readonly options: SyncEngineOptions) {
    this.budget = new WriteBudget(options.now);
  }

  /** Runs a round; a call during a round runs one more after it (never two at once). */
  sync(): Promise<SyncStatus> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        let status: SyncStatus;
        do {
          this.again = false;
          status = await this.round();
        } while (this.again);
        return status;
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /**
   * Sync switched off: the passkeys this browser synced stay here and report BS=0; sync storage
   * keeps them for other browsers. (Passkeys sync never touched keep their BS: an imported one
   * still exists where it came from.)
   */
  async stop(): Promise<void> {
    const { db, state } = this.options;
    const synced = new Set((await state.bases()).map((base) => base.id));
    for (const record of await listCredentialMetadata(db)) {
      if (record.backupEligible && record.backupState && synced.has(record.id)) {
        await updateCredentialMetadata(db, record.id, { backupState: false });
      }
    }
  }

  /** Passkeys kept only here because sync storage was full (for the popup's list: reads no sync storage). */
  async notSyncedIds(): Promise<Set<string>> {
    const bases = await this.options.state.bases();
    return new Set(bases.filter((base) => base.state === 'not-synced' && !base.entity.deleted).map((base) => base.id));
  }

  /** The last round's result, without running one. */
  async status(): Promise<SyncStatus> {
    const { state, area, db } = this.options;
    const [meta, bases, all, records] = await Promise.all([
      state.meta(),
      state.bases(),
      area.get(null),
      listCredentialMetadata(db),
    ]);
    return this.describe(meta, bases, all, records);
  }

  /**
   * A new browser of the same sync account: the sealed vault secret from sync storage becomes
   * this browser's (locked) vault, which then unlocks with that vault's passphrase. Returns
   * whether it did.
   */
  async adoptVaultKey(): Promise<boolean> {
    const { vault, area, state } = this.options;
    if (await vault.keyRecord()) return false;
    const found = keyRecordOf((await area.get([KEY_ITEM]))[KEY_ITEM]);
    if (!found) return false;
    if ((await vault.status()).unencryptedCredentials > 0) {
      // Passkeys from before the passphrase are sealed only by creating a vault here; taking
      // another browser's key would leave them unreadable. They stay as they are.
      await state.saveMeta({
        errors: [
          'This browser has passkeys from before Latchkey had a passphrase: set a passphrase here first. ' +
            'Sync then reports “another vault” until you choose which browser’s vault to keep.',
        ],
      });
      return false;
    }
    await vault.adoptKeyRecord(found.record);
    return true;
  }

  private describe(
    meta: Awaited<ReturnType<SyncStateStore['meta']>>,
    bases: BaseEntry[],
    all: Record<string, unknown>,
    records: CredentialMetadata[],
  ): SyncStatus {
    const live = new Set(records.map((record) => record.id));
    const present = bases.filter((base) => !base.entity.deleted && live.has(base.id));
    const notSyncedIds = present.filter((base) => base.state === 'not-synced').map((base) => base.id);
    const bytesInUse = Object.entries(all).reduce((sum, [key, value]) => sum + itemBytes(key, value), 0);
    return {
      lastSyncedAt: meta.lastSyncedAt,
      synced: present.filter((base) => base.state === 'synced').length,
      notSynced: notSyncedIds.length,
      notSyncedIds,
      deviceBound: records.filter((record) => !record.backupEligible).length,
      conflictsResolved: meta.conflictsResolved,
      errors: meta.errors,
      bytesInUse,
      quotaBytes: SYNC_QUOTA.QUOTA_BYTES,
      nearQuota: bytesInUse >= SYNC_QUOTA.QUOTA_BYTES * WARN_SHARE,
    };
  }

  private async round(): Promise<SyncStatus> {
    const { area, state, vault, db, evidence, now } = this.options;
    const keys = await vault.syncKeys(); // VaultLockedError while locked: nothing can be read or written
    const meta = await state.meta();
    const clock = new HybridLogicalClock(meta.deviceId, now, meta.clock);
    const tick = () => clock.tick();
    const errors: string[] = [];
    let conflicts = 0;

    const all = await area.get(null);
    const writes: Record<string, unknown> = {};
    const removes = new Set<string>();

    // The sealed vault secret travels, so a new browser needs only the passphrase.
    const localKey = (await vault.keyRecord())!;
    const remoteKey = keyRecordOf(all[KEY_ITEM]);
    if (all[KEY_ITEM] !== undefined && !remoteKey) {
      const message =
        'The vault key in sync storage is damaged or from a newer Latchkey; nothing was synced and nothing here changed.';
      await state.saveMeta({ errors: [message] });
      throw new SyncStoppedError(message);
    }
    if (remoteKey && remoteKey.keyId !== keys.keyId) {
      await state.saveMeta({
        errors: [
          'Sync storage holds another Latchkey vault (created in another browser with its own passphrase). Nothing was synced; ' +
            'passkeys here are unchanged. To use that vault here, remove this browser’s Latchkey data first.',
        ],
      });
      throw new SyncStoppedError('another vault in sync storage');
    }
    if (remoteKey && remoteKey.record.changedAt > localKey.changedAt) {
      // The passphrase was changed in another browser: the same secret, sealed anew.
      await vault.adoptKeyRecord(remoteKey.record, true);
    } else if (!sameKeyItem(all[KEY_ITEM], toKeyItem(localKey, keys.keyId))) {
      writes[KEY_ITEM] = toKeyItem(localKey, keys.keyId);
    }

    // Remote passkeys, decrypted. An item that cannot be read is reported and never overwritten.
    const remote = new Map<string, { entity: SyncEntity; keys: string[] }>();
    const untouchable = new Set<string>();
    for (const key of Object.keys(all)) {
      if (key === KEY_ITEM || isChunkKey(key)) continue;
      if (!isRecordKey(key)) {
        errors.push(`Sync item “${key}” is not one Latchkey writes; it was left as it is.`);
        continue;
      }
      try {
        const whole = reassemble(key, all);
        if (whole.kind === 'incomplete') {
          untouchable.add(key); // the rest of a newer write is still on its way
          continue;
        }
        const entity = await openEntity(keys, key, whole.sealed);
        if ((await itemKeyOf(keys, entity.id)) !== key)
          throw new SyncItemError(key, 'holds a passkey that belongs under another key; left as it is');
        remote.set(entity.id, { entity, keys: whole.keys });
        for (const stamp of [entity.name?.clock, entity.account?.clock, entity.deleted?.clock]) if (stamp) clock.receive(stamp);
      } catch (error) {
        untouchable.add(key);
        errors.push(error instanceof Error ? error.message : String(error));
      }
    }

    const records = await listCredentialMetadata(db);
    const local = new Map(records.filter((record) => record.backupEligible).map((record) => [record.id, record]));
    const bases = new Map((await state.bases()).map((base) => [base.id, base]));
    const ids = new Set([...local.keys(), ...bases.keys(), ...remote.keys()]);
    const logs = await evidence.logs([...ids]);
    const store = await vault.credentialStore();

    const newBases: BaseEntry[] = [];
    const droppedBases: string[] = [];
    const uploads: Upload[] = [];
    for (const id of ids) {
      const record = local.get(id);
      const base = bases.get(id);
      const itemKey = base?.itemKey ?? (await itemKeyOf(keys, id));
      if (untouchable.has(itemKey)) continue;
      const theirs = remote.get(id)?.entity;

      let mine: SyncEntity | undefined;
      if (record) {
        const log = mergeEvidence(logs.get(id) ?? [], []); // canonical order, so equal logs compare equal
        mine = {
          v: 1,
          id,
          name: register(record.name, base?.entity.name, tick),
          account: register<Account>(
            { userName: record.userName, userDisplayName: record.userDisplayName },
            base?.entity.account,
            tick,
          ),
          ...(log.length ? { evidence: log } : {}),
        };
      } else if (base?.entity.deleted) {
        mine = base.entity;
      } else if (base && base.state === 'synced') {
        // Deleted here since the last round.
        const seen = newestClock(base.entity);
        mine = { v: 1, id, deleted: { clock: tick(), at: now(), ...(seen ? { seen } : {}) } };
      }
      if (!mine && !theirs) {
        if (base) droppedBases.push(id);
        continue;
      }
      let merged: SyncEntity;
      if (mine && theirs) {
        const result = mergeEntity(mine, theirs);
        merged = result.entity;
        conflicts += result.conflicts.length;
      } else {
        merged = (mine ?? theirs)!;
      }

      if (merged.deleted && now() - merged.deleted.at > TOMBSTONE_TTL_MS) {
        for (const key of remote.get(id)?.keys ?? []) removes.add(key);
        if (record) await this.deleteHere(id);
        droppedBases.push(id);
        continue;
      }

      // Apply here.
      if (merged.deleted) {
        if (record) await this.deleteHere(id);
      } else if (!record) {
        const passkey = merged.passkey ?? theirs?.passkey;
        if (!passkey) {
          if (base) droppedBases.push(id); // neither here nor there any more
          continue;
        }
        if (toBase64url(passkey.credentialId) !== id) {
          errors.push(`Sync item ${itemKey}: its passkey does not match its id; left as it is.`);
          continue;
        }
        try {
          await store.add({
            ...passkey,
            id,
            name: merged.name?.value ?? passkey.rpId,
            userName: merged.account?.value.userName ?? '',
            userDisplayName: merged.account?.value.userDisplayName ?? '',
            signCount: null,
            lastUsedAt: null,
            backupState: true,
          });
        } catch (error) {
          // This browser holds a passkey with that id that does not sync (made with sync off): keep it.
          errors.push(`Sync item ${itemKey} could not be added here: ${error instanceof Error ? error.message : String(error)}`);
          continue;
        }
      } else {
        const patch: Parameters<typeof updateCredentialMetadata>[2] = {};
        if (merged.name && merged.name.value !== record.name) patch.name = merged.name.value;
        if (merged.account && merged.account.value.userName !== record.userName) patch.userName = merged.account.value.userName;
        if (merged.account && merged.account.value.userDisplayName !== record.userDisplayName)
          patch.userDisplayName = merged.account.value.userDisplayName;
        const expected = { name: record.name, userName: record.userName, userDisplayName: record.userDisplayName };
        // Renamed here while this round ran: keep that rename; the next round merges it.
        if (Object.keys(patch).length && !(await updateCredentialMetadata(db, id, patch, expected))) this.again = true;
        const read = logs.get(id) ?? [];
        // Evidence the detector added while this round ran is kept; the next round merges it.
        if (comparable({ v: 1, id, evidence: merged.evidence }) !== comparable({ v: 1, id, evidence: read })) {
          if (!(await evidence.replace(id, record.rpId, merged.evidence ?? [], read))) this.again = true;
        }
      }

      const baseEntry: BaseEntry = { id, itemKey, entity: withoutPasskey(merged), state: 'synced' };
      if (theirs && comparable(theirs) === comparable(merged)) {
        newBases.push(baseEntry);
        continue;
      }
      if (!merged.deleted && !merged.passkey) {
        const full = await store.get(id);
        if (!full) continue;
        merged = { ...merged, passkey: toSyncedPasskey(full) };
      }
      uploads.push({ id, itemKey, entity: merged, oldKeys: remote.get(id)?.keys ?? [], createdAt: record?.createdAt ?? 0 });
      newBases.push(baseEntry);
    }

    // Quotas: records already in sync storage first (their space is counted already), then new
    // ones oldest first; a new passkey that does not fit stays here, marked "not synced".
    let bytes = Object.entries(all).reduce((sum, [key, value]) => sum + itemBytes(key, value), 0);
    let items = Object.keys(all).length;
    if (writes[KEY_ITEM] !== undefined) {
      bytes += itemBytes(KEY_ITEM, writes[KEY_ITEM]) - (all[KEY_ITEM] === undefined ? 0 : itemBytes(KEY_ITEM, all[KEY_ITEM]));
      if (all[KEY_ITEM] === undefined) items++;
    }
    const notSynced = new Set<string>();
    uploads.sort((a, b) => Number(a.oldKeys.length === 0) - Number(b.oldKeys.length === 0) || a.createdAt - b.createdAt);
    for (const upload of uploads) {
      const sealed = await sealEntity(keys, upload.itemKey, upload.entity);
      const next = chunkItems(upload.itemKey, sealed);
      const freed = upload.oldKeys.reduce((sum, key) => sum + itemBytes(key, all[key]), 0);
      const added = Object.entries(next).reduce((sum, [key, value]) => sum + itemBytes(key, value), 0);
      const itemDelta = Object.keys(next).length - upload.oldKeys.length;
      const isNew = upload.oldKeys.length === 0;
      const limit = SYNC_QUOTA.QUOTA_BYTES - (isNew ? RESERVE_BYTES : 0);
      if (bytes - freed + added > limit || items + itemDelta > SYNC_QUOTA.MAX_ITEMS) {
        if (isNew) notSynced.add(upload.id);
        else
          errors.push('Sync storage is full: a change to a synced passkey waits for room (delete passkeys you no longer need).');
        continue;
      }
      bytes += added - freed;
      items += itemDelta;
      Object.assign(writes, next);
      for (const key of upload.oldKeys) if (!(key in next)) removes.add(key);
    }
    for (const entry of newBases) if (notSynced.has(entry.id)) entry.state = 'not-synced';
    for (const entry of newBases) {
      const upload = uploads.find((candidate) => candidate.id === entry.id);
      if (upload && !notSynced.has(entry.id) && !(upload.itemKey in writes)) {
        // A change that did not fit: keep the old base, so it is tried again next round.
        const old = bases.get(entry.id);
        if (old) Object.assign(entry, old);
      }
    }

    const operations = (Object.keys(writes).length ? 1 : 0) + (removes.size ? 1 : 0);
    const wait = this.budget.waitFor(operations);
    if (wait > 0) {
      await state.saveMeta({ errors: [`Waiting ${Math.ceil(wait / 1000)} s for the browser’s sync write limit.`] });
      throw new SyncStoppedError('write budget');
    }
    try {
      if (Object.keys(writes).length) await area.set(writes);
      if (removes.size) await area.remove([...removes]);
    } catch (error) {
      await state.saveMeta({
        errors: [
          `Writing to sync storage failed: ${error instanceof Error ? error.message : String(error)}. Nothing was lost here.`,
        ],
      });
      throw error;
    } finally {
      this.budget.spend(operations);
    }

    await state.saveBases(newBases, droppedBases);
    await this.applyBackupState(records, new Map(newBases.map((entry) => [entry.id, entry.state])));
    const saved = await state.saveMeta({
      clock: clock.current(),
      lastSyncedAt: now(),
      conflictsResolved: meta.conflictsResolved + conflicts,
      errors,
    });
    return this.describe(saved, await state.bases(), await area.get(null), await listCredentialMetadata(db));
  }

  private async deleteHere(id: string): Promise<void> {
    await this.options.vault.credentialStore().then((store) => store.delete(id));
    await this.options.evidence.forget(id);
  }

  /** BS follows sync: 1 for a passkey in sync storage, 0 for one kept only here. */
  private async applyBackupState(records: CredentialMetadata[], states: Map<string, RecordSyncState>): Promise<void> {
    for (const record of records) {
      if (!record.backupEligible) continue;
      const state = states.get(record.id);
      if (!state) continue;
      const backedUp = state === 'synced';
      if (record.backupState !== backedUp) await updateCredentialMetadata(this.options.db, record.id, { backupState: backedUp });
    }
  }
}
