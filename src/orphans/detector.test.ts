import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { approve, scriptedUser, testEnvironment } from '../../test/authenticatorEnvironment';
import { createCredential } from '../client/createCredential';
import { toBase64url } from '../webauthn/base64url';
import { createOrphanDetector } from './detector';
import { openEvidenceStore } from './evidenceStore';

const origin = 'https://login.example.com';
const caller = { origin, topOrigin: origin, sameOriginWithAncestors: true };
const alice = new Uint8Array([1]);
let databases = 0;

/** A client environment with a real detector over a fresh evidence database, and `count` passkeys of alice at example.com. */
async function setUp(count: number) {
  let clock = 1_000_000;
  const env = testEnvironment({ userVerificationAvailable: false, now: () => clock++ });
  const detector = createOrphanDetector(env.store, await openEvidenceStore(`orphans-test-${databases++}`), () => clock);
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    env.ui = scriptedUser(approve());
    const outcome = await createCredential(env, {
      caller,
      options: {
        rp: { id: 'example.com', name: 'Example' },
        // Different accounts, so the authenticator keeps them all (it replaces a resident key of the same account).
        user: { id: toBase64url(index === 0 ? alice : new Uint8Array([index + 1])), name: `user${index}`, displayName: 'U' },
        challenge: 'AAAA',
        pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
      },
    });
    if (outcome.kind !== 'credential') throw new Error('expected a credential');
    ids.push(outcome.credential.id);
  }
  const health = async () => {
    const verdicts = await detector.verdicts(await env.store.list());
    return Object.fromEntries(ids.map((id) => [id, verdicts.get(id)?.health]));
  };
  return { env, detector, ids, health, advance: (ms: number) => (clock += ms) };
}

describe('the orphaned-credential detector', () => {
  it('signalUnknownCredential orphans that passkey only, and hides it from sign-in without deleting it', async () => {
    const { env, detector, ids, health } = await setUp(2);
    await detector.signalUnknownCredential({ rpId: 'example.com', credentialId: ids[0]!, origin });
    expect(await health()).toEqual({ [ids[0]!]: 'orphaned', [ids[1]!]: 'ok' });
    const visible = await detector.hidingOrphans(env.store).listByRpId('example.com');
    expect(visible.map((record) => record.id)).toEqual([ids[1]]);
    expect((await env.store.list()).length).toBe(2);
  });

  it('an accepted list without the passkey hides it; a later list with it brings it back', async () => {
    const { detector, ids, health } = await setUp(1);
    await detector.signalAllAcceptedCredentials({ rpId: 'example.com', userHandle: alice, acceptedIds: [], origin });
    expect((await health())[ids[0]!]).toBe('orphaned');
    await detector.signalAllAcceptedCredentials({ rpId: 'example.com', userHandle: alice, acceptedIds: [ids[0]!], origin });
    expect((await health())[ids[0]!]).toBe('ok');
  });

  it('an accepted list for another user says nothing about alice\u2019s passkey', async () => {
    const { detector, ids, health } = await setUp(1);
    await detector.signalAllAcceptedCredentials({
      rpId: 'example.com',
      userHandle: new Uint8Array([9]),
      acceptedIds: [],
      origin,
    });
    expect((await health())[ids[0]!]).toBe('ok');
  });

  it('a create() for the same user whose excludeCredentials leaves the passkey out orphans it', async () => {
    const { detector, ids, health } = await setUp(1);
    await detector.observeCreate({ rpId: 'example.com', userHandle: alice, excludeIds: ['c29tZXRoaW5nLWVsc2U'], origin });
    expect((await health())[ids[0]!]).toBe('orphaned');
  });

  it('an empty excludeCredentials too (the site deleted the only one), but only for that user', async () => {
    const { detector, ids, health } = await setUp(2);
    await detector.observeCreate({ rpId: 'example.com', userHandle: alice, excludeIds: [], origin });
    expect(await health()).toEqual({ [ids[0]!]: 'orphaned', [ids[1]!]: 'ok' });
  });

  it('a user-first get() naming none of Latchkey\u2019s passkeys makes them suspected; naming one clears it', async () => {
    const { detector, ids, health } = await setUp(1);
    await detector.observeGet({ rpId: 'example.com', allowIds: ['b3RoZXI'], origin });
    expect((await health())[ids[0]!]).toBe('suspected');
    await detector.observeGet({ rpId: 'example.com', allowIds: [ids[0]!], origin });
    expect((await health())[ids[0]!]).toBe('ok');
  });

  it('a get() right after a successful sign-in makes the passkey used suspected; one much later does not', async () => {
    const { detector, ids, health, advance } = await setUp(1);
    await detector.observeAssertion({ rpId: 'example.com', credentialId: ids[0]!, origin });
    advance(10_000);
    await detector.observeGet({ rpId: 'example.com', allowIds: [], origin });
    expect((await health())[ids[0]!]).toBe('suspected');

    await detector.clear(ids[0]!, 'the popup');
    await detector.observeAssertion({ rpId: 'example.com', credentialId: ids[0]!, origin });
    advance(60 * 60_000);
    await detector.observeGet({ rpId: 'example.com', allowIds: [], origin });
    expect((await health())[ids[0]!]).toBe('ok');
  });

  it('the user can show an orphaned passkey again', async () => {
    const { detector, ids, health } = await setUp(1);
    await detector.signalUnknownCredential({ rpId: 'example.com', credentialId: ids[0]!, origin });
    await detector.clear(ids[0]!, 'the popup');
    expect((await health())[ids[0]!]).toBe('ok');
  });
});
