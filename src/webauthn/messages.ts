/**
 * The one message schema. Every message that crosses a boundary (page → MAIN
 * world → ISOLATED bridge → service worker, and extension pages → service
 * worker) is declared here and validated with zod where it is received.
 */
import { z } from 'zod';
import { isBase64url } from './base64url';
import { siteMode, type ManagedPolicy, type SiteMode } from '../settings/sitePolicy';

const base64url = z.string().refine(isBase64url, 'not base64url');

const descriptor = z.object({
  type: z.string(),
  id: base64url,
  transports: z.array(z.string()).optional(),
});

const prfValues = z.object({ first: base64url, second: base64url.optional() });

/** The extension inputs Latchkey implements; convertOptions.ts drops every other one in the page. */
const extensionInputs = z.object({
  credProps: z.boolean().optional(),
  prf: z
    .object({
      eval: prfValues.optional(),
      // Keys are the page's strings; the client checks they are base64url credential ids (SyntaxError otherwise).
      evalByCredential: z.record(z.string().max(2048), prfValues).optional(),
    })
    .optional(),
  largeBlob: z
    .object({
      support: z.string().optional(),
      read: z.boolean().optional(),
      // CTAP 2.1 authenticators commonly offer 1024 bytes or more of large-blob storage; Latchkey allows 64 KiB per credential.
      write: base64url.max(87_382).optional(),
    })
    .optional(),
});

export const creationOptionsJSON = z.object({
  rp: z.object({ id: z.string().optional(), name: z.string() }),
  user: z.object({ id: base64url, name: z.string(), displayName: z.string() }),
  challenge: base64url,
  pubKeyCredParams: z.array(z.object({ type: z.string(), alg: z.number().int() })),
  timeout: z.number().nonnegative().optional(),
  excludeCredentials: z.array(descriptor).optional(),
  authenticatorSelection: z
    .object({
      authenticatorAttachment: z.string().optional(),
      residentKey: z.string().optional(),
      requireResidentKey: z.boolean().optional(),
      userVerification: z.string().optional(),
    })
    .optional(),
  hints: z.array(z.string()).optional(),
  attestation: z.string().optional(),
  attestationFormats: z.array(z.string()).optional(),
  extensions: extensionInputs.optional(),
});

export const requestOptionsJSON = z.object({
  challenge: base64url,
  timeout: z.number().nonnegative().optional(),
  rpId: z.string().optional(),
  allowCredentials: z.array(descriptor).optional(),
  userVerification: z.string().optional(),
  hints: z.array(z.string()).optional(),
  extensions: extensionInputs.optional(),
});

const requestId = z.string().min(1).max(64);
const mediation = z.enum(['silent', 'optional', 'conditional', 'required']).optional();

/** The public JSON form of a credential the browser's own WebAuthn returned (PublicKeyCredential.toJSON()). */
const reportedResponse = z.object({
  id: z.string().max(2_048).optional(),
  rawId: z.string().max(2_048).optional(),
  type: z.string().max(64).optional(),
  authenticatorAttachment: z.string().max(64).nullable().optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).optional(),
  response: z.record(z.string().max(64), z.union([z.string().max(65_536), z.number(), z.array(z.string().max(64)).max(16)])),
});

/** How a ceremony the browser's own WebAuthn took ended, as the page's MAIN world saw it. */
const reportedOutcome = z.discriminatedUnion('status', [
  z.object({ status: z.literal('pending') }),
  z.object({ status: z.literal('success'), response: reportedResponse.optional() }),
  z.object({ status: z.literal('error'), name: z.string().max(64), message: z.string().max(2_000) }),
]);

/** Page (through the bridge) → service worker. */
export const pageRequest = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('create'), requestId, options: creationOptionsJSON, mediation }),
  z.object({ kind: z.literal('get'), requestId, options: requestOptionsJSON, mediation }),
  z.object({ kind: z.literal('abort'), requestId }),
  /** The bridge asks whether the worker still has this request (it may have been stopped and restarted). */
  z.object({ kind: z.literal('ping'), requestId }),
  /**
   * Diagnostics: the outcome of a ceremony the browser's own WebAuthn took — one Latchkey handed
   * over (`fallback`), or one passed straight on (`passThrough`, e.g. mediation "conditional"),
   * which the first report announces. It can only touch the record of the same tab, frame,
   * document and request id.
   */
  z.object({
    kind: z.literal('report'),
    requestId,
    passThrough: z
      .discriminatedUnion('operation', [
        z.object({ operation: z.literal('create'), options: creationOptionsJSON, mediation }),
        z.object({ operation: z.literal('get'), options: requestOptionsJSON, mediation }),
      ])
      .optional(),
    outcome: reportedOutcome,
  }),
  // The Signal API (WebAuthn L3 §5.1.10): what the site says about the passkeys it knows.
  z.object({ kind: z.literal('signal-unknown-credential'), requestId, rpId: z.string(), credentialId: base64url }),
  z.object({
    kind: z.literal('signal-all-accepted-credentials'),
    requestId,
    rpId: z.string(),
    userId: base64url,
    allAcceptedCredentialIds: z.array(base64url).max(10_000),
  }),
  z.object({
    kind: z.literal('signal-current-user-details'),
    requestId,
    rpId: z.string(),
    userId: base64url,
    name: z.string().max(1_000),
    displayName: z.string().max(1_000),
  }),
]);
export type PageRequest = z.infer<typeof pageRequest>;

/** Service worker → page. `fallback`: hand the original request to the browser's own WebAuthn. */
export type PageReply =
  | { kind: 'credential'; credential: import('./types').RegistrationResponseJSON | import('./types').AuthenticationResponseJSON }
  /**
   * `modal`: a passkey autofill request whose person chose "Other passkey options" goes to the
   * browser as a modal request (its dialog: phone, security key), not back into autofill.
   */
  | { kind: 'fallback'; modal?: true }
  /** A signal was taken (the page learns nothing about what it changed). */
  | { kind: 'done' }
  /** The answer to a ping: whether the request is still under way. */
  | { kind: 'alive'; running: boolean }
  | { kind: 'error'; name: string; message: string };

const passkeyId = base64url.min(1);
const promptId = z.string().min(1).max(64);

export const userDecision = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('approve'),
    verified: z.boolean(),
    credentialId: z.string().optional(),
    name: z.string().max(200).optional(),
    /**
     * The PIN typed in the prompt. The worker checks it and sets `verified` itself:
     * whatever `verified` the window sends is ignored, so the UV flag is only set
     * after a checked PIN.
     */
    pin: z.string().min(1).max(256).optional(),
    /** "Remember for this site" in the save prompt: this site stays with Latchkey. */
    rememberForSite: z.boolean().optional(),
  }),
  z.object({ outcome: z.literal('cancel') }),
  z.object({
    outcome: z.literal('use-another-authenticator'),
    /** "Remember for this site": the site is handed to the browser from now on. */
    rememberForSite: z.boolean().optional(),
  }),
  /** Run the ceremony on a USB security key through the native bridge, with the key's PIN if it has one. */
  z.object({ outcome: z.literal('use-security-key'), pin: z.string().min(4).max(63).optional() }),
]);

/** What a prompt window answers: a UserDecision, plus the PIN typed, if any. */
export type PromptDecision = z.infer<typeof userDecision>;

export const settingsPatch = z
  .object({
    /** Tester mode: ceremonies are approved without a prompt. Never settable by a page. */
    testerAutoApprove: z.boolean(),
    /** Sign-in: step in only when Latchkey holds a matching passkey; otherwise the browser answers, untouched. */
    onlyWithMatchingPasskey: z.boolean(),
    /** Minutes without use after which the vault locks; 0: only on browser restart or "Lock now". */
    autoLockMinutes: z.number().int().min(0).max(24 * 60),
    /**
     * Chromium: also answer, through chrome.webAuthenticationProxy, the requests a page routed
     * around Latchkey's wrapper (background/webAuthenticationProxy.ts).
     */
    interceptWithProxy: z.boolean(),
    /** Sync passkeys through the browser's own sync (storage.sync), end-to-end encrypted. Off by default. */
    sync: z.boolean(),
  })
  .partial();
export type Settings = Required<z.infer<typeof settingsPatch>>;
export const DEFAULT_SETTINGS: Settings = {
  testerAutoApprove: false,
  onlyWithMatchingPasskey: false,
  autoLockMinutes: 15,
  interceptWithProxy: false,
  sync: false,
};

const passphrase = z.string().min(1).max(1024);
const pin = z.string().min(1).max(256);

/** Extension pages (popup, prompt window) → service worker. Refused from content scripts. */
export const extensionRequest = z.discriminatedUnion('kind', [
  /** `limit`: only the first passkeys in site order (the popup's first screen), with the total count. */
  z.object({ kind: z.literal('passkeys.list'), limit: z.number().int().positive().max(100_000).optional() }),
  z.object({ kind: z.literal('passkeys.rename'), id: passkeyId, name: z.string().trim().min(1).max(200) }),
  z.object({ kind: z.literal('passkeys.delete'), id: passkeyId }),
  /** Show a hidden (orphaned) or suspected passkey in sign-in again. */
  z.object({ kind: z.literal('passkeys.show-again'), id: passkeyId }),
  z.object({ kind: z.literal('prompt.load'), promptId }),
  z.object({ kind: z.literal('prompt.answer'), promptId, decision: userDecision }),
  z.object({ kind: z.literal('settings.get') }),
  /** Tester mode's API (src/testing): one command of the virtual-authenticator vocabulary, validated by the hub. */
  z.object({ kind: z.literal('tester.command'), command: z.string().min(1).max(64), params: z.unknown() }),
  z.object({ kind: z.literal('settings.set'), settings: settingsPatch }),
  /** Every passkey as CXF, encrypted with `filePassphrase`; the vault passphrase is asked again. */
  z.object({ kind: z.literal('passkeys.export'), vaultPassphrase: passphrase, filePassphrase: passphrase }),
  /** A CXF, Latchkey or Bitwarden JSON file: all of it or nothing. */
  z.object({ kind: z.literal('passkeys.import'), file: z.string().min(1).max(50_000_000), passphrase: passphrase.optional() }),
  z.object({ kind: z.literal('sites.list') }),
  z.object({ kind: z.literal('sites.set'), host: z.string().min(1).max(253), mode: siteMode.nullable() }),
  z.object({ kind: z.literal('vault.status') }),
  z.object({ kind: z.literal('vault.create'), passphrase }),
  z.object({ kind: z.literal('vault.unlock'), passphrase }),
  z.object({ kind: z.literal('vault.lock') }),
  z.object({ kind: z.literal('vault.changePassphrase'), current: passphrase, next: passphrase }),
  z.object({ kind: z.literal('vault.setPin'), pin }),
  z.object({ kind: z.literal('vault.removePin') }),
  /** The prompt window's passphrase, for a `setup` or `unlock` prompt. */
  z.object({ kind: z.literal('prompt.passphrase'), promptId, passphrase }),
  /** The ceremony log, newest first; of one tab only when tabId is given (the DevTools panel). */
  z.object({
    kind: z.literal('diagnostics.list'),
    tabId: z.number().int().optional(),
    limit: z.number().int().min(1).max(1_000).optional(),
  }),
  z.object({ kind: z.literal('diagnostics.clear') }),
  /** Whether the security-key bridge is installed, and the keys plugged in. */
  z.object({ kind: z.literal('securityKey.status') }),
  /** The passkeys on a security key (credential management needs its PIN). */
  z.object({ kind: z.literal('securityKey.list'), pin: z.string().min(4).max(63), path: z.string().max(512).optional() }),
  z.object({
    kind: z.literal('securityKey.delete'),
    pin: z.string().min(4).max(63),
    path: z.string().max(512).optional(),
    credentialId: z.string().min(1).max(1366).regex(/^[A-Za-z0-9_-]+$/),
  }),
  /** Sync's state for the popup; `run: true` runs a round first ("Sync now"). */
  z.object({ kind: z.literal('sync.status'), run: z.boolean().optional() }),
]);
export type ExtensionRequest = z.infer<typeof extensionRequest>;

/**
 * The autofill dropdown (an extension frame inside a page's tab) → service worker, about the
 * conditional request `requestId` of that tab (background/conditionalMediation.ts).
 */
export const autofillRequest = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('autofill.candidates'), requestId }),
  /** `visibleForMs`: how long the dropdown had been shown unobscured when the trusted click came. */
  z.object({
    kind: z.literal('autofill.pick'),
    requestId,
    credentialId: passkeyId,
    visibleForMs: z.number().min(0).max(Number.MAX_SAFE_INTEGER),
  }),
  z.object({ kind: z.literal('autofill.other'), requestId }),
]);
export type AutofillRequest = z.infer<typeof autofillRequest>;
export type AutofillReply = { rpId: string; candidates: PasskeyView[] } | { ok: true } | { error: string };

/** One passkey as the popup and the prompt's account picker see it: no key material. */
export interface PasskeyView {
  id: string;
  rpId: string;
  userName: string;
  userDisplayName: string;
  name: string;
  algorithm: number;
  discoverable: boolean;
  backupEligible: boolean;
  backupState: boolean;
  signCount: number | null;
  createdAt: number;
  lastUsedAt: number | null;
  /** Whether the site still seems to know it (the orphaned-credential detector's verdict). */
  health: 'ok' | 'suspected' | 'orphaned';
  /** Why, in plain words. */
  healthReason: string;
  /** Sync is on and this backup-eligible passkey is kept only in this browser (sync storage was full). */
  notSynced?: boolean;
}

/** Sync as the popup shows it: the engine's status (src/sync/syncEngine.ts), plus the switch. */
export type SyncStatusView = import('../sync/syncEngine').SyncStatus & {
  enabled: boolean;
  /** The organisation switched sync off (managed policy `syncDisabled`). */
  managedOff: boolean;
  /** `locked`: sync resumes when the vault is unlocked. */
  state: 'off' | 'locked' | 'ok' | 'error';
};

/** What the prompt window shows. */
export type PromptView =
  | {
      promptId: string;
      kind: 'create';
      origin: string;
      rpId: string;
      rpName: string;
      userName: string;
      userDisplayName: string;
      suggestedName: string;
      userVerification: boolean;
      /** The site is set to "ask each time": no place to save is preselected. */
      askWhere: boolean;
      testerMode: boolean;
      /** "Security key" can run the ceremony on a USB key through the native bridge (when installed). */
      securityKey?: boolean;
      /** The security key is waiting for a touch. */
      touchKey?: boolean;
    }
  | {
      promptId: string;
      kind: 'get';
      origin: string;
      rpId: string;
      candidates: PasskeyView[];
      userVerification: boolean;
      testerMode: boolean;
      securityKey?: boolean;
      touchKey?: boolean;
    }
  | { promptId: string; kind: 'excluded'; origin: string; rpId: string; userName: string; testerMode: boolean }
  /** The vault must be created (`setup`) or unlocked before the ceremony can go on. */
  | { promptId: string; kind: 'setup' | 'unlock'; origin: string; rpId: string; testerMode: boolean }
  | { promptId: string; kind: 'no-credentials'; origin: string; rpId: string; testerMode: boolean; securityKey?: boolean; touchKey?: boolean };

/** The vault as extension pages see it. */
export interface VaultStatusView {
  exists: boolean;
  locked: boolean;
  pinSet: boolean;
  pinFailures: number;
  unencryptedCredentials: number;
}

export type ExtensionReply<K extends ExtensionRequest['kind']> = K extends 'passkeys.list'
  ? { passkeys: PasskeyView[]; /** null: more than the first screen, not counted yet. */ total: number | null }
  : K extends 'passkeys.export'
    ? { file: string; exported: number; excluded: { rpId: string; userName: string; name: string }[] }
    : K extends 'passkeys.import'
      ? { format: string; imported: number }
  : K extends `vault.${string}`
    ? { vault: VaultStatusView }
  : K extends 'prompt.load'
    ? { prompt: PromptView | null }
    : K extends 'settings.get' | 'settings.set'
      ? { settings: Settings; policy: ManagedPolicy }
      : K extends 'sites.list' | 'sites.set'
        ? { sites: Record<string, SiteMode>; handOverSites: string[] }
        : K extends 'tester.command'
          ? { result: unknown }
          : K extends 'diagnostics.list'
            ? { records: import('../diagnostics/record').CeremonyRecord[] }
            : K extends 'securityKey.status'
              ? SecurityKeyStatus
              : K extends 'securityKey.list'
                ? { credentials: import('../native/protocol').KeyCredentialJSON[] }
                : K extends 'sync.status'
                  ? { sync: SyncStatusView }
                  : { ok: true };

/** The security-key bridge as extension pages see it. */
export interface SecurityKeyStatus {
  installed: boolean;
  keys: import('../native/protocol').KeySummaryJSON[];
  /** Why the bridge is unavailable, in plain words. */
  problem?: string;
}

/** Errors an extension page gets back. */
export interface ExtensionError {
  error: string;
}
