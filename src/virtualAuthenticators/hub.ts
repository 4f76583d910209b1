/**
 * The virtual authenticators of tester mode and their credentials, kept in a JSON state that the
 * service worker persists in session storage (so they survive the worker being stopped for
 * idleness, and vanish with the browser session). Every command is validated here.
 */
import { z } from 'zod';
import type { CredentialRecord, CredentialStore } from '../vault/credentialRecord';
import { newestFirst } from '../vault/newestFirst';
import { fromBase64url, toBase64url } from '../webauthn/base64url';
import { recordFromVirtual, restored, type StoredRecord, storable, virtualFromRecord } from './credentialJson';
import {
  injection,
  type Injection,
  responseOverrideBits,
  type ResponseOverrideBits,
  type TesterEvent,
  virtualAuthenticatorOptions,
  type VirtualAuthenticatorOptions,
  virtualCredential,
} from './types';

interface AuthenticatorState {
  options: VirtualAuthenticatorOptions;
  overrides: ResponseOverrideBits;
  injections: Injection[];
  credentials: Record<string, StoredRecord>;
  addedAt: number;
}

export interface HubState {
  authenticators: Record<string, AuthenticatorState>;
  /** The authenticator that answers when several could (beyond CDP). */
  active: string | null;
  events: TesterEvent[];
  seq: number;
}

export interface HubStorage {
  load(): Promise<HubState | undefined>;
  save(state: HubState): Promise<void>;
}

/** Events kept for getEvents: the newest ones. */
const MAX_EVENTS = 500;

const id = z.object({ authenticatorId: z.string().min(1) });
const COMMANDS = {
  addVirtualAuthenticator: z.object({ options: z.unknown().optional() }),
  removeVirtualAuthenticator: id,
  addCredential: id.extend({ credential: virtualCredential }),
  getCredential: id.extend({ credentialId: z.string().min(1) }),
  getCredentials: id,
  removeCredential: id.extend({ credentialId: z.string().min(1) }),
  clearCredentials: id,
  setUserVerified: id.extend({ isUserVerified: z.boolean() }),
  setAutomaticPresenceSimulation: id.extend({ enabled: z.boolean() }),
  setCredentialProperties: id.extend({
    credentialId: z.string().min(1),
    backupEligibility: z.boolean().optional(),
    backupState: z.boolean().optional(),
  }),
  setResponseOverrideBits: id.extend(responseOverrideBits.shape),
  injectFailure: id.extend({ injection }),
  setActiveAuthenticator: z.object({ authenticatorId: z.string().min(1).nullable() }),
  listAuthenticators: z.object({}),
  getEvents: z.object({ since: z.number().int().min(0).default(0) }),
  exportState: z.object({}),
  importState: z.object({ state: z.unknown() }),
  clearAll: z.object({}),
} as const;
export type TesterCommand = keyof typeof COMMANDS;
export const TESTER_COMMANDS = Object.keys(COMMANDS) as TesterCommand[];

function parse<K extends TesterCommand>(name: K, params: unknown): z.output<(typeof COMMANDS)[K]> {
  return COMMANDS[name].parse(params ?? {}) as z.output<(typeof COMMANDS)[K]>;
}

const emptyState = (): HubState => ({ authenticators: {}, active: null, events: [], seq: 0 });

/** The base64url form of an id given in base64 or base64url. */
const normalizedId = (text: string) => toBase64url(fromBase64url(text.replace(/\+/g, '-').replace(/\//g, '_')));

export interface VirtualAuthenticatorView {
  authenticatorId: string;
  options: VirtualAuthenticatorOptions;
  overrides: ResponseOverrideBits;
}

export interface Hub {
  command(name: string, params: unknown): Promise<unknown>;
  /** The authenticator that answers a page of `origin`, if any. */
  select(origin: string): Promise<VirtualAuthenticatorView | null>;
  /** The authenticator's credentials as a CredentialStore; changes raise credential events. */
  storeFor(authenticatorId: string): CredentialStore;
  /** Takes the next injected failure of the authenticator, if any. */
  takeInjection(authenticatorId: string): Promise<Injection | undefined>;
  recordCeremony(authenticatorId: string, ceremony: NonNullable<TesterEvent['ceremony']>): Promise<void>;
  hasAuthenticators(): Promise<boolean>;
}

export function createHub(storage: HubStorage, now: () => number, randomId: () => string): Hub {
  let state: HubState | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  /** Runs `work` on the loaded state, one at a time, and saves it after a change. */
  function withState<T>(work: (current: HubState) => T | Promise<T>, changes = true): Promise<T> {
    const run = queue.then(async () => {
      state ??= (await storage.load()) ?? emptyState();
      const result = await work(state);
      if (changes) await storage.save(state);
      return result;
    });
    queue = run.catch(() => undefined);
    return run;
  }

  function authenticator(current: HubState, authenticatorId: string): AuthenticatorState {
    const found = current.authenticators[authenticatorId];
    if (!found) throw new Error(`No virtual authenticator with id ${authenticatorId}.`);
    return found;
  }

  function emit(current: HubState, event: Omit<TesterEvent, 'seq' | 'at'>): void {
    current.seq += 1;
    current.events.push({ ...event, seq: current.seq, at: now() });
    if (current.events.length > MAX_EVENTS) current.events.splice(0, current.events.length - MAX_EVENTS);
  }

  function credentialEvent(
    current: HubState,
    type: TesterEvent['type'],
    authenticatorId: string,
    record: CredentialRecord,
  ): void {
    emit(current, { type, authenticatorId, credential: virtualFromRecord(record) });
  }

  async function run(name: TesterCommand, params: unknown): Promise<unknown> {
    switch (name) {
      case 'addVirtualAuthenticator': {
        const options = virtualAuthenticatorOptions.parse(parse('addVirtualAuthenticator', params).options ?? {});
        // A U2F authenticator keeps no discoverable credentials and cannot verify users.
        const effective =
          options.protocol === 'u2f' ? { ...options, hasResidentKey: false, hasUserVerification: false } : options;
        const authenticatorId = randomId();
        await withState((current) => {
          current.authenticators[authenticatorId] = {
            options: effective,
            overrides: { isBogusSignature: false, isBadUV: false, isBadUP: false },
            injections: [],
            credentials: {},
            addedAt: now(),
          };
        });
        return { authenticatorId };
      }
      case 'removeVirtualAuthenticator': {
        const { authenticatorId } = parse('removeVirtualAuthenticator', params);
        return withState((current) => {
          authenticator(current, authenticatorId);
          delete current.authenticators[authenticatorId];
          if (current.active === authenticatorId) current.active = null;
          return {};
        });
      }
      case 'addCredential': {
        const { authenticatorId, credential } = parse('addCredential', params);
        const options = await withState((current) => authenticator(current, authenticatorId).options, false);
        const record = await recordFromVirtual(credential, now(), {
          backupEligible: options.defaultBackupEligibility,
          backupState: options.defaultBackupState,
        });
        return withState((current) => {
          const target = authenticator(current, authenticatorId);
          if (target.credentials[record.id]) throw new Error(`The authenticator already has a credential with id ${record.id}.`);
          target.credentials[record.id] = storable(record);
          credentialEvent(current, 'credentialAdded', authenticatorId, record);
          return {};
        });
      }
      case 'getCredential': {
        const { authenticatorId, credentialId } = parse('getCredential', params);
        return withState((current) => {
          const stored = authenticator(current, authenticatorId).credentials[normalizedId(credentialId)];
          if (!stored) throw new Error(`No credential with id ${credentialId}.`);
          return { credential: virtualFromRecord(restored(stored)) };
        }, false);
      }
      case 'getCredentials': {
        const { authenticatorId } = parse('getCredentials', params);
        return withState(
          (current) => ({
            credentials: Object.values(authenticator(current, authenticatorId).credentials)
              .map(restored)
              .sort(newestFirst)
              .map((record) => virtualFromRecord(record)),
          }),
          false,
        );
      }
      case 'removeCredential': {
        const { authenticatorId, credentialId } = parse('removeCredential', params);
        return withState((current) => {
          const target = authenticator(current, authenticatorId);
          const stored = target.credentials[normalizedId(credentialId)];
          if (!stored) throw new Error(`No credential with id ${credentialId}.`);
          delete target.credentials[stored.id];
          credentialEvent(current, 'credentialDeleted', authenticatorId, restored(stored));
          return {};
        });
      }
      case 'clearCredentials': {
        const { authenticatorId } = parse('clearCredentials', params);
        return withState((current) => {
          const target = authenticator(current, authenticatorId);
          for (const stored of Object.values(target.credentials))
            credentialEvent(current, 'credentialDeleted', authenticatorId, restored(stored));
          target.credentials = {};
          return {};
        });
      }
      case 'setUserVerified': {
        const { authenticatorId, isUserVerified } = parse('setUserVerified', params);
        return withState((current) => {
          authenticator(current, authenticatorId).options.isUserVerified = isUserVerified;
          return {};
        });
      }
      case 'setAutomaticPresenceSimulation': {
        const { authenticatorId, enabled } = parse('setAutomaticPresenceSimulation', params);
        return withState((current) => {
          authenticator(current, authenticatorId).options.automaticPresenceSimulation = enabled;
          return {};
        });
      }
      case 'setCredentialProperties': {
        const { authenticatorId, credentialId, backupEligibility, backupState } = parse('setCredentialProperties', params);
        return withState((current) => {
          const target = authenticator(current, authenticatorId);
          const stored = target.credentials[normalizedId(credentialId)];
          if (!stored) throw new Error(`No credential with id ${credentialId}.`);
          const backupEligible = backupEligibility ?? stored.backupEligible;
          const next = { ...stored, backupEligible, backupState: backupEligible && (backupState ?? stored.backupState) };
          target.credentials[stored.id] = next;
          credentialEvent(current, 'credentialUpdated', authenticatorId, restored(next));
          return {};
        });
      }
      case 'setResponseOverrideBits': {
        const { authenticatorId, ...bits } = parse('setResponseOverrideBits', params);
        return withState((current) => {
          authenticator(current, authenticatorId).overrides = bits;
          return {};
        });
      }
      case 'injectFailure': {
        const { authenticatorId, injection: failure } = parse('injectFailure', params);
        return withState((current) => {
          authenticator(current, authenticatorId).injections.push(failure);
          return {};
        });
      }
      case 'setActiveAuthenticator': {
        const { authenticatorId } = parse('setActiveAuthenticator', params);
        return withState((current) => {
          if (authenticatorId !== null) authenticator(current, authenticatorId);
          current.active = authenticatorId;
          return {};
        });
      }
      case 'listAuthenticators':
        return withState(
          (current) => ({
            authenticators: Object.entries(current.authenticators).map(([authenticatorId, entry]) => ({
              authenticatorId,
              options: entry.options,
              credentials: Object.keys(entry.credentials).length,
            })),
          }),
          false,
        );
      case 'getEvents': {
        const { since } = parse('getEvents', params);
        return withState((current) => ({ events: current.events.filter((event) => event.seq > since), seq: current.seq }), false);
      }
      case 'exportState':
        return withState((current) => ({ state: structuredClone({ ...current, events: [], seq: 0 }) }), false);
      case 'importState': {
        const { state: imported } = parse('importState', params);
        const parsed = importedState.parse(imported);
        return withState((current) => {
          current.authenticators = parsed.authenticators as HubState['authenticators'];
          current.active = parsed.active;
          return {};
        });
      }
      case 'clearAll':
        return withState((current) => {
          Object.assign(current, emptyState());
          return {};
        });
    }
  }

  return {
    async command(name, params) {
      if (!(name in COMMANDS)) throw new Error(`Unknown tester command "${name}". Known: ${TESTER_COMMANDS.join(', ')}.`);
      return run(name as TesterCommand, params);
    },

    select(origin) {
      return withState((current) => {
        const candidates = Object.entries(current.authenticators)
          .filter(
            ([, entry]) => !entry.options.origins || entry.options.origins.some((allowed) => new URL(allowed).origin === origin),
          )
          .sort(([, a], [, b]) => b.addedAt - a.addedAt);
        const chosen = candidates.find(([authenticatorId]) => authenticatorId === current.active) ?? candidates[0];
        return chosen ? { authenticatorId: chosen[0], options: chosen[1].options, overrides: chosen[1].overrides } : null;
      }, false);
    },

    storeFor(authenticatorId) {
      const read = <T>(work: (credentials: Record<string, StoredRecord>) => T) =>
        withState((current) => work(authenticator(current, authenticatorId).credentials), false);
      return {
        listByRpId: (rpId) =>
          read((credentials) =>
            Object.values(credentials)
              .filter((stored) => stored.rpId === rpId)
              .map(restored)
              .sort(newestFirst),
          ),
        get: (credentialId) =>
          read((credentials) => (credentials[credentialId] ? restored(credentials[credentialId]) : undefined)),
        list: () => read((credentials) => Object.values(credentials).map(restored).sort(newestFirst)),
        add: (record) =>
          withState((current) => {
            const target = authenticator(current, authenticatorId);
            if (target.credentials[record.id]) throw new Error(`a credential with id ${record.id} already exists`);
            target.credentials[record.id] = storable(record);
            credentialEvent(current, 'credentialAdded', authenticatorId, record);
          }),
        update: (credentialId, change) =>
          withState((current) => {
            const target = authenticator(current, authenticatorId);
            const stored = target.credentials[credentialId];
            if (!stored) throw new Error(`no credential with id ${credentialId}`);
            const before = restored(stored);
            const next = change(restored(stored));
            if (next.id !== credentialId) throw new Error('update must not change a credential id');
            target.credentials[credentialId] = storable(next);
            // An assertion moves lastUsedAt; anything else (a signal renaming the account) is an update.
            credentialEvent(
              current,
              next.lastUsedAt !== before.lastUsedAt ? 'credentialAsserted' : 'credentialUpdated',
              authenticatorId,
              next,
            );
            return next;
          }),
        delete: (credentialId) =>
          withState((current) => {
            const target = authenticator(current, authenticatorId);
            const stored = target.credentials[credentialId];
            if (!stored) return;
            delete target.credentials[credentialId];
            credentialEvent(current, 'credentialDeleted', authenticatorId, restored(stored));
          }),
      };
    },

    takeInjection(authenticatorId) {
      return withState((current) => {
        const target = current.authenticators[authenticatorId];
        const next = target?.injections[0];
        if (!next) return undefined;
        if (next.times > 1) target.injections[0] = { ...next, times: next.times - 1 };
        else target.injections.shift();
        return next;
      });
    },

    recordCeremony(authenticatorId, ceremony) {
      return withState((current) => emit(current, { type: 'ceremony', authenticatorId, ceremony }));
    },

    hasAuthenticators() {
      return withState((current) => Object.keys(current.authenticators).length > 0, false);
    },
  };
}

/** What importState accepts: an exportState result (validated: a broken file changes nothing). */
const storedRecord = z.object({
  id: z.string(),
  credentialId: z.string(),
  rpId: z.string(),
  userHandle: z.string(),
  userName: z.string(),
  userDisplayName: z.string(),
  name: z.string(),
  algorithm: z.number().int(),
  publicKeyCose: z.string(),
  privateKeyPkcs8: z.string(),
  signCount: z.number().int().nullable(),
  discoverable: z.boolean(),
  backupEligible: z.boolean(),
  backupState: z.boolean(),
  createdAt: z.number(),
  lastUsedAt: z.number().nullable(),
});
const importedState = z.object({
  authenticators: z.record(
    z.string(),
    z.object({
      options: z.record(z.string(), z.unknown()).pipe(z.any()),
      overrides: responseOverrideBits,
      injections: z.array(injection),
      credentials: z.record(z.string(), storedRecord),
      addedAt: z.number(),
    }),
  ),
  active: z.string().nullable(),
});
