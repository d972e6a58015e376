import * as fc from 'fast-check';

/** How many generated cases each property runs; `FC_RUNS` raises it for a deeper search. */
export const RUNS = Number(process.env.FC_RUNS ?? 40);

/** A DNS-1035 label: what every object name of the library must be. */
export const resourceName = fc.tuple(
  fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'),
  fc.stringMatching(/^[a-z0-9-]{0,20}$/),
  fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'),
).map(([first, middle, last]) => `${first}${middle}${last}`);

/** A pinned image: a version tag or a digest. */
export const pinnedImage = fc.oneof(
  fc.tuple(resourceName, fc.stringMatching(/^[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{1,2}(-[a-z0-9]{1,6})?$/)).map(([repo, tag]) => `ghcr.io/acme/${repo}:${tag}`),
  fc.tuple(resourceName, fc.stringMatching(/^[0-9a-f]{64}$/)).map(([repo, hex]) => `registry.example.com/${repo}@sha256:${hex}`),
);

export const port = fc.integer({ min: 1, max: 65535 });

export const envName = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,15}$/);

export const envMap = fc.dictionary(envName, fc.string({ maxLength: 20 }), { maxKeys: 4 });

export const httpPath = fc.stringMatching(/^\/[a-z0-9/_-]{0,20}$/);
/** A route or ingress path the API server accepts (no empty segment: `//` is refused there). */
export const routePath = fc.stringMatching(/^\/([a-z0-9_-]{1,8}\/){0,3}([a-z0-9_-]{1,8})?$/);

export const hostname = fc.array(resourceName, { minLength: 2, maxLength: 3 }).map(parts => parts.join('.'));

/** A cpu request (millicores) and an optional limit at or above it. */
export const cpuSpec = fc.tuple(fc.integer({ min: 1, max: 4000 }), fc.option(fc.integer({ min: 0, max: 4000 }), { nil: undefined }))
  .map(([request, extra]) => ({ request: `${request}m`, limit: extra === undefined ? undefined : `${request + extra}m` }));

/** A memory request (MiB) and an optional limit at or above it. */
export const memorySpec = fc.tuple(fc.integer({ min: 1, max: 8192 }), fc.option(fc.integer({ min: 0, max: 8192 }), { nil: undefined }))
  .map(([request, extra]) => ({ request: `${request}Mi`, limit: extra === undefined ? undefined : `${request + extra}Mi` }));

export const probe = fc.oneof(
  httpPath,
  fc.constant(false as const),
  fc.record({ path: httpPath, periodSeconds: fc.integer({ min: 1, max: 60 }), failureThreshold: fc.integer({ min: 1, max: 10 }) }),
  fc.record({ command: fc.array(fc.stringMatching(/^[a-z/]{1,10}$/), { minLength: 1, maxLength: 3 }) }),
);

export const writablePaths = fc.uniqueArray(fc.stringMatching(/^\/[a-z]{1,8}(\/[a-z]{1,8})?$/), { maxLength: 3 });

/** Values of a wrong type or shape, to prove the library reports them instead of crashing. */
export const junk = fc.oneof(
  fc.constant(undefined), fc.constant(null), fc.integer(), fc.double(), fc.string({ maxLength: 8 }), fc.boolean(),
  fc.constant({}), fc.constant([]), fc.constant('UPPER_case'), fc.constant(-1), fc.constant(1e9),
);
