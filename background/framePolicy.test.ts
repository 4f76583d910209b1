import { describe, expect, it } from 'vitest';
import { allowAttributeDelegates, type FrameLink, frameHasFeature } from './framePolicy';

const GET = 'publickey-credentials-get' as const;
const CREATE = 'publickey-credentials-create' as const;
const TOP = 'https://top.example';
const CHILD = 'https://child.example';

describe('allowAttributeDelegates (an iframe\u2019s allow attribute)', () => {
  it.each<[string, boolean]>([
    ['publickey-credentials-get', true],
    ['publickey-credentials-get *', true],
    ["publickey-credentials-get 'src'", true],
    [`publickey-credentials-get ${CHILD}`, true],
    ['publickey-credentials-get https://other.example', false],
    ["publickey-credentials-get 'none'", false],
    ["publickey-credentials-get 'self'", false],
    ['camera; publickey-credentials-get; microphone', true],
    ['publickey-credentials-create', false],
    ['', false],
  ])('%j delegates get to the child: %s', (allow, expected) => {
    expect(allowAttributeDelegates(allow, GET, CHILD, TOP)).toBe(expected);
  });

  it("'self' names the parent's origin", () => {
    expect(allowAttributeDelegates("publickey-credentials-create 'self'", CREATE, TOP, TOP)).toBe(true);
  });
});

describe('frameHasFeature (the chain from the frame up to the top)', () => {
  const chain = (...origins: string[]): FrameLink[] =>
    origins.map((origin, index) => ({ frameId: origins.length - 1 - index, parentFrameId: origins.length - 2 - index, origin }));
  const attributes = (byFrame: Record<number, string>) => async (_parent: number, frame: number) => byFrame[frame] ?? '';

  it('the top-level frame and same-origin frames have it by default (allowlist self)', async () => {
    expect(await frameHasFeature(chain(TOP), GET, attributes({}))).toBe(true);
    expect(await frameHasFeature(chain(TOP, TOP), GET, attributes({}))).toBe(true);
  });

  it('a cross-origin frame has it only when its iframe delegates it', async () => {
    expect(await frameHasFeature(chain(CHILD, TOP), GET, attributes({}))).toBe(false);
    expect(await frameHasFeature(chain(CHILD, TOP), GET, attributes({ 1: 'publickey-credentials-get' }))).toBe(true);
    expect(await frameHasFeature(chain(CHILD, TOP), CREATE, attributes({ 1: 'publickey-credentials-get' }))).toBe(false);
  });

  it('a frame inside an undelegated cross-origin frame has it not, even when its own iframe allows it', async () => {
    // top (0) > child (1, no allow) > grandchild of the child's origin (2)
    expect(await frameHasFeature(chain(CHILD, CHILD, TOP), GET, attributes({ 2: 'publickey-credentials-get' }))).toBe(false);
    expect(await frameHasFeature(chain(CHILD, CHILD, TOP), GET, attributes({ 1: 'publickey-credentials-get' }))).toBe(true);
  });

  it('an attribute that cannot be read refuses', async () => {
    expect(await frameHasFeature(chain(CHILD, TOP), GET, async () => null)).toBe(false);
  });
});
