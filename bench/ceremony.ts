/**
 * Ceremony benchmark: the in-page time of navigator.credentials.get() and .create() with
 * Latchkey (extension in tester mode, no prompt) against Chromium's own WebAuthn stack
 * driven by a CDP virtual authenticator (the control), on the demo RP's /blank page.
 *
 * Run with `npm run bench:ceremony` (builds the extension first). See bench/README.md for
 * what is measured and how to read the figures. Exits non-zero only when something fails,
 * never because of the figures.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CDPSession, Page } from 'puppeteer-core';
import { startDemoRelyingParty, type DemoRelyingParty } from '../demo/createDemoServer';
import { LATCHKEY_AAGUID } from '../src/authenticator/aaguid';
import { launchBrowser, type LatchkeyBrowser } from '../src/testing/launchBrowser';
import { summarize, type Summary } from './stats';

const GET_CALLS = 50;
const CREATE_CALLS = 20;
/** Calls per side before each operation's measured ones: timed and printed, but left out of the figures. */
const WARM_UP_CALLS = 5;
/**
 * Calls per page.evaluate block. Blocks alternate between the two sides, so each side's
 * figures are spread over the whole run. create() blocks are small because Chromium's
 * virtual CTAP2 authenticator keeps at most 3 resident credentials (no CDP option raises
 * it): the control's credentials are cleared before each create block, outside the timing.
 */
const BLOCK_SIZE: Record<Operation, number> = { get: 10, create: 2 };
/** The target this bench watches: Latchkey's get() median within this factor of the browser's own. */
const TARGET_GET_RATIO = 2;
/** Same in both runs; only a safety net so that a call nobody answers fails instead of hanging. */
const CALL_TIMEOUT_MS = 20_000;

type Operation = 'get' | 'create';
type Side = 'latchkey' | 'cdp';
const SIDES: readonly Side[] = ['latchkey', 'cdp'];
const LABEL: Record<Side, string> = { latchkey: 'Latchkey', cdp: 'CDP virtual' };

interface Contender {
  side: Side;
  launched: LatchkeyBrowser;
  page: Page;
  /** The control's virtual authenticator (it lives as long as this CDP session). */
  virtual?: { session: CDPSession; authenticatorId: string };
  /** The discoverable credential created at setup, used in allowCredentials for get(). */
  credentialId: string;
  setupCreateMs: number;
  warmUp: Record<Operation, number[]>;
  measured: Record<Operation, number[]>;
}

interface BlockRequest {
  op: Operation;
  count: number;
  rpId: string;
  /** base64url; required for get. */
  credentialId?: string;
  timeout: number;
}

interface BlockResult {
  durations: number[];
  /** base64url ids of the returned credentials. */
  ids: string[];
  /** For create: each new credential's AAGUID, hex, read from its authenticator data. */
  aaguids: string[];
  /** Whether CredentialsContainer.prototype.get is still the browser's own function. */
  nativeGet: boolean;
}

/**
 * Runs in the page: `count` awaited calls, each timed alone with performance.now(); options
 * (random challenge, random user id) are built before the clock starts and results are
 * read after it stops. No named inner functions: tsx compiles with keepNames, whose
 * `__name` helper does not exist in the page.
 */
async function runBlock(request: BlockRequest): Promise<BlockResult> {
  const result: BlockResult = { durations: [], ids: [], aaguids: [], nativeGet: CredentialsContainer.prototype.get.toString().includes('[native code]') };
  const allowId = request.credentialId
    ? Uint8Array.from(atob(request.credentialId.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))
    : undefined;
  for (let i = 0; i < request.count; i++) {
    const challenge = crypto.getRandomValues(new Uint8Array(32));
    let credential: Credential | null;
    if (request.op === 'get') {
      const options: CredentialRequestOptions = {
        publicKey: {
          challenge,
          rpId: request.rpId,
          allowCredentials: [{ type: 'public-key', id: allowId! }],
          userVerification: 'discouraged',
          timeout: request.timeout,
        },
      };
      const start = performance.now();
      credential = await navigator.credentials.get(options);
      result.durations.push(performance.now() - start);
    } else {
      const userId = crypto.getRandomValues(new Uint8Array(16));
      const name = `bench-${Array.from(userId.slice(0, 4), (b) => b.toString(16).padStart(2, '0')).join('')}`;
      const options: CredentialCreationOptions = {
        publicKey: {
          challenge,
          rp: { name: 'bench', id: request.rpId },
          user: { id: userId, name, displayName: name },
          pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
          authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'discouraged' },
          timeout: request.timeout,
        },
      };
      const start = performance.now();
      credential = await navigator.credentials.create(options);
      result.durations.push(performance.now() - start);
    }
    if (!credential) throw new Error(`navigator.credentials.${request.op}() returned null`);
    result.ids.push(credential.id);
    if (request.op === 'create') {
      const response = (credential as PublicKeyCredential).response as AuthenticatorAttestationResponse;
      const authData = new Uint8Array(response.getAuthenticatorData());
      result.aaguids.push(Array.from(authData.slice(37, 53), (b) => b.toString(16).padStart(2, '0')).join(''));
    }
  }
  return result;
}

const LATCHKEY_AAGUID_HEX = Buffer.from(LATCHKEY_AAGUID).toString('hex');

/** Runs one block in a contender's page and checks that the right authenticator answered. */
async function block(contender: Contender, op: Operation, count: number, credentialId?: string): Promise<BlockResult> {
  const request: BlockRequest = { op, count, rpId: 'localhost', timeout: CALL_TIMEOUT_MS, ...(credentialId ? { credentialId } : {}) };
  const who = LABEL[contender.side];
  if (op === 'create' && contender.virtual) {
    // Room for the new resident credentials (see BLOCK_SIZE), cleared outside the timing. The
    // first create block is the setup one (nothing to clear yet); every get() runs before the
    // next, so the setup credential is no longer needed when it goes.
    if (count > 3) throw new Error(`a create block of ${count} would overflow the virtual authenticator's 3 resident credentials`);
    await contender.virtual.session.send('WebAuthn.clearCredentials', { authenticatorId: contender.virtual.authenticatorId });
  }
  const result = await contender.page.evaluate(runBlock, request).catch((error: unknown) => {
    throw new Error(`${who} ${op} failed in the page: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  });
  if (result.durations.length !== count) throw new Error(`${who} ${op}: ${result.durations.length} of ${count} calls timed`);
  // Latchkey replaces the page's create/get; the control's page must keep the browser's own.
  if (result.nativeGet !== (contender.side === 'cdp')) {
    throw new Error(`${who}: navigator.credentials.get is ${result.nativeGet ? "the browser's own (Latchkey not injected?)" : 'replaced'}`);
  }
  if (op === 'create') {
    for (const aaguid of result.aaguids) {
      if ((aaguid === LATCHKEY_AAGUID_HEX) !== (contender.side === 'latchkey')) {
        throw new Error(`${who} create: a credential with AAGUID ${aaguid} came from the wrong authenticator`);
      }
    }
  } else if (result.ids.some((id) => id !== credentialId)) {
    throw new Error(`${who} get: an assertion came back for another credential than ${credentialId}`);
  }
  return result;
}

async function openContender(side: Side, rp: DemoRelyingParty): Promise<Contender> {
  const launched = await launchBrowser({ extension: side === 'latchkey' });
  try {
    if (side === 'latchkey') await launched.setTesterMode(true);
    const page = await launched.browser.newPage();
    let virtual: Contender['virtual'];
    if (side === 'cdp') {
      const session = await page.createCDPSession();
      await session.send('WebAuthn.enable', { enableUI: false });
      const { authenticatorId } = await session.send('WebAuthn.addVirtualAuthenticator', {
        options: {
          protocol: 'ctap2',
          transport: 'internal',
          hasResidentKey: true,
          hasUserVerification: true,
          isUserVerified: true,
          automaticPresenceSimulation: true,
        },
      });
      virtual = { session, authenticatorId };
    }
    await page.goto(`${rp.origin}/blank`);
    const contender: Contender = {
      side,
      launched,
      page,
      ...(virtual ? { virtual } : {}),
      credentialId: '',
      setupCreateMs: NaN,
      warmUp: { get: [], create: [] },
      measured: { get: [], create: [] },
    };
    // The one discoverable credential get() will ask for; its time is the very first call.
    const setup = await block(contender, 'create', 1);
    contender.setupCreateMs = setup.durations[0]!;
    contender.credentialId = setup.ids[0]!;
    return contender;
  } catch (error) {
    await launched.close().catch(() => {});
    throw error;
  }
}

/** Splits `total` calls into blocks of at most BLOCK_SIZE[op]. */
function blocks(op: Operation, total: number): number[] {
  const sizes: number[] = [];
  for (let left = total; left > 0; left -= BLOCK_SIZE[op]) sizes.push(Math.min(left, BLOCK_SIZE[op]));
  return sizes;
}

/** Warm-up on each side, then the measured blocks, alternating sides and swapping who goes first each round. */
async function measure(contenders: readonly Contender[], op: Operation, total: number): Promise<void> {
  const idFor = (contender: Contender) => (op === 'get' ? contender.credentialId : undefined);
  for (const contender of contenders) {
    for (const count of blocks(op, WARM_UP_CALLS)) {
      contender.warmUp[op].push(...(await block(contender, op, count, idFor(contender))).durations);
    }
  }
  for (const [round, count] of blocks(op, total).entries()) {
    const order = round % 2 === 0 ? contenders : [...contenders].reverse();
    for (const contender of order) {
      contender.measured[op].push(...(await block(contender, op, count, idFor(contender))).durations);
    }
  }
}

const ms = (value: number): string => value.toFixed(2).padStart(8);

function table(rows: { label: string; s: Summary }[]): string {
  const header = `${'operation'.padEnd(22)}${'n'.padStart(4)}${'median'.padStart(9)}${'p25'.padStart(9)}${'p75'.padStart(9)}${'min'.padStart(9)}${'max'.padStart(9)}  ${'IQR/med'.padStart(8)}${'MAD'.padStart(8)}`;
  const lines = rows.map(
    ({ label, s }) =>
      `${label.padEnd(22)}${String(s.n).padStart(4)} ${ms(s.median)} ${ms(s.p25)} ${ms(s.p75)} ${ms(s.min)} ${ms(s.max)}  ${`${s.noisePercent.toFixed(1)}%`.padStart(8)}${s.mad.toFixed(2).padStart(8)}`,
  );
  return [header, '-'.repeat(header.length), ...lines].join('\n');
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const machine = {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAverageAtStart: os.loadavg().map((value) => Math.round(value * 100) / 100),
    chromium: '',
  };

  const rp = await startDemoRelyingParty();
  const contenders: Contender[] = [];
  try {
    // Both browsers stay open for the whole run, so that their blocks can alternate.
    for (const side of SIDES) contenders.push(await openContender(side, rp));
    machine.chromium = await contenders[0]!.launched.browser.version();

    await measure(contenders, 'get', GET_CALLS);
    await measure(contenders, 'create', CREATE_CALLS);
  } finally {
    for (const contender of contenders) await contender.launched.close().catch(() => {});
    await rp.close();
  }

  const [latchkey, cdp] = contenders as [Contender, Contender];
  const summaries = {
    get: { latchkey: summarize(latchkey.measured.get), cdp: summarize(cdp.measured.get) },
    create: { latchkey: summarize(latchkey.measured.create), cdp: summarize(cdp.measured.create) },
  };
  const ratios = {
    get: summaries.get.latchkey.median / summaries.get.cdp.median,
    create: summaries.create.latchkey.median / summaries.create.cdp.median,
  };
  const targetMet = ratios.get <= TARGET_GET_RATIO;

  console.log('\nLatchkey ceremony bench: in-page time of navigator.credentials.*, milliseconds\n');
  console.log(`machine   ${machine.cpu}, ${machine.cores} cores, ${machine.platform}, ${machine.memoryGiB} GiB`);
  console.log(`software  Node ${machine.node}, ${machine.chromium}`);
  console.log(`load avg  ${machine.loadAverageAtStart.join(' / ')} (1/5/15 min, at start)`);
  console.log(
    `method    ${WARM_UP_CALLS} warm-up calls per side and operation (not counted), then alternating blocks of ${BLOCK_SIZE.get} get / ${BLOCK_SIZE.create} create calls per side\n`,
  );
  console.log(
    table([
      { label: 'get     Latchkey', s: summaries.get.latchkey },
      { label: 'get     CDP virtual', s: summaries.get.cdp },
      { label: 'create  Latchkey', s: summaries.create.latchkey },
      { label: 'create  CDP virtual', s: summaries.create.cdp },
    ]),
  );
  console.log('\nIQR/med = (p75 - p25) / median; MAD = median absolute deviation (ms).');
  console.log(`\nratio of medians Latchkey/CDP   get ${ratios.get.toFixed(2)}x   create ${ratios.create.toFixed(2)}x`);
  console.log(
    `target    Latchkey get() median within ${TARGET_GET_RATIO}x of the browser's own: ${targetMet ? 'MET' : 'NOT MET'} (${ratios.get.toFixed(2)}x)`,
  );
  const firsts = (c: Contender): string =>
    `setup create ${c.setupCreateMs.toFixed(1)}; warm-up create ${c.warmUp.create.map((v) => v.toFixed(1)).join(' ')}; warm-up get ${c.warmUp.get.map((v) => v.toFixed(1)).join(' ')}`;
  console.log('\nfirst calls (not counted above):');
  for (const contender of contenders) console.log(`  ${LABEL[contender.side].padEnd(12)}${firsts(contender)}`);

  const report = {
    bench: 'ceremony',
    startedAt: startedAt.toISOString(),
    machine,
    method: {
      page: '/blank on the demo RP (http://localhost:PORT, rpId localhost)',
      timing: 'performance.now() around each awaited call, inside the page',
      warmUpCallsPerSideAndOperation: WARM_UP_CALLS,
      blockSize: BLOCK_SIZE,
      order: 'get: warm-up, then rounds; create: warm-up, then rounds; blocks alternate sides, the first side swapping each round',
      quantiles: 'linear interpolation between closest ranks (Hyndman-Fan type 7), see bench/stats.ts',
      latchkey: 'Chromium with the built extension, tester mode on (no prompt)',
      cdp: 'Chromium without the extension, CDP WebAuthn virtual authenticator (ctap2, internal, resident keys, UV, automatic presence); its credentials are cleared before each create block (it holds 3 resident credentials at most)',
    },
    targetGetRatio: TARGET_GET_RATIO,
    targetMet,
    ratios,
    summaries,
    samples: Object.fromEntries(
      contenders.map((c) => [c.side, { setupCreateMs: c.setupCreateMs, warmUp: c.warmUp, measured: c.measured }]),
    ),
  };
  const resultsDir = path.join(import.meta.dirname, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `ceremony-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nfigures written to ${path.relative(process.cwd(), file)}`);
}

main().catch((error: unknown) => {
  console.error('ceremony bench failed:', error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
