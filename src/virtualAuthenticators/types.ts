/**
 * Tester mode's virtual authenticators: the vocabulary of Chrome's CDP `WebAuthn` domain (and
 * the W3C WebDriver "Virtual Authenticators" spellings), so a CDP test ports by renaming.
 */
import { z } from 'zod';

export const TRANSPORTS = ['usb', 'nfc', 'ble', 'hybrid', 'internal', 'cable', 'smart-card'] as const;

/** CDP `WebAuthn.VirtualAuthenticatorOptions`, with the WebDriver spellings accepted too. */
export const virtualAuthenticatorOptions = z
  .object({
    /** CDP: 'ctap2' | 'u2f'; WebDriver: 'ctap2' | 'ctap2_1' | 'ctap1/u2f'. */
    protocol: z.enum(['ctap2', 'ctap2_1', 'u2f', 'ctap1/u2f']).default('ctap2'),
    ctap2Version: z.enum(['ctap2_0', 'ctap2_1']).optional(),
    transport: z.enum(TRANSPORTS).default('internal'),
    hasResidentKey: z.boolean().default(true),
    hasUserVerification: z.boolean().default(true),
    hasLargeBlob: z.boolean().default(false),
    hasCredBlob: z.boolean().default(false),
    hasMinPinLength: z.boolean().default(false),
    hasPrf: z.boolean().default(false),
    /** CDP `isUserVerified`; WebDriver `isUserVerified` too. */
    isUserVerified: z.boolean().default(false),
    /** CDP `automaticPresenceSimulation`; WebDriver `isUserConsenting`. */
    automaticPresenceSimulation: z.boolean().default(true),
    isUserConsenting: z.boolean().optional(),
    defaultBackupEligibility: z.boolean().default(false),
    defaultBackupState: z.boolean().default(false),
    /** Beyond CDP: only pages of these origins reach this authenticator (all when absent). */
    origins: z.array(z.string().url()).optional(),
    /** Beyond CDP: a name for logs. */
    label: z.string().max(100).optional(),
  })
  .transform(({ isUserConsenting, protocol, ...options }) => ({
    ...options,
    protocol: protocol === 'ctap1/u2f' ? ('u2f' as const) : protocol === 'ctap2_1' ? ('ctap2' as const) : protocol,
    automaticPresenceSimulation: isUserConsenting ?? options.automaticPresenceSimulation,
  }));
export type VirtualAuthenticatorOptions = z.output<typeof virtualAuthenticatorOptions>;

/** CDP `WebAuthn.setResponseOverrideBits`. */
export const responseOverrideBits = z.object({
  isBogusSignature: z.boolean().default(false),
  isBadUV: z.boolean().default(false),
  isBadUP: z.boolean().default(false),
});
export type ResponseOverrideBits = z.output<typeof responseOverrideBits>;

/**
 * Beyond CDP: what the next ceremonies of an authenticator do instead of succeeding.
 * `times` ceremonies are affected (1 by default); `delay` holds the answer back `ms` first.
 */
export const injection = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cancel'), times: z.number().int().min(1).default(1) }),
  z.object({ kind: z.literal('timeout'), times: z.number().int().min(1).default(1) }),
  z.object({ kind: z.literal('uv-fails'), times: z.number().int().min(1).default(1) }),
  z.object({ kind: z.literal('delay'), ms: z.number().int().min(0).max(120_000), times: z.number().int().min(1).default(1) }),
  z.object({
    kind: z.literal('error'),
    name: z.enum([
      'NotAllowedError',
      'InvalidStateError',
      'SecurityError',
      'NotSupportedError',
      'AbortError',
      'UnknownError',
      'ConstraintError',
    ]),
    message: z.string().max(500).optional(),
    times: z.number().int().min(1).default(1),
  }),
]);
export type Injection = z.output<typeof injection>;

/** A credential as CDP's `WebAuthn.Credential` describes it: binary members in base64 (base64url accepted on input). */
export const virtualCredential = z.object({
  credentialId: z.string().min(1),
  isResidentCredential: z.boolean(),
  rpId: z.string().min(1),
  /** PKCS#8, base64 or base64url. */
  privateKey: z.string().min(1),
  userHandle: z.string().optional(),
  signCount: z.number().int().min(0).default(0),
  largeBlob: z.string().optional(),
  backupEligibility: z.boolean().optional(),
  backupState: z.boolean().optional(),
  userName: z.string().optional(),
  userDisplayName: z.string().optional(),
});
export type VirtualCredentialInput = z.input<typeof virtualCredential>;
export type VirtualCredential = z.output<typeof virtualCredential>;

export type TesterEventType = 'credentialAdded' | 'credentialAsserted' | 'credentialUpdated' | 'credentialDeleted' | 'ceremony';

export interface TesterEvent {
  /** Increasing per browser session: read the log from where you stopped. */
  seq: number;
  at: number;
  type: TesterEventType;
  authenticatorId: string;
  /** For credential events: the credential, as getCredential returns it. */
  credential?: VirtualCredential;
  /** For ceremony events. */
  ceremony?: { operation: 'create' | 'get'; origin: string; rpId?: string; outcome: string; credentialId?: string };
}
