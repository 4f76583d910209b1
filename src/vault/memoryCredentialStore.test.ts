import { describeCredentialStore } from './credentialStoreContract';
import { createMemoryCredentialStore } from './memoryCredentialStore';

describeCredentialStore('createMemoryCredentialStore', async () => createMemoryCredentialStore());
