import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Settings } from '../src/webauthn/messages';
import { errorMessage, sendToWorker } from '../extension/ui/sendToWorker';
import { useRefreshOnChange } from './useRefreshOnChange';

export interface SettingsState {
  /** `null` until the worker has answered. */
  settings: Settings | null;
  error: string | null;
  saving: boolean;
  setTesterAutoApprove: (on: boolean) => Promise<void>;
  setOnlyWithMatchingPasskey: (on: boolean) => Promise<void>;
}

export function useSettings(): SettingsState {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const latest = useRef(0);

  const load = useCallback(async () => {
    const call = ++latest.current;
    try {
      const reply = await sendToWorker({ kind: 'settings.get' });
      if (call !== latest.current) return;
      setSettings(reply.settings);
      setError(null);
    } catch (caught) {
      if (call !== latest.current) return;
      setError(errorMessage(caught));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);
  useRefreshOnChange(load);

  const save = useCallback(async (patch: Partial<Settings>) => {
    const call = ++latest.current;
    setSaving(true);
    try {
      const reply = await sendToWorker({ kind: 'settings.set', settings: patch });
      if (call === latest.current) {
        setSettings(reply.settings);
        setError(null);
      }
    } catch (caught) {
      if (call === latest.current) setError(errorMessage(caught));
    } finally {
      setSaving(false);
    }
  }, []);

  const setTesterAutoApprove = useCallback((on: boolean) => save({ testerAutoApprove: on }), [save]);
  const setOnlyWithMatchingPasskey = useCallback((on: boolean) => save({ onlyWithMatchingPasskey: on }), [save]);
  return { settings, error, saving, setTesterAutoApprove, setOnlyWithMatchingPasskey };
}
