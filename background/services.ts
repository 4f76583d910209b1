import { createOrphanDetector, type OrphanDetector } from '../src/orphans/detector';
import { openEvidenceStore } from '../src/orphans/evidenceStore';
import type { CredentialStore } from '../src/vault/credentialRecord';
import { openCredentialStore } from '../src/vault/idbCredentialStore';

/** What the worker's handlers use, opened once per worker life on first need. */
export interface Services {
  credentials: CredentialStore;
  orphans: OrphanDetector;
}

let opened: Promise<Services> | undefined;

export function services(): Promise<Services> {
  opened ??= (async () => {
    const [credentials, evidence] = await Promise.all([openCredentialStore(), openEvidenceStore()]);
    return { credentials, orphans: createOrphanDetector(credentials, evidence, () => Date.now()) };
  })();
  return opened;
}
