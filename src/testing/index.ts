export { LatchkeyTesting } from './latchkeyTesting';
export type {
  Injection,
  TesterEvent,
  VirtualAuthenticatorInput,
  VirtualCredential,
  VirtualCredentialInput,
} from './latchkeyTesting';
export { browsersUnderTest, launchBrowser } from './launchBrowser';
export type { BrowserName, LatchkeyBrowser, LaunchOptions } from './launchBrowser';
