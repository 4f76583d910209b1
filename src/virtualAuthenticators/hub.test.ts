import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createHub, type HubState } from './hub';

function memoryHub() {
  let saved: HubState | undefined;
  let clock = 1;
  let ids = 0;
  const hub = createHub(
    {
      load: async () => (saved ? structuredClone(saved) : undefined),
      save: async (state) => void (saved = structuredClone(state)),
    },
    () => clock++,
    () => `authenticator-${++ids}`,
  );
  return { hub, saved: () => saved };
}

describe('virtual authenticator hub', () => {
  it('adds authenticators with CDP defaults and the WebDriver spellings', async () => {
    const { hub } = memoryHub();
    await hub.command('addVirtualAuthenticator', {
      options: { protocol: 'ctap1/u2f', transport: 'usb', isUserConsenting: false },
    });
    const { authenticators } = (await hub.command('listAuthenticators', {})) as {
      authenticators: { options: Record<string, unknown> }[];
    };
    expect(authenticators[0]!.options).toMatchObject({
      protocol: 'u2f',
      transport: 'usb',
      automaticPresenceSimulation: false,
      // U2F keeps no discoverable credentials and verifies nobody.
      hasResidentKey: false,
      hasUserVerification: false,
    });
  });

  it('sets and clears response override bits', async () => {
    const { hub } = memoryHub();
    const { authenticatorId } = (await hub.command('addVirtualAuthenticator', {})) as { authenticatorId: string };
    await hub.command('setResponseOverrideBits', { authenticatorId, isBogusSignature: true });
    expect((await hub.select('http://localhost:1'))?.overrides).toEqual({
      isBogusSignature: true,
      isBadUV: false,
      isBadUP: false,
    });
    await hub.command('setResponseOverrideBits', { authenticatorId, isBogusSignature: false });
    expect((await hub.select('http://localhost:1'))?.overrides).toEqual({
      isBogusSignature: false,
      isBadUV: false,
      isBadUP: false,
    });
  });

  it('takes injected failures in order, each as many times as asked', async () => {
    const { hub } = memoryHub();
    const { authenticatorId } = (await hub.command('addVirtualAuthenticator', {})) as { authenticatorId: string };
    await hub.command('injectFailure', { authenticatorId, injection: { kind: 'cancel', times: 2 } });
    await hub.command('injectFailure', { authenticatorId, injection: { kind: 'timeout' } });
    const taken = [
      await hub.takeInjection(authenticatorId),
      await hub.takeInjection(authenticatorId),
      await hub.takeInjection(authenticatorId),
      await hub.takeInjection(authenticatorId),
    ];
    expect(taken.map((injection) => injection?.kind)).toEqual(['cancel', 'cancel', 'timeout', undefined]);
  });

  it('selects by origin scope, newest first, unless one is made active', async () => {
    const { hub } = memoryHub();
    const first = (await hub.command('addVirtualAuthenticator', {})) as { authenticatorId: string };
    const scoped = (await hub.command('addVirtualAuthenticator', { options: { origins: ['https://shop.example'] } })) as {
      authenticatorId: string;
    };
    expect((await hub.select('https://login.example'))?.authenticatorId).toBe(first.authenticatorId);
    expect((await hub.select('https://shop.example'))?.authenticatorId).toBe(scoped.authenticatorId);
    await hub.command('setActiveAuthenticator', { authenticatorId: first.authenticatorId });
    expect((await hub.select('https://shop.example'))?.authenticatorId).toBe(first.authenticatorId);
  });

  it('adds a CDP credential and returns it in CDP form, raising credentialAdded', async () => {
    const { hub } = memoryHub();
    const { authenticatorId } = (await hub.command('addVirtualAuthenticator', {})) as { authenticatorId: string };
    const pkcs8 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'der' });
    const credential = {
      credentialId: 'AQIDBA==',
      isResidentCredential: true,
      rpId: 'example.com',
      privateKey: pkcs8.toString('base64'),
      userHandle: 'BQY=',
      signCount: 3,
    };
    await hub.command('addCredential', { authenticatorId, credential });
    const { credential: read } = (await hub.command('getCredential', { authenticatorId, credentialId: 'AQIDBA' })) as {
      credential: Record<string, unknown>;
    };
    expect(read).toMatchObject(credential);
    const { events } = (await hub.command('getEvents', { since: 0 })) as { events: { type: string }[] };
    expect(events.map((event) => event.type)).toEqual(['credentialAdded']);
  });

  it('refuses malformed commands and a broken saved state, and changes nothing', async () => {
    const { hub, saved } = memoryHub();
    await expect(hub.command('addVirtualAuthenticator', { options: { transport: 'carrier-pigeon' } })).rejects.toThrow();
    await expect(hub.command('noSuchCommand', {})).rejects.toThrow(/Unknown tester command/);
    await expect(hub.command('importState', { state: { authenticators: { a: { nonsense: true } } } })).rejects.toThrow();
    expect(saved()?.authenticators ?? {}).toEqual({});
  });

  it('exports and imports authenticators with their credentials', async () => {
    const one = memoryHub();
    const { authenticatorId } = (await one.hub.command('addVirtualAuthenticator', {})) as { authenticatorId: string };
    const pkcs8 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'der' });
    await one.hub.command('addCredential', {
      authenticatorId,
      credential: { credentialId: 'AQ', isResidentCredential: true, rpId: 'example.com', privateKey: pkcs8.toString('base64') },
    });
    const { state } = (await one.hub.command('exportState', {})) as { state: unknown };
    const two = memoryHub();
    await two.hub.command('importState', { state: JSON.parse(JSON.stringify(state)) });
    const { credentials } = (await two.hub.command('getCredentials', { authenticatorId })) as { credentials: unknown[] };
    expect(credentials).toHaveLength(1);
  });
});
