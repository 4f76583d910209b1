import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { ExtensionRequest, VaultStatusView } from '../src/webauthn/messages';
import { errorMessage, sendToWorker } from '../extension/ui/sendToWorker';
import { useRefreshOnChange } from './useRefreshOnChange';

type VaultRequest = Extract<ExtensionRequest, { kind: `vault.${string}` }>;

export interface VaultState {
  /** `null` until the worker has answered. */
  status: VaultStatusView | null;
  error: string | null;
  busy: boolean;
  /** Sends one vault request; resolves true when it succeeded (its error is in `error`). */
  run: (request: VaultRequest) => Promise<boolean>;
}

export function useVault(): VaultState {
  const [status, setStatus] = useState<VaultStatusView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const latest = useRef(0);

  const run = useCallback(async (request: VaultRequest) => {
    const call = ++latest.current;
    if (request.kind !== 'vault.status') setBusy(true);
    try {
      const reply = await sendToWorker(request);
      if (call === latest.current) {
        setStatus(reply.vault);
        setError(null);
      }
      return true;
    } catch (caught) {
      if (call === latest.current) setError(errorMessage(caught));
      return false;
    } finally {
      if (request.kind !== 'vault.status') setBusy(false);
    }
  }, []);

  const refresh = useCallback(() => void run({ kind: 'vault.status' }), [run]);
  useEffect(refresh, [refresh]);
  useRefreshOnChange(refresh);

  return { status, error, busy, run };
}
