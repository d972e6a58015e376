import { Chart, Duration, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { Autoscaled, CanaryRelease, CanaryReleaseProps } from '../../src';
import { findObject, Manifest, synthValid } from '../harness';
import * as arb from './arbitraries';
import { libraryErrorOf } from './expect-library-error';

/** Durations Istio accepts: Go duration strings or cdk8s Durations, whole milliseconds, at least 1 ms. */
const validDuration: fc.Arbitrary<string | Duration> = fc.oneof(
  fc.integer({ min: 1, max: 3600 }).map(n => `${n}s`),
  fc.integer({ min: 1, max: 100_000 }).map(n => `${n}ms`),
  fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 1, max: 59 })).map(([h, m, s]) => `${h}h${m}m${s}s`),
  fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1, max: 999 })).map(([s, ms]) => `${s}.${String(ms).padStart(3, '0')}s`),
  fc.integer({ min: 1, max: 5000 }).map(n => `${n * 1000}us`),
  fc.integer({ min: 1, max: 50 }).map(n => `${n * 1_000_000}ns`),
  fc.constantFrom('1ms', '1.5m', '0.5h', '2562047h'),
  fc.integer({ min: 1, max: 600 }).map(n => Duration.seconds(n)),
  fc.integer({ min: 1, max: 60 }).map(n => Duration.minutes(n)),
  fc.integer({ min: 1, max: 10_000 }).map(n => Duration.millis(n)),
);

/** Durations Istio rejects: malformed, below 1 ms, finer than a millisecond, or beyond Go's range. */
const invalidDuration: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('soon', '10', '', ' 1s', '2 s', '1x', '-1s', '0s', '0ms', '100us', '999999ns', '1.5ms', '1500us', '1.0001s', '3000000h', '1s ', 'P1D'),
  fc.integer({ min: 1, max: 999 }).map(n => `${n}us`),
  fc.integer({ min: 1, max: 999 }).map(n => `1.${String(n).padStart(3, '0')}1s`),
  fc.constant(Duration.millis(0.5)),
  fc.constantFrom(null, 5, {}, [], true),
);

const percent = fc.oneof(fc.constantFrom(0, 100), fc.integer({ min: 0, max: 100 }), fc.double({ min: 0, max: 100, noNaN: true }));
const headerName = fc.stringMatching(/^[a-z0-9][a-z0-9_.-]{0,15}$/);
const headerValue = fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom(...'abcXYZ019-_.~ /:;=') })
  .filter(v => v.trim() === v && v !== '');
const retryOn = fc.uniqueArray(fc.constantFrom('5xx', 'gateway-error', 'reset', 'connect-failure', 'retriable-4xx', 'refused-stream', 'unavailable', 'cancelled', '503', '429'), { minLength: 1, maxLength: 4 })
  .map(conditions => conditions.join(','));
const gatewayHost = fc.oneof(arb.hostname, arb.hostname.map(h => `*.${h}`));
const longName = fc.stringMatching(/^[a-z][a-z0-9-]{0,54}[a-z0-9]$/);

interface Case {
  readonly props: CanaryReleaseProps;
  readonly autoscale?: { readonly track: 'stable' | 'canary'; readonly min: number; readonly extra: number };
}

/** Valid releases: weights 0–100 with the edges, every optional policy, tracks that can serve what they receive. */
const validCase: fc.Arbitrary<Case> = fc.record({
  weight: fc.oneof(fc.constantFrom(0, 100), fc.integer({ min: 0, max: 100 })),
  name: fc.option(fc.oneof(arb.resourceName, longName), { nil: undefined }),
  port: fc.option(arb.port, { nil: undefined }),
  servicePort: fc.option(arb.port, { nil: undefined }),
  appProtocol: fc.option(fc.constantFrom('http' as const, 'http2' as const, 'grpc' as const), { nil: undefined }),
  env: fc.option(arb.envMap, { nil: undefined }),
  resources: fc.option(fc.record({ cpu: arb.cpuSpec, memory: arb.memorySpec }, { requiredKeys: [] }), { nil: undefined }),
  probes: fc.option(fc.record({ readiness: arb.probe, liveness: arb.probe }, { requiredKeys: [] }), { nil: undefined }),
  stable: fc.record({ image: arb.pinnedImage, replicas: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }), env: fc.option(arb.envMap, { nil: undefined }) }, { requiredKeys: ['image'] }),
  canary: fc.record({ image: arb.pinnedImage, replicas: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }), resources: fc.option(fc.record({ memory: arb.memorySpec }), { nil: undefined }) }, { requiredKeys: ['image'] }),
  match: fc.option(fc.record({ headers: fc.dictionary(headerName, headerValue, { minKeys: 1, maxKeys: 3 }) }), { nil: undefined }),
  policies: fc.oneof(
    fc.record({
      retries: fc.option(fc.record({ attempts: fc.integer({ min: 0, max: 10 }), perTryTimeout: fc.option(validDuration, { nil: undefined }), retryOn: fc.option(retryOn, { nil: undefined }) }, { requiredKeys: ['attempts'] }), { nil: undefined }),
      timeout: fc.option(validDuration, { nil: undefined }),
    }, { requiredKeys: [] }),
    fc.record({
      faultInjection: fc.record({
        delay: fc.record({ percent, fixedDelay: validDuration }),
        abort: fc.record({ percent, httpStatus: fc.oneof(fc.constantFrom(200, 599), fc.integer({ min: 200, max: 599 })) }),
      }, { requiredKeys: [] }).filter(f => f.delay !== undefined || f.abort !== undefined),
    }),
  ),
  circuitBreaker: fc.option(fc.record({
    maxConnections: fc.integer({ min: 1, max: 10_000 }),
    maxPendingRequests: fc.integer({ min: 1, max: 10_000 }),
    consecutive5xxErrors: fc.integer({ min: 1, max: 50 }),
    interval: validDuration,
    baseEjectionTime: validDuration,
    maxEjectionPercent: fc.oneof(fc.constantFrom(0, 100), fc.integer({ min: 0, max: 100 })),
  }, { requiredKeys: [] }), { nil: undefined }),
  mirror: fc.option(fc.record({ percent }), { nil: undefined }),
  gateway: fc.option(fc.record({
    hosts: fc.uniqueArray(gatewayHost, { minLength: 1, maxLength: 3 }),
    tls: fc.option(fc.record({ credentialName: arb.hostname }), { nil: undefined }),
  }, { requiredKeys: ['hosts'] }), { nil: undefined }),
  budget: fc.option(fc.constantFrom(false as const, { maxUnavailable: 1 }, { minAvailable: 1 }), { nil: undefined }),
  autoscale: fc.option(fc.record({ track: fc.constantFrom('stable' as const, 'canary' as const), min: fc.integer({ min: 1, max: 3 }), extra: fc.integer({ min: 0, max: 5 }) }), { nil: undefined }),
}).map((c): Case => {
  const mirror = c.weight === 0 ? c.mirror : undefined;
  // A track that receives traffic must run a pod: replicas 0 only where the track is idle.
  const stableIdle = c.weight === 100;
  const canaryIdle = c.weight === 0 && c.match === undefined && mirror === undefined;
  const stable = { ...c.stable, replicas: c.stable.replicas === 0 && !stableIdle ? 1 : c.stable.replicas };
  const canary = { ...c.canary, replicas: c.canary.replicas === 0 && !canaryIdle ? 1 : c.canary.replicas };
  const maxPods = (track: 'stable' | 'canary') => c.autoscale?.track === track ? c.autoscale.min + c.autoscale.extra
    : (track === 'stable' ? stable.replicas ?? 2 : canary.replicas ?? 1);
  const minPods = (track: 'stable' | 'canary') => c.autoscale?.track === track ? c.autoscale.min
    : (track === 'stable' ? stable.replicas ?? 2 : canary.replicas ?? 1);
  // A budget needs a track that can run two pods (otherwise it would block node drains), and
  // minAvailable 1 must stay below the fewest pods of every track that gets a budget.
  const budgeted = (['stable', 'canary'] as const).filter(t => maxPods(t) >= 2);
  const budget = c.budget && budgeted.length === 0 ? undefined
    : c.budget && 'minAvailable' in c.budget && budgeted.some(t => minPods(t) < 2) ? { maxUnavailable: 1 } : c.budget;
  return {
    props: {
      name: c.name,
      port: c.port,
      servicePort: c.servicePort,
      appProtocol: c.appProtocol,
      env: c.env,
      resources: c.resources,
      probes: c.probes,
      stable,
      canary,
      canaryWeight: c.weight,
      match: c.match,
      ...c.policies,
      circuitBreaker: c.circuitBreaker,
      mirror,
      gateway: c.gateway,
      disruptionBudget: budget,
    },
    autoscale: c.autoscale,
  };
});

function build(props: CanaryReleaseProps, autoscale?: Case['autoscale']): Chart {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  const release = new CanaryRelease(chart, 'api', props);
  if (autoscale) {
    new Autoscaled(chart, 'scaling', { target: release[autoscale.track], minReplicas: autoscale.min, maxReplicas: autoscale.min + autoscale.extra });
  }
  return chart;
}

function weightsOf(objects: Manifest[], name: string): Record<string, number> {
  const split = findObject(objects, 'VirtualService', name).spec.http.find((r: any) => r.name === 'split');
  return Object.fromEntries(split.route.map((r: any) => [r.destination.subset, r.weight]));
}

describe('CanaryRelease properties', () => {
  test('valid props always synthesise valid, consistent and deterministic output whose split is 100 - w / w', () => {
    fc.assert(fc.property(validCase, ({ props, autoscale }) => {
      const objects = synthValid(build(props, autoscale));
      const name = props.name ?? 'api';
      const weights = weightsOf(objects, name);
      expect(weights).toEqual({ stable: 100 - props.canaryWeight, canary: props.canaryWeight });
      expect(weights.stable + weights.canary).toBe(100);
      const routes = findObject(objects, 'VirtualService', name).spec.http;
      expect(routes.length).toBe(props.match ? 2 : 1);
      expect(findObject(objects, 'DestinationRule', name).spec.subsets.map((s: any) => s.name)).toEqual(['stable', 'canary']);
      expect(objects.some(o => o.kind === 'Gateway')).toBe(props.gateway !== undefined);
      for (const track of ['stable', 'canary'] as const) {
        const deployment = findObject(objects, 'Deployment', `${name}-${track}`);
        expect('replicas' in deployment.spec).toBe(autoscale?.track !== track);
      }
      expect(JSON.stringify(Testing.synth(build(props, autoscale)))).toBe(JSON.stringify(objects));
    }), { numRuns: arb.RUNS });
  });

  const base: CanaryReleaseProps = { stable: { image: 'ghcr.io/acme/api:2.0.0' }, canary: { image: 'ghcr.io/acme/api:2.1.0' }, canaryWeight: 10 };

  /** One wrong prop, and the prop the error must name (its first segment). */
  const invalidField: fc.Arbitrary<{ field: Partial<CanaryReleaseProps>; prop: string }> = fc.oneof(
    fc.oneof(fc.integer({ max: -1 }), fc.integer({ min: 101 }), fc.double({ min: 0.01, max: 99.99, noInteger: true }), fc.constantFrom(NaN, Infinity, '10', undefined, null))
      .map(w => ({ field: { canaryWeight: w as number }, prop: 'canaryWeight' })),
    fc.integer({ max: -1 }).map(a => ({ field: { retries: { attempts: a } }, prop: 'retries' })),
    invalidDuration.map(d => ({ field: { timeout: d as string }, prop: 'timeout' })),
    invalidDuration.map(d => ({ field: { retries: { attempts: 2, perTryTimeout: d as string } }, prop: 'retries' })),
    // null means "use the default" for props resolved with `??`, like undefined.
    invalidDuration.filter(d => d !== null).map(d => ({ field: { circuitBreaker: { interval: d as string } }, prop: 'circuitBreaker' })),
    invalidDuration.filter(d => d !== null).map(d => ({ field: { circuitBreaker: { baseEjectionTime: d as string } }, prop: 'circuitBreaker' })),
    invalidDuration.map(d => ({ field: { faultInjection: { delay: { percent: 5, fixedDelay: d as string } } }, prop: 'faultInjection' })),
    fc.oneof(fc.double({ max: -0.001, noNaN: true }), fc.double({ min: 100.001, noNaN: true }), fc.constant(NaN)).chain(p => fc.constantFrom(
      { field: { faultInjection: { delay: { percent: p, fixedDelay: '1s' } } }, prop: 'faultInjection' },
      { field: { faultInjection: { abort: { percent: p, httpStatus: 503 } } }, prop: 'faultInjection' },
      { field: { canaryWeight: 0, mirror: { percent: p } }, prop: 'mirror' },
      { field: { circuitBreaker: { maxEjectionPercent: p } }, prop: 'circuitBreaker' },
    )),
    fc.oneof(fc.integer({ max: 199 }), fc.integer({ min: 600 }), fc.double({ min: 200.1, max: 598.9, noInteger: true }))
      .map(s => ({ field: { faultInjection: { abort: { percent: 5, httpStatus: s } } }, prop: 'faultInjection' })),
    fc.oneof(
      fc.constantFrom('https://api.example.com', 'API.example.com', 'api.example.com:443', 'api.example.com/x', '', '-a.example.com', 'a..b', '*', '**.example.com', 'a_b.example.com'),
      arb.hostname.map(h => `${h}.`),
    ).map(h => ({ field: { gateway: { hosts: [h] } }, prop: 'gateway' })),
    fc.constantFrom<unknown>({ podNamespace: 'Istio System' }, { podNamespace: '' }, { serviceAccount: 'Gateway SA' }, { serviceAccount: '' })
      .map(extra => ({ field: { gateway: { hosts: ['api.example.com'], ...(extra as object) } }, prop: 'gateway' })),
    fc.constantFrom<unknown>({ apiServer: { cidr: '10.0.0.1/32' } }, { automountToken: true, apiServer: { cidr: '10.0.0.1' } }, { automountToken: true, apiServer: { cidr: '10.0.0.0/8', port: 0 } }, { automountToken: true, apiServer: 'x' })
      .map(v => ({ field: { serviceAccount: v as any }, prop: 'serviceAccount' })),
    fc.constantFrom('X-Canary', 'x canary', 'x:canary', '', 'x"y', 'é', 'x\ny').map(h => ({ field: { match: { headers: { [h]: 'always' } } }, prop: 'match' })),
    fc.record({ key: fc.constantFrom('timeout', 'retries', 'match', 'mirror', 'gateway', 'faultInjection', 'circuitBreaker', 'stable', 'canary'), value: arb.junk })
      .filter(({ key, value }) => value !== undefined && !(key === 'circuitBreaker' && typeof value === 'object' && value !== null && !Array.isArray(value)))
      .map(({ key, value }) => ({ field: { [key]: value, ...(key === 'mirror' ? { canaryWeight: 0 } : {}) }, prop: key })),
    // Wrong-typed nested options must be reported, not read as "nothing set" and defaulted.
    fc.record({
      at: fc.constantFrom('resources', 'resources.cpu', 'resources.memory', 'env', 'stable.env', 'canary.resources', 'stable.resources.memory', 'gateway.tls', 'circuitBreaker'),
      value: fc.constantFrom<unknown>('250m', 'x', 5, true, [], ['a'], null),
    }).filter(({ at, value }) => value !== null || !['resources.cpu', 'resources.memory', 'stable.resources.memory'].includes(at))
      .map(({ at, value }) => {
        const path = at.split('.');
        const defaults: Record<string, unknown> = { stable: base.stable, canary: base.canary, gateway: { hosts: ['api.example.com'] } };
        const field: Record<string, any> = { [path[0]]: path.length === 1 ? value : { ...(defaults[path[0]] as object) } };
        let cursor = field[path[0]];
        for (let i = 1; i < path.length; i++) {
          cursor[path[i]] = i === path.length - 1 ? value : {};
          cursor = cursor[path[i]];
        }
        return { field: field as Partial<CanaryReleaseProps>, prop: path[0] };
      }),
  );

  test('invalid props always fail with the library error naming the path and the prop', () => {
    fc.assert(fc.property(invalidField, ({ field, prop }) => {
      const error = libraryErrorOf(() => build({ ...base, ...field } as CanaryReleaseProps));
      expect(error.message.startsWith('test/api: invalid ')).toBe(true);
      expect(error.prop.split(/[.[]/)[0]).toBe(prop);
    }), { numRuns: arb.RUNS });
  });
});
