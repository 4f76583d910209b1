import { createOrphanDetector, type OrphanDetector } from '../src/orphans/detector';
import { openEvidenceStore, type EvidenceStore } from '../src/orphans/evidenceStore';
import { credentialMetadataOfRp } from '../src/vault/credentialMetadata';
import { createHub, type Hub, type HubState } from '../src/virtualAuthenticators/hub';
import { type VaultService, vaultService } from './vaultService';

/** What the worker's handlers use, opened once per worker life on first need. */
export interface Services extends VaultService {
  orphans: OrphanDetector;
  /** The detector's evidence logs, which sync merges between browsers. */
  evidence: EvidenceStore;
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
    const [vault, evidence] = await Promise.all([vaultService(), openEvidenceStore()]);
    // The detector reads metadata only, so signals and evidence work while the vault is locked.
    const directory = {
      listByRpId: (rpId: string) => credentialMetadataOfRp(vault.db, rpId),
      get: async (id: string) => vault.db.get('credentials', id),
    };
    return {
      ...vault,
      orphans: createOrphanDetector(directory, evidence, () => Date.now()),
      evidence,
      virtual: virtualAuthenticators,
    };
  })();
  return opened;
}
