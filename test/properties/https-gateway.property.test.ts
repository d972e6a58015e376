import { App, Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { AllowedRoutes, HttpsGateway, HttpsGatewayProps, NetworkPolicyBundle, reachabilityReport, SecureNamespace, WebApp } from '../../src';
import { findObject, Manifest, synthValid } from '../harness';
import * as arb from './arbitraries';
import { libraryErrorOf } from './expect-library-error';

const IMAGE = 'ghcr.io/acme/app:1.0.0';
const NAMESPACES = ['shop', 'blog'];

interface World {
  readonly gateway: { name: string; namespace: string; className?: string; hosts: string[]; allowedRoutes: AllowedRoutes; clusterIssuer?: string };
  /** Each app: its namespace, the hosts it routes (empty: not routed), its container port. */
  readonly apps: ReadonlyArray<{ namespace: string; hosts: string[]; port: number }>;
  readonly secure: Record<string, { denyByDefault: boolean } | undefined>;
  readonly bundleFirst: boolean;
}

const secureOption = fc.option(fc.record({ denyByDefault: fc.boolean() }), { nil: undefined });

/** A gateway with exact and wildcard hosts, apps routed to hosts it serves from namespaces it accepts. */
const world: fc.Arbitrary<World> = fc.record({
  name: arb.resourceName.filter(n => !n.startsWith('app-') && n.length < 40),
  gatewayNamespace: fc.constantFrom('shop', 'blog', 'edge'),
  className: fc.option(fc.constantFrom('istio', 'istio-external'), { nil: undefined }),
  domains: fc.uniqueArray(arb.hostname, { minLength: 1, maxLength: 3 }),
  wildcard: fc.boolean(),
  allowAll: fc.boolean(),
  clusterIssuer: fc.option(fc.constant('letsencrypt-prod'), { nil: undefined }),
  apps: fc.array(fc.record({
    namespace: fc.constantFrom(...NAMESPACES),
    pick: fc.nat(),
    sub: arb.resourceName,
    routed: fc.boolean(),
    port: fc.integer({ min: 1024, max: 65535 }),
  }), { minLength: 1, maxLength: 4 }),
  secure: fc.record({ shop: secureOption, blog: secureOption }),
  bundleFirst: fc.boolean(),
}).map(w => {
  const hosts = w.wildcard ? [...w.domains, `*.${w.domains[0]}`] : w.domains;
  const apps = w.apps.map(a => {
    const domain = w.domains[a.pick % w.domains.length];
    const host = w.wildcard && a.pick % 2 === 1 ? `${a.sub}.${w.domains[0]}` : domain;
    return { namespace: a.namespace, hosts: a.routed ? [host] : [], port: a.port };
  });
  const routedNamespaces = [...new Set(apps.filter(a => a.hosts.length > 0).map(a => a.namespace))];
  const allowedRoutes: AllowedRoutes = w.allowAll ? 'All'
    : routedNamespaces.every(ns => ns === w.gatewayNamespace) ? 'Same' : { namespaces: routedNamespaces };
  return {
    gateway: { name: w.name, namespace: w.gatewayNamespace, className: w.className, hosts, allowedRoutes, clusterIssuer: w.clusterIssuer },
    apps,
    secure: w.secure,
    bundleFirst: w.bundleFirst,
  };
});

function build(w: World): App {
  const app = Testing.app();
  const charts: Record<string, Chart> = {};
  for (const ns of [...NAMESPACES, 'edge']) charts[ns] = new Chart(app, ns, { namespace: ns });
  for (const ns of NAMESPACES) {
    const secure = w.secure[ns];
    if (secure) new SecureNamespace(charts[ns], 'Namespace', { name: ns, istio: { denyByDefault: secure.denyByDefault } });
  }
  const bundles = () => NAMESPACES.forEach(ns => new NetworkPolicyBundle(charts[ns], 'Bundle', { name: 'net', allowFromGateway: { name: w.gateway.name, namespace: w.gateway.namespace, className: w.gateway.className } }));
  if (w.bundleFirst) bundles();
  const gateway = new HttpsGateway(charts[w.gateway.namespace], 'Gateway', {
    name: w.gateway.name,
    className: w.gateway.className,
    hosts: w.gateway.hosts,
    allowedRoutes: w.gateway.allowedRoutes,
    tls: w.gateway.clusterIssuer ? { clusterIssuer: w.gateway.clusterIssuer } : undefined,
  });
  w.apps.forEach((a, i) => new WebApp(charts[a.namespace], `app-${i}`, {
    image: IMAGE, port: a.port, route: a.hosts.length > 0 ? { gateway, hosts: a.hosts } : undefined,
  }));
  if (!w.bundleFirst) bundles();
  return app;
}

describe('HttpsGateway and routes properties', () => {
  test('any gateway with routed apps synthesises valid, deterministic output; exactly the routed apps are opened to it', () => {
    fc.assert(fc.property(world, w => {
      const objects = synthValid(build(w));
      const gw = findObject(objects, 'Gateway', w.gateway.name);
      expect(gw.metadata.namespace).toEqual(w.gateway.namespace);
      expect(gw.spec.listeners.length).toBe(w.gateway.hosts.length + 1);
      const lines = reachabilityReport(objects).lines;
      const source = `${w.gateway.namespace}/${w.gateway.name} (Gateway)`;
      w.apps.forEach((a, i) => {
        const route = objects.find((o: Manifest) => o.kind === 'HTTPRoute' && o.metadata.name === `app-${i}` && o.metadata.namespace === a.namespace);
        expect(route !== undefined).toBe(a.hosts.length > 0);
        const reached = lines.includes(`${source} → ${a.namespace}/app-${i}:${a.port}`);
        // every app namespace has a default-deny bundle: the gateway reaches exactly the routed apps
        expect(reached).toBe(a.hosts.length > 0);
      });
      expect(JSON.stringify(build(w).charts.flatMap(c => Testing.synth(c)))).toBe(JSON.stringify(objects));
    }), { numRuns: arb.RUNS });
  });

  const invalid: fc.Arbitrary<{ props: unknown; prop: string }> = fc.oneof(
    fc.constantFrom<unknown>(undefined, [], 'a.example.com', [''], ['A.example.com'], ['a.example.com:443'], ['https://a.example.com'], ['*'], [5])
      .map(hosts => ({ props: { hosts }, prop: 'hosts' })),
    fc.constantFrom<unknown>('Any', 'same', {}, { namespaces: [] }, { namespaces: ['Shop'] }, { namespaces: 'shop' }, 5)
      .map(allowedRoutes => ({ props: { hosts: ['a.example.com'], allowedRoutes }, prop: 'allowedRoutes' })),
    fc.constantFrom<unknown>('x', 5, [], { secretName: 'Bad_Secret' }, { clusterIssuer: '' })
      .map(tls => ({ props: { hosts: ['a.example.com'], tls }, prop: 'tls' })),
    fc.constantFrom<unknown>('', 'Istio', 5, 'a b').map(className => ({ props: { hosts: ['a.example.com'], className }, prop: 'className' })),
    fc.constantFrom<unknown>('', 'Public', '1gw', 'a_b', 5).map(name => ({ props: { hosts: ['a.example.com'], name }, prop: 'name' })),
    fc.constantFrom<unknown>('', 'Edge', 'a.b', 5).map(namespace => ({ props: { hosts: ['a.example.com'], namespace }, prop: 'namespace' })),
  );

  test('invalid props always fail with the library error naming the path and the prop', () => {
    fc.assert(fc.property(invalid, ({ props, prop }) => {
      const error = libraryErrorOf(() => new HttpsGateway(new Chart(Testing.app(), 'test', { namespace: 'shop' }), 'public', props as HttpsGatewayProps));
      expect(error.message.startsWith('test/public: invalid ')).toBe(true);
      expect(error.prop.split(/[.[]/)[0]).toBe(prop);
    }), { numRuns: arb.RUNS });
  });
});
