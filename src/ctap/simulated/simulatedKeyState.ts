/**
 * What a simulated security key remembers between power cycles: its PIN (as the key keeps it,
 * LEFT(SHA-256(pin), 16)), the PIN retries left and its discoverable credentials. Stored as JSON
 * with byte strings as `{ "$bytes": base64url }`, so each native-host process (the browser starts
 * one per connection) sees the key as the previous one left it.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { CredentialRecord } from '../../vault/credentialRecord';
import { fromBase64url, toBase64url } from '../../webauthn/base64url';

export const MAX_PIN_RETRIES = 8;

export interface SimulatedKeyState {
  pinHash: Uint8Array | null;
  pinRetries: number;
  credentials: CredentialRecord[];
  /** How many commands a CTAPHID_CANCEL stopped: lets a test see that a cancel reached the key. */
  cancelledCommands: number;
}

export function emptyKeyState(): SimulatedKeyState {
  return { pinHash: null, pinRetries: MAX_PIN_RETRIES, credentials: [], cancelledCommands: 0 };
}

export function serializeKeyState(state: SimulatedKeyState): string {
  return JSON.stringify(
    state,
    (_key, value: unknown) => (value instanceof Uint8Array ? { $bytes: toBase64url(value) } : value),
    2,
  );
}

export function parseKeyState(text: string): SimulatedKeyState {
  const parsed = JSON.parse(text, (_key, value: unknown) =>
    value && typeof value === 'object' && typeof (value as { $bytes?: unknown }).$bytes === 'string'
      ? fromBase64url((value as { $bytes: string }).$bytes)
      : value,
  ) as Partial<SimulatedKeyState>;
  return {
    pinHash: parsed.pinHash instanceof Uint8Array ? parsed.pinHash : null,
    pinRetries: typeof parsed.pinRetries === 'number' ? parsed.pinRetries : MAX_PIN_RETRIES,
    credentials: Array.isArray(parsed.credentials) ? parsed.credentials : [],
    cancelledCommands: typeof parsed.cancelledCommands === 'number' ? parsed.cancelledCommands : 0,
  };
}

/** Persistence in a file; a missing file is a new key. Written to a temporary file, then renamed. */
export function keyStateFile(path: string) {
  return {
    async load(): Promise<SimulatedKeyState> {
      try {
        return parseKeyState(await readFile(path, 'utf8'));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyKeyState();
        throw error;
      }
    },
    async save(state: SimulatedKeyState): Promise<void> {
      const temporary = `${path}.${process.pid}.tmp`;
      await writeFile(temporary, serializeKeyState(state));
      await rename(temporary, path);
    },
  };
}
