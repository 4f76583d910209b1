import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Settings } from '../src/webauthn/messages';
import type { ManagedPolicy } from '../src/settings/sitePolicy';
import { errorMessage, sendToWorker } from '../extension/ui/sendToWorker';
import { useRefreshOnChange } from './useRefreshOnChange';

export interface SettingsState {
  /** `null` until the worker has answered. */
  settings: Settings | null;
  /** The organisation's policy: what it sets, the popup shows and does not let the user change. */
  policy: ManagedPolicy;
  error: string | null;
  saving: boolean;
  setTesterAutoApprove: (on: boolean) => Promise<void>;
  setAutoLockMinutes: (minutes: number) => Promise<void>;
  setOnlyWithMatchingPasskey: (on: boolean) => Promise<void>;
  setInterceptWithProxy: (on: boolean) => Promise<void>;
  setSync: (on: boolean) => Promise<void>;
}

export function useSettings(): SettingsState {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [policy, setPolicy] = useState<ManagedPolicy>({});
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const latest = useRef(0);

  const load = useCallback(async () => {
    const call = ++latest.current;
    try {
      const reply = await sendToWorker({ kind: 'settings.get' });
      if (call !== latest.current) return;
      setSettings(reply.settings);
      setPolicy(reply.policy);
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
  const setAutoLockMinutes = useCallback((minutes: number) => save({ autoLockMinutes: minutes }), [save]);
  const setOnlyWithMatchingPasskey = useCallback((on: boolean) => save({ onlyWithMatchingPasskey: on }), [save]);
  const setInterceptWithProxy = useCallback((on: boolean) => save({ interceptWithProxy: on }), [save]);

  const setSync = useCallback((on: boolean) => save({ sync: on }), [save]);

  return {
    settings,
    policy,
    error,
    saving,
    setTesterAutoApprove,
    setAutoLockMinutes,
    setOnlyWithMatchingPasskey,
    setInterceptWithProxy,
    setSync,
  };
}
