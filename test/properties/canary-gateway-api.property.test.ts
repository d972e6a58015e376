import { App, Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { CanaryRelease, CanaryReleaseProps, HttpsGateway } from '../../src';
import { findObject, Manifest, synthValid } from '../harness';
import * as arb from './arbitraries';
import { libraryErrorOf } from './expect-library-error';

/** Durations Gateway API accepts: one to four whole numbers of at most five digits with h, m, s or ms. */
const gatewayDuration = fc.oneof(
  fc.integer({ min: 1, max: 99_999 }).map(n => `${n}ms`),
  fc.integer({ min: 1, max: 3600 }).map(n => `${n}s`),
  fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1, max: 59 })).map(([m, s]) => `${m}m${s}s`),
);
const headerName = fc.stringMatching(/^[a-z0-9][a-z0-9_.-]{0,15}$/);
const headerValue = fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom(...'abcXYZ019-_.~/:;=') });

interface Case {
  readonly props: Omit<CanaryReleaseProps, 'route'>;
  readonly hosts: string[];
  readonly routed: string[];
  readonly path?: string;
  readonly routeTimeout?: string;
  /** The gateway lives in another namespace that lists the release's. */
  readonly crossNamespace: boolean;
}

const validCase: fc.Arbitrary<Case> = fc.record({
  weight: fc.oneof(fc.constantFrom(0, 100), fc.integer({ min: 0, max: 100 })),
  name: fc.option(arb.resourceName, { nil: undefined }),
  port: fc.option(arb.port, { nil: undefined }),
  servicePort: fc.option(arb.port, { nil: undefined }),
  match: fc.option(fc.record({ headers: fc.dictionary(headerName, headerValue, { minKeys: 1, maxKeys: 3 }) }), { nil: undefined }),
  hosts: fc.uniqueArray(arb.hostname, { minLength: 1, maxLength: 4 }),
  pick: fc.integer({ min: 1, max: 4 }),
  path: fc.option(arb.routePath, { nil: undefined }),
  timeout: fc.option(fc.tuple(fc.boolean(), gatewayDuration), { nil: undefined }),
  mirror: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
  crossNamespace: fc.boolean(),
}).map(c => ({
  props: {
    name: c.name,
    port: c.port,
    servicePort: c.servicePort,
    stable: { image: 'ghcr.io/acme/api:2.0.0' },
    canary: { image: 'ghcr.io/acme/api:2.1.0' },
    canaryWeight: c.weight,
    routing: 'gateway-api' as const,
    match: c.match,
    timeout: c.timeout && c.timeout[0] ? c.timeout[1] : undefined,
    mirror: c.weight === 0 && c.mirror !== undefined ? { percent: c.mirror } : undefined,
  },
  hosts: c.hosts,
  routed: c.hosts.slice(0, Math.min(c.pick, c.hosts.length)),
  path: c.path,
  routeTimeout: c.timeout && !c.timeout[0] ? c.timeout[1] : undefined,
  crossNamespace: c.crossNamespace,
}));

function build(c: Case): App {
  const app = Testing.app();
  const chart = new Chart(app, 'test', { namespace: 'shop' });
  const gatewayChart = c.crossNamespace ? new Chart(app, 'edge', { namespace: 'edge' }) : chart;
  const gateway = new HttpsGateway(gatewayChart, 'Public', { name: 'public', hosts: c.hosts, allowedRoutes: c.crossNamespace ? { namespaces: ['shop'] } : 'Same' });
  new CanaryRelease(chart, 'api', { ...c.props, route: { gateway, hosts: c.routed, path: c.path, timeout: c.routeTimeout } });
  return app;
}

describe('CanaryRelease routing gateway-api properties', () => {
  test('valid props synthesise valid, deterministic output whose default rule splits 100 - w / w between the track Services', () => {
    fc.assert(fc.property(validCase, c => {
      const objects = synthValid(build(c));
      const name = c.props.name ?? 'api';
      const route = findObject(objects, 'HTTPRoute', name);
      const split = route.spec.rules.find((r: any) => r.name === 'split');
      expect(split.backendRefs.map((b: any) => [b.name, b.weight])).toEqual([[`${name}-stable`, 100 - c.props.canaryWeight], [`${name}-canary`, c.props.canaryWeight]]);
      expect(split.backendRefs.reduce((n: number, b: any) => n + b.weight, 0)).toBe(100);
      expect(route.spec.rules.length).toBe(c.props.match ? 2 : 1);
      expect(route.spec.hostnames).toEqual(c.routed);
      expect(route.spec.parentRefs.map((p: any) => p.sectionName)).toEqual(c.routed.map(h => `https-${h}`));
      expect(route.spec.parentRefs.every((p: any) => p.namespace === (c.crossNamespace ? 'edge' : undefined))).toBe(true);
      expect(objects.some((o: Manifest) => o.kind === 'VirtualService' || o.kind === 'DestinationRule')).toBe(false);
      expect(JSON.stringify(build(c).charts.flatMap(ch => Testing.synth(ch)))).toBe(JSON.stringify(objects));
    }), { numRuns: arb.RUNS });
  });

  const base = (field: Partial<CanaryReleaseProps>) => () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    const gateway = new HttpsGateway(chart, 'public', { hosts: ['api.example.com'] });
    return new CanaryRelease(chart, 'api', {
      stable: { image: 'ghcr.io/acme/api:2.0.0' },
      canary: { image: 'ghcr.io/acme/api:2.1.0' },
      canaryWeight: 10,
      routing: 'gateway-api',
      route: { gateway, hosts: ['api.example.com'] },
      ...field,
    });
  };

  /** Options Gateway API cannot express, in any combination: the first one in prop order is named. */
  const inexpressible = fc.record({
    gateway: fc.option(fc.constant({ hosts: ['api.example.com'] }), { nil: undefined }),
    retries: fc.option(fc.record({ attempts: fc.integer({ min: 0, max: 5 }) }), { nil: undefined }),
    circuitBreaker: fc.option(fc.record({ maxConnections: fc.integer({ min: 1, max: 100 }) }), { nil: undefined }),
    faultInjection: fc.option(fc.record({
      abort: fc.record({ percent: fc.integer({ min: 0, max: 100 }), httpStatus: fc.constant(503) }),
    }), { nil: undefined }),
  }).filter(r => Object.values(r).some(v => v !== undefined));

  test('options Gateway API cannot express always fail with the library error naming the first of them', () => {
    fc.assert(fc.property(inexpressible, field => {
      const error = libraryErrorOf(base(field as Partial<CanaryReleaseProps>));
      const first = ['gateway', 'retries', 'circuitBreaker', 'faultInjection'].find(k => (field as Record<string, unknown>)[k] !== undefined);
      expect(error.prop).toBe(first);
      expect(error.message).toMatch(/gateway-api|Gateway API/);
    }), { numRuns: arb.RUNS });
  });
});
