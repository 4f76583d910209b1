/**
 * Per-site choices and the organisation's managed policy, decided here (pure);
 * background/ reads them from chrome.storage.local and chrome.storage.managed.
 */
import { z } from 'zod';

/** What Latchkey does on a site: its own prompts (default), hand every request to the browser, or ask where each time. */
export type SiteMode = 'latchkey' | 'browser' | 'ask';
export const siteMode = z.enum(['latchkey', 'browser', 'ask']);

/**
 * The managed policy (an administrator's `chrome.storage.managed`, schema in
 * public/managed_schema.json). Every member is optional; a malformed member is
 * ignored, not fatal, so one typo in a policy file does not switch Latchkey off.
 */
export const managedPolicy = z.object({
  handOverSites: z.array(z.string()).optional().catch(undefined),
  pinRequired: z.boolean().optional().catch(undefined),
  pinMinLength: z.number().int().min(4).max(64).optional().catch(undefined),
  autoLockMinutes: z.number().int().min(0).max(1440).optional().catch(undefined),
  exportDisabled: z.boolean().optional().catch(undefined),
  /** Sync through the browser's storage.sync is off and cannot be switched on. */
  syncDisabled: z.boolean().optional().catch(undefined),
});
export type ManagedPolicy = z.infer<typeof managedPolicy>;

export function parseManagedPolicy(raw: unknown): ManagedPolicy {
  const parsed = managedPolicy.safeParse(raw ?? {});
  return parsed.success ? parsed.data : {};
}

/** Whether `host` is `domain` or one of its subdomains ("example.com" covers "login.example.com"). */
export function hostMatches(host: string, domain: string): boolean {
  const d = domain.trim().toLowerCase().replace(/^\*\./, '').replace(/\.$/, '');
  const h = host.toLowerCase();
  return d !== '' && (h === d || h.endsWith(`.${d}`));
}

export interface SiteDecision {
  mode: SiteMode;
  /** Set by the organisation's policy: the user cannot change it. */
  managed: boolean;
}

export function siteModeFor(host: string, sites: Record<string, SiteMode>, policy: ManagedPolicy): SiteDecision {
  if (policy.handOverSites?.some((domain) => hostMatches(host, domain))) return { mode: 'browser', managed: true };
  return { mode: sites[host] ?? 'latchkey', managed: false };
}

export function minPinLength(policy: ManagedPolicy, fallback: number): number {
  return Math.max(fallback, policy.pinMinLength ?? fallback);
}
