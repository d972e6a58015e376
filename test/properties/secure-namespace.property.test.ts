import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { SecureNamespace, SecureNamespaceProps, WebApp } from '../../src';
import { canonicalQuantity } from '../../src/internal/core/quantity';
import { findObject, synthValid } from '../harness';
import * as arb from './arbitraries';
import { libraryErrorOf } from './expect-library-error';
import { checkWorld, namespaceRefusesDefaultApps, secureOptions, worldOf } from './network-world';

function build(name: string, options: Omit<SecureNamespaceProps, 'name'>, withApp: boolean): Chart {
  const chart = new Chart(Testing.app(), 'test', { namespace: name });
  new SecureNamespace(chart, 'ns', { name, ...options });
  if (withApp) new WebApp(chart, 'web', { image: 'ghcr.io/acme/web:1.0.0' });
  return chart;
}

describe('SecureNamespace properties', () => {
  test('random options synthesise valid, deterministic objects that carry what was asked', () => {
    fc.assert(fc.property(arb.resourceName, secureOptions, fc.boolean(), (name, options, withApp) => {
      const refused = withApp ? namespaceRefusesDefaultApps(options) : undefined;
      if (refused) {
        expect(() => synthValid(build(name, options, withApp))).toThrow(refused);
        return;
      }
      const objects = synthValid(build(name, options, withApp));
      const labels = findObject(objects, 'Namespace', name).metadata.labels;
      expect(labels['pod-security.kubernetes.io/enforce']).toBe(options.podSecurity ?? 'restricted');
      const istio = options.istio === false ? undefined : { injection: true, denyByDefault: false, mtls: 'STRICT', ...options.istio };
      expect(labels['istio-injection']).toBe(istio === undefined ? undefined : istio.injection ? 'enabled' : 'disabled');
      expect(objects.some(o => o.kind === 'PeerAuthentication')).toBe(istio !== undefined);
      expect(objects.some(o => o.kind === 'AuthorizationPolicy' && o.metadata.name === 'allow-nothing')).toBe(istio?.denyByDefault === true);
      expect(objects.some(o => o.kind === 'NetworkPolicy' && o.metadata.name === 'default-deny')).toBe(options.defaultDenyNetwork ?? true);
      expect(objects.some(o => o.kind === 'ResourceQuota')).toBe(options.quota !== undefined);
      expect(objects.some(o => o.kind === 'LimitRange')).toBe(options.limits !== false);
      if (options.limits !== false) {
        // a default cpu limit only when one is asked for (workloads set none), in the canonical form the API server stores
        const askedCpuLimit = options.limits?.defaultCpu?.limit;
        expect(findObject(objects, 'LimitRange', 'container-defaults').spec.limits[0].default.cpu)
          .toBe(askedCpuLimit === undefined ? undefined : canonicalQuantity(askedCpuLimit));
      }
      expect(objects.filter(o => o.kind === 'RoleBinding').length).toBe(Object.keys(options.access ?? {}).length);
      expect(JSON.stringify(Testing.synth(build(name, options, withApp)))).toBe(JSON.stringify(objects));
    }), { numRuns: arb.RUNS });
  });

  test('with random workloads and allow() graphs, across two namespaces, every namespace secured, the whole passes and the report shows every flow', () => {
    fc.assert(fc.property(worldOf(secureOptions), checkWorld), { numRuns: arb.RUNS });
  });

  type Invalid = { field: Partial<SecureNamespaceProps>; prop: string };
  const invalidField: fc.Arbitrary<Invalid> = fc.oneof<fc.Arbitrary<Invalid>[]>(
    fc.constantFrom<unknown>('Shop', 'shop_1', '-shop', 'a'.repeat(64), '', 5, undefined, null, 'shop.example').map(v => ({ field: { name: v as string }, prop: 'name' })),
    fc.constantFrom<unknown>('strict', 'Restricted', '', 5).map(v => ({ field: { podSecurity: v as any }, prop: 'podSecurity' })),
    fc.constantFrom<unknown>('1.28', 'v1', 'v2.0', 'v1.28.3', 'newest', 5).map(v => ({ field: { podSecurityVersion: v as string }, prop: 'podSecurityVersion' })),
    fc.constantFrom<unknown>(
      {}, { cpu: 'lots' }, { memory: '1Gb' }, { memory: '256m' }, { pods: 0 }, { pods: 1.5 }, { cpu: { request: '2', limit: '1' } }, { cpu: {} }, 'x', 5, [],
    ).map(v => ({ field: { quota: v as any }, prop: 'quota' })),
    fc.constantFrom<unknown>(
      { defaultCpu: { request: '0' } }, { defaultMemory: { request: '1Gi', limit: '1Mi' } }, { defaultCpu: {} }, { defaultMemory: 'x' }, 'x', 5, [], true,
      { max: { cpu: 'x' } }, { max: { memory: '1Mi' } }, { min: { cpu: '1' } }, { min: 5 }, { max: [] }, { min: { memory: '0' } }, { defaultCpu: { limit: '1' }, max: { cpu: '500m' } },
    ).map(v => ({ field: { limits: v as any }, prop: 'limits' })),
    fc.constantFrom<unknown>({ mtls: 'strict' }, { mtls: 'DISABLE' }, { controlPlaneNamespace: 'Istio' }, 'x', 5, true, []).map(v => ({ field: { istio: v as any }, prop: 'istio' })),
    fc.constantFrom<unknown>(
      { admins: [] }, { editors: [''] }, { viewers: [' dev'] }, { viewers: ['dev', 'dev'] }, { admins: 'ops' }, { editors: [5] }, 'x', 5, [],
    ).map(v => ({ field: { access: v as any }, prop: 'access' })),
    fc.constantFrom<unknown>('yes', 5, {}).map(v => ({ field: { defaultDenyNetwork: v as any }, prop: 'defaultDenyNetwork' })),
    fc.constantFrom<unknown>({ namespace: 'DNS' }, { podLabels: [] }, { ports: [70000] }, { cidrs: ['10.0.0.0/33'] }, 'x').map(v => ({ field: { dns: v as any }, prop: 'dns' })),
  );

  test('invalid props always fail with the library error naming the path and the prop', () => {
    fc.assert(fc.property(invalidField, ({ field, prop }) => {
      const error = libraryErrorOf(() => new SecureNamespace(new Chart(Testing.app(), 'test', { namespace: 'shop' }), 'ns', { name: 'shop', ...field } as SecureNamespaceProps));
      expect(error.message.startsWith('test/ns: invalid ')).toBe(true);
      expect(error.prop.split(/[.[]/)[0]).toBe(prop);
    }), { numRuns: arb.RUNS });
  });
});
