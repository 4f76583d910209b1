/**
 * The orphaned-credential detector: reads what relying parties already send (signals,
 * excludeCredentials, allowCredentials, a repeated get) as evidence about Latchkey's passkeys
 * for them, and answers which passkeys to hide from sign-in. It never deletes anything.
 */
import type { CredentialRecord, CredentialStore } from '../vault/credentialRecord';
import { equalBytes } from '../webauthn/bytes';
import { classify, type HealthVerdict } from './classify';
import type { Evidence, EvidenceKind } from './evidence';
import type { EvidenceStore } from './evidenceStore';

/** How soon a second get() after a successful assertion counts as "the site asked again". */
export const ASKED_AGAIN_WINDOW_MS = 2 * 60_000;

export interface OrphanDetector {
  /** create(): the site's excludeCredentials for `userHandle` at `rpId`. */
  observeCreate(request: { rpId: string; userHandle: Uint8Array; excludeIds: readonly string[]; origin: string }): Promise<void>;
  /** get(): the site's allowCredentials (empty for username-less). */
  observeGet(request: { rpId: string; allowIds: readonly string[]; origin: string }): Promise<void>;
  /** A passkey signed in. */
  observeAssertion(request: { rpId: string; credentialId: string; origin: string }): Promise<void>;
  signalUnknownCredential(request: { rpId: string; credentialId: string; origin: string }): Promise<void>;
  signalAllAcceptedCredentials(request: {
    rpId: string;
    userHandle: Uint8Array;
    acceptedIds: readonly string[];
    origin: string;
  }): Promise<void>;
  /** The user asked to show a hidden or suspected passkey in sign-in again. */
  clear(credentialId: string, origin: string): Promise<void>;
  /** Forgets a deleted passkey's evidence. */
  forget(credentialId: string): Promise<void>;
  /** Health of each of these passkeys. */
  verdicts(records: readonly { id: string }[]): Promise<Map<string, HealthVerdict>>;
  /** The store as sign-in should see it: orphaned passkeys left out of listByRpId. */
  hidingOrphans(store: CredentialStore): CredentialStore;
}

/**
 * What the detector reads of the passkeys: metadata only (site, account, id), so it works while
 * the vault is locked and never touches key material.
 */
export interface PasskeyDirectory {
  listByRpId(rpId: string): Promise<Pick<CredentialRecord, 'id' | 'rpId' | 'userHandle'>[]>;
  get(id: string): Promise<Pick<CredentialRecord, 'id' | 'rpId'> | undefined>;
}

export function createOrphanDetector(credentials: PasskeyDirectory, evidence: EvidenceStore, now: () => number): OrphanDetector {
  /** The last successful assertion per rpId, to notice a site asking again. Lost with the worker, which only weakens weak evidence. */
  const lastAssertion = new Map<string, { credentialId: string; at: number }>();

  function entry(kind: EvidenceKind, origin: string): Evidence {
    return { kind, at: now(), origin };
  }

  type Listed = Awaited<ReturnType<PasskeyDirectory['listByRpId']>>[number];

  async function record(
    rpId: string,
    kindOf: (record: Listed) => EvidenceKind | null,
    origin: string,
    only?: (record: Listed) => boolean,
  ) {
    const records = (await credentials.listByRpId(rpId)).filter((candidate) => only?.(candidate) ?? true);
    const additions = records.flatMap((candidate) => {
      const kind = kindOf(candidate);
      return kind ? [{ credentialId: candidate.id, rpId, evidence: entry(kind, origin) }] : [];
    });
    await evidence.append(additions);
  }

  const detector: OrphanDetector = {
    async observeCreate({ rpId, userHandle, excludeIds, origin }) {
      // The site is registering this account again and does not list this passkey among the ones it
      // knows — also when it lists none, as after it deleted the only one. Were it still known, an
      // authenticator following CTAP would overwrite it now; hiding it instead keeps it recoverable.
      const listed = new Set(excludeIds);
      await record(
        rpId,
        (candidate) => (listed.has(candidate.id) ? 'in-exclude-list' : 'missing-from-exclude-list'),
        origin,
        (candidate) => equalBytes(candidate.userHandle, userHandle),
      );
    },

    async observeGet({ rpId, allowIds, origin }) {
      const previous = lastAssertion.get(rpId);
      if (previous && now() - previous.at <= ASKED_AGAIN_WINDOW_MS) {
        lastAssertion.delete(rpId);
        await evidence.append([{ credentialId: previous.credentialId, rpId, evidence: entry('asked-again-after-use', origin) }]);
      }
      if (allowIds.length === 0) return;
      const listed = new Set(allowIds);
      const records = await credentials.listByRpId(rpId);
      const named = records.filter((candidate) => listed.has(candidate.id));
      // Named ones are known; if none is named, every one of ours for the site is weakly suspect.
      const additions = (named.length > 0 ? named : records).map((candidate) => ({
        credentialId: candidate.id,
        rpId,
        evidence: entry(named.length > 0 ? 'in-allow-list' : 'missing-from-allow-list', origin),
      }));
      await evidence.append(additions);
    },

    async observeAssertion({ rpId, credentialId }) {
      lastAssertion.set(rpId, { credentialId, at: now() });
    },

    async signalUnknownCredential({ rpId, credentialId, origin }) {
      await record(rpId, (candidate) => (candidate.id === credentialId ? 'signal-unknown' : null), origin);
    },

    async signalAllAcceptedCredentials({ rpId, userHandle, acceptedIds, origin }) {
      const accepted = new Set(acceptedIds);
      await record(
        rpId,
        (candidate) => (accepted.has(candidate.id) ? 'in-accepted-list' : 'not-in-accepted-list'),
        origin,
        (candidate) => equalBytes(candidate.userHandle, userHandle),
      );
    },

    async clear(credentialId, origin) {
      const stored = await credentials.get(credentialId);
      if (!stored) throw new Error('No such passkey.');
      await evidence.append([{ credentialId, rpId: stored.rpId, evidence: entry('cleared-by-user', origin) }]);
    },

    forget(credentialId) {
      return evidence.forget(credentialId);
    },

    async verdicts(records) {
      const logs = await evidence.logs(records.map((candidate) => candidate.id));
      return new Map(records.map((candidate) => [candidate.id, classify(logs.get(candidate.id) ?? [])]));
    },

    hidingOrphans(store) {
      return {
        get: (id) => store.get(id),
        list: () => store.list(),
        add: (record) => store.add(record),
        update: (id, change) => store.update(id, change),
        delete: (id) => store.delete(id),
        async listByRpId(rpId) {
          const records = await store.listByRpId(rpId);
          const verdicts = await detector.verdicts(records);
          return records.filter((candidate) => verdicts.get(candidate.id)?.health !== 'orphaned');
        },
      };
    },
  };
  return detector;
}
