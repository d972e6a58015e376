import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import * as arb from './arbitraries';
import { libraryErrorOf } from './expect-library-error';
import { checkWorld, secureOptions, worldOf } from './network-world';
import { NetworkPolicyBundle, NetworkPolicyBundleProps, WebApp } from '../../src';

describe('NetworkPolicyBundle properties', () => {
  test('random options and allow() graphs, across two namespaces and with or without a SecureNamespace, synthesise valid, deterministic policies whose flows the report shows', () => {
    fc.assert(fc.property(worldOf(fc.option(secureOptions, { nil: undefined })), checkWorld), { numRuns: arb.RUNS });
  });

  type Invalid = { props: NetworkPolicyBundleProps; prop: string };
  const invalidProps: fc.Arbitrary<Invalid> = fc.oneof<fc.Arbitrary<Invalid>[]>(
    fc.constantFrom('Net', 'my_net', '-net', 'a'.repeat(64), '9net', '').map(v => ({ props: { name: v }, prop: 'name' })),
    fc.constantFrom('both', 'ALL', '', 'deny').map(v => ({ props: { defaultDeny: v as any }, prop: 'defaultDeny' })),
    fc.constantFrom<unknown>(
      { cidr: '10.0.0.1', ports: [5432] }, { cidr: '10.0.0.0/33', ports: [1] }, { cidr: '300.0.0.0/8', ports: [1] }, { cidr: 'x', ports: [1] },
      { cidr: '10.0.0.0/8', namespace: 'db', ports: [1] }, { ports: [1] }, { cidr: '10.0.0.0/8', ports: [] }, { cidr: '10.0.0.0/8' },
      { namespace: 'DB', ports: [1] }, { namespace: 'db', ports: [0] }, { namespace: 'db', ports: [65536] }, { namespace: 'db', ports: [1.5] },
      { namespace: 'db', ports: [1], protocol: 'ICMP' }, { namespace: 'db', ports: 5432 }, 5, 'x', null,
    ).map(rule => ({ props: { egress: [rule as any] }, prop: 'egress' })),
    fc.constantFrom<unknown>('x', 5, {}).map(v => ({ props: { egress: v as any }, prop: 'egress' })),
    fc.constantFrom<unknown>({ port: 0 }, { port: 70000 }, { namespace: 'Monitoring' }, { namespace: '' }, { name: 'Allow_Mon' }, { name: '' }, 'yes', 5, []).map(v => ({ props: { allowMonitoring: v as any }, prop: 'allowMonitoring' })),
    fc.constantFrom<unknown>({ namespace: 'Kube System' }, { podLabels: {} }, { podLabels: { 'k8s-app': 'kube dns' } }, { ports: [] }, { ports: [0] }, { cidrs: ['169.254.20.10'] }, { cidrs: 'x' }, 'x', 5, [])
      .map(v => ({ props: { dns: v as any }, prop: 'dns' })),
    fc.constantFrom<unknown>({ namespace: 'Ingress_Nginx' }, { to: ['web'] }, { to: [5] }, { to: 'web' }, 'yes', 5, []).map(v => ({ props: { allowFromIngressController: v as any }, prop: 'allowFromIngressController' })),
    fc.constantFrom<unknown>('x', 5, []).map(v => ({ props: v as any, prop: 'props' })),
  );

  test('invalid options always fail with the library error naming the path and the prop', () => {
    fc.assert(fc.property(invalidProps, ({ props, prop }) => {
      const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
      new WebApp(chart, 'web', { image: 'ghcr.io/acme/app:1.0.0', ingress: { host: 'shop.example.com' } });
      const error = libraryErrorOf(() => new NetworkPolicyBundle(chart, 'net', props));
      expect(error.message.startsWith('test/net: invalid ')).toBe(true);
      expect(error.prop.split(/[.[]/)[0]).toBe(prop);
    }), { numRuns: arb.RUNS });
  });

  test('allow() with a non-workload or a port the receiver does not expose always fails with the library error', () => {
    const bad = fc.oneof(
      fc.record({ junk: fc.constant(true), peer: fc.oneof(arb.junk, fc.constant('web'), fc.constant({ node: { path: 'x' } })), port: fc.constant(undefined) }),
      fc.record({
        junk: fc.constant(false),
        peer: fc.constant(undefined),
        port: fc.oneof(arb.port.filter(p => p !== 9090), fc.integer({ max: 0 }), fc.integer({ min: 65536 }), fc.double({ noInteger: true })),
      }),
    );
    fc.assert(fc.property(bad, fc.boolean(), ({ junk, peer, port }, reversed) => {
      const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
      const web = new WebApp(chart, 'web', { image: 'ghcr.io/acme/app:1.0.0' });
      const api = new WebApp(chart, 'api', { image: 'ghcr.io/acme/app:1.0.0', port: 9090 });
      const bundle = new NetworkPolicyBundle(chart, 'net');
      const error = libraryErrorOf(() => (!junk ? bundle.allow(web, api, port)
        : reversed ? bundle.allow(api, peer as any) : bundle.allow(peer as any, api)));
      expect(error.prop.startsWith('allow.')).toBe(true);
    }), { numRuns: arb.RUNS });
  });
});
