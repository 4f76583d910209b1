/**
 * Load: 50 ceremonies at once across 5 tabs and 3 sites (alpha/beta/gamma.localhost, each a
 * demo RP verifying with @simplewebauthn/server), three rounds — registration, then two
 * sign-ins. Every one verifies at its RP, each answer belongs to the call that asked for it,
 * and every credential's counter goes 1 then 2. Tester mode approves without windows.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoRelyingParty, startDemoRelyingParty } from '../../demo/createDemoServer';
import { browsersUnderTest, launchBrowser, type LatchkeyBrowser } from '../../src/testing/launchBrowser';
import { openDemo, storedPasskeys } from '../../src/testing/pages';

const SITES = ['alpha.localhost', 'beta.localhost', 'gamma.localhost'];
const TABS = 5;
const PER_TAB = 10;

describe.each(browsersUnderTest())('%s: 50 concurrent ceremonies', (browserName) => {
  let sites: DemoRelyingParty[];
  let latchkey: LatchkeyBrowser;
  let tabs: { page: Page; site: DemoRelyingParty; users: string[] }[];

  beforeAll(async () => {
    sites = await Promise.all(SITES.map((rpId) => startDemoRelyingParty({ rpId })));
    latchkey = await launchBrowser({ browser: browserName });
    await latchkey.setTesterMode(true);
    tabs = [];
    for (let index = 0; index < TABS; index++) {
      const site = sites[index % SITES.length]!;
      const users = Array.from({ length: PER_TAB }, (_, n) => `user-${index}-${n}`);
      tabs.push({ page: await openDemo(latchkey.browser, `${site.url}login`), site, users });
    }
  });

  afterAll(async () => {
    await latchkey?.close();
    await Promise.all((sites ?? []).map((site) => site.close()));
  });

  /** Starts every tab's calls before awaiting any: 50 ceremonies in flight together. */
  async function everywhere(call: 'register' | 'loginWithUsername') {
    const results = await Promise.all(
      tabs.map(({ page, users }) =>
        page.evaluate((names, method) => Promise.all(names.map((name) => window.demo[method as 'register'](name))), users, call),
      ),
    );
    return results.flat();
  }

  it('registers 50 accounts at once: all verify, and Latchkey holds exactly those 50', async () => {
    const results = await everywhere('register');
    expect(results.filter((result) => !result.ok)).toEqual([]);
    expect(results.map((result) => result.text)).toEqual(tabs.flatMap(({ users }) => users.map((user) => `Registered ${user}`)));
    const stored = await storedPasskeys(latchkey);
    expect(stored).toHaveLength(TABS * PER_TAB);
    for (const { site, users } of tabs) {
      for (const user of users) {
        const [credential] = site.state.credentialsOf(user);
        expect(stored.find((passkey) => passkey.id === credential?.id)).toMatchObject({ rpId: site.rpId, userName: user });
      }
    }
  });

  it.each([1, 2])(
    'sign-in round %i: 50 at once, each answered for its own account, counters strictly increasing',
    async (round) => {
      const results = await everywhere('loginWithUsername');
      expect(results.filter((result) => !result.ok)).toEqual([]);
      expect(results.map((result) => result.text)).toEqual(
        tabs.flatMap(({ users }) => users.map((user) => `Signed in as ${user}`)),
      );
      for (const { site, users } of tabs) {
        for (const user of users) expect(site.state.credentialsOf(user)[0]?.counter).toBe(round);
      }
    },
  );
});
