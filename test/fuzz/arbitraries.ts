/**
 * fast-check generators for what a page (or a compromised renderer) can send: valid WebAuthn
 * options, and the same options mutated — members dropped, or replaced by anything at all.
 */
import fc from 'fast-check';

const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });
const junk = fc.oneof(
  fc.anything(),
  bytes(0, 80),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.constant(undefined),
  fc.constant(null),
);

/** PublicKeyCredentialCreationOptions as a page writes them. */
export const creationOptions = fc.record({
  rp: fc.record(
    { name: fc.string(), id: fc.constantFrom(undefined, 'example.com', 'login.example.com', 'com', 'example.org', '') },
    { requiredKeys: ['name'] },
  ),
  user: fc.record({ id: bytes(0, 70), name: fc.string(), displayName: fc.string() }),
  challenge: bytes(0, 64),
  pubKeyCredParams: fc.array(
    fc.record({ type: fc.constantFrom('public-key', 'password', ''), alg: fc.constantFrom(-7, -8, -257, -35, 0, 1) }),
    {
      maxLength: 4,
    },
  ),
  timeout: fc.option(fc.integer({ min: -10, max: 10_000_000 }), { nil: undefined }),
  excludeCredentials: fc.option(fc.array(fc.record({ type: fc.constant('public-key'), id: bytes(0, 40) }), { maxLength: 3 }), {
    nil: undefined,
  }),
  authenticatorSelection: fc.option(
    fc.record({
      residentKey: fc.constantFrom(undefined, 'required', 'preferred', 'discouraged', 'bogus'),
      userVerification: fc.constantFrom(undefined, 'required', 'preferred', 'discouraged', 'bogus'),
      requireResidentKey: fc.boolean(),
    }),
    { nil: undefined },
  ),
  attestation: fc.constantFrom(undefined, 'none', 'direct', 'indirect', 'enterprise', 'x'),
  extensions: fc.option(fc.record({ credProps: fc.boolean() }), { nil: undefined }),
});

/** PublicKeyCredentialRequestOptions as a page writes them. */
export const requestOptions = fc.record({
  challenge: bytes(0, 64),
  rpId: fc.constantFrom(undefined, 'example.com', 'login.example.com', 'com', 'example.org', ''),
  allowCredentials: fc.option(
    fc.array(fc.record({ type: fc.constantFrom('public-key', 'other'), id: bytes(0, 40) }), { maxLength: 3 }),
    {
      nil: undefined,
    },
  ),
  userVerification: fc.constantFrom(undefined, 'required', 'preferred', 'discouraged', 'bogus'),
  timeout: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: undefined }),
});

type Tree = Record<string, unknown> | unknown[];

/** Every path to a member of a plain object/array tree (Uint8Arrays are leaves). */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return [];
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((item, index) => [index, item])
    : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...paths(child, [...prefix, key])]);
}

function apply(root: unknown, path: (string | number)[], replacement: { drop: true } | { value: unknown }): unknown {
  const copy = structuredClone(root) as Tree;
  let parent: Tree = copy;
  for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, Tree>)[key]!;
  const last = path.at(-1)!;
  if ('drop' in replacement) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete (parent as Record<string, unknown>)[String(last)];
  } else {
    (parent as Record<string | number, unknown>)[last] = replacement.value;
  }
  return copy;
}

/** `base` with one to three of its members dropped or replaced by anything. */
export function mutated<T>(base: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc
    .tuple(base, fc.array(fc.tuple(fc.nat(), fc.boolean(), junk), { minLength: 1, maxLength: 3 }))
    .map(([value, mutations]) =>
      mutations.reduce<unknown>((current, [pick, drop, replacement]) => {
        const candidates = paths(current);
        if (candidates.length === 0) return current;
        return apply(current, candidates[pick % candidates.length]!, drop ? { drop: true } : { value: replacement });
      }, value),
    );
}
