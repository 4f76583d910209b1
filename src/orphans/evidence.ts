/**
 * What Latchkey has seen that tells whether a site still knows one of its passkeys. Each
 * passkey keeps a short log of these; its health is derived from the log by `classify`.
 */
export type EvidenceKind =
  /** The site called PublicKeyCredential.signalUnknownCredential for it. Strong. */
  | 'signal-unknown'
  /** signalAllAcceptedCredentials for its user did not list it. Strong, undone by a later list that does. */
  | 'not-in-accepted-list'
  /** signalAllAcceptedCredentials for its user listed it. Clears. */
  | 'in-accepted-list'
  /** A create() for the same user did not list it in excludeCredentials (RPs list all the user's passkeys there). Strong. */
  | 'missing-from-exclude-list'
  /** A create() listed it in excludeCredentials: the site knows it. Clears. */
  | 'in-exclude-list'
  /** A user-first get() named allowed credentials for this site, none of them Latchkey's. Weak. */
  | 'missing-from-allow-list'
  /** A get() named it in allowCredentials: the site knows it. Clears. */
  | 'in-allow-list'
  /** It signed in, and the site asked for a passkey again right after: the site may have rejected it. Weak. */
  | 'asked-again-after-use'
  /** The user chose to show it in sign-in again. Clears. */
  | 'cleared-by-user';

export interface Evidence {
  kind: EvidenceKind;
  /** Milliseconds since the epoch. */
  at: number;
  /** The origin of the page that gave the evidence. */
  origin: string;
}

export type Health = 'ok' | 'suspected' | 'orphaned';

/** A passkey's evidence log, kept apart from the vault: it holds no key material. */
export interface EvidenceLog {
  credentialId: string;
  rpId: string;
  entries: Evidence[];
}

/** Entries kept per passkey: enough to explain the state, small enough to never matter. */
export const MAX_ENTRIES = 20;
