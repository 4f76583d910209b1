import { useEffect } from 'preact/hooks';

/**
 * Calls `refresh` when what the popup shows may have changed elsewhere: the
 * extension's storage changed (a ceremony in another tab, the settings), or
 * the popup window got focus or became visible again.
 */
export function useRefreshOnChange(refresh: () => void): void {
  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === 'visible') refresh();
    };
    const onStorage = (changes: Record<string, chrome.storage.StorageChange>, area: string) => {
      // Session storage holds the unlocked vault and its idle clock, which every use moves:
      // only a lock or an unlock changes what the popup shows.
      if (area === 'session') {
        const vault = changes.vaultSession;
        if (!vault || (vault.oldValue === undefined) === (vault.newValue === undefined)) return;
      }
      refresh();
    };
    window.addEventListener('focus', refresh);
    document.addEventListener('visibilitychange', onVisible);
    // Absent when the page is previewed outside the extension.
    const storageChanged = typeof chrome !== 'undefined' ? chrome.storage?.onChanged : undefined;
    storageChanged?.addListener(onStorage);
    return () => {
      window.removeEventListener('focus', refresh);
      document.removeEventListener('visibilitychange', onVisible);
      storageChanged?.removeListener(onStorage);
    };
  }, [refresh]);
}
