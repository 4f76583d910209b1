import { createOrphanDetector, type OrphanDetector } from '../src/orphans/detector';
import { openEvidenceStore } from '../src/orphans/evidenceStore';
import type { CredentialStore } from '../src/vault/credentialRecord';
import { openCredentialStore } from '../src/vault/idbCredentialStore';
import { createHub, type Hub, type HubState } from '../src/virtualAuthenticators/hub';

/** What the worker's handlers use, opened once per worker life on first need. */
export interface Services {
  credentials: CredentialStore;
  orphans: OrphanDetector;
  /** Tester mode's virtual authenticators. */
  virtual: Hub;
}

const HUB_KEY = 'virtualAuthenticators';

/** Session storage: the virtual authenticators outlive the worker's idle stops, not the browser session. */
const virtualAuthenticators = createHub(
  {
    load: async () => (await chrome.storage.session.get(HUB_KEY))[HUB_KEY] as HubState | undefined,
    save: (state) => chrome.storage.session.set({ [HUB_KEY]: state }),
  },
  () => Date.now(),
  () => crypto.randomUUID(),
);

let opened: Promise<Services> | undefined;

export function services(): Promise<Services> {
  opened ??= (async () => {
    const [credentials, evidence] = await Promise.all([openCredentialStore(), openEvidenceStore()]);
    return { credentials, orphans: createOrphanDetector(credentials, evidence, () => Date.now()), virtual: virtualAuthenticators };
  })();
  return opened;
}
