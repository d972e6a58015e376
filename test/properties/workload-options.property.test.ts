import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { CanaryRelease, ContainerOptions, ContainerPort, NetworkPolicyBundle, PreStopOptions, Toleration, VolumeMount, WebApp, WorkloadOptions } from '../../src';
import { findObject, Manifest, synthValid } from '../harness';
import * as arb from './arbitraries';
import { libraryErrorOf } from './expect-library-error';

// The main container listens on 8080 as "http" (the defaults), so generated ports avoid both.
const portName = fc.stringMatching(/^[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,6})?$/).filter(n => n !== 'http');
const containerPort: fc.Arbitrary<ContainerPort> = fc.record({
  name: portName,
  port: arb.port.filter(p => p !== 8080),
  appProtocol: fc.option(fc.constantFrom('http' as const, 'http2' as const, 'grpc' as const, 'tcp' as const), { nil: undefined }),
  expose: fc.option(fc.boolean(), { nil: undefined }),
}, { requiredKeys: ['name', 'port'] });
/** Ports with distinct names and numbers, to share between the main container and a sidecar. */
const podPorts = fc.uniqueArray(containerPort, { selector: p => p.name, maxLength: 5 })
  .map(list => list.filter((p, i) => list.findIndex(q => q.port === p.port) === i));

const volumeName = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/).filter(n => !['tmp', 'files'].includes(n));
const volumeSource: fc.Arbitrary<Omit<VolumeMount, 'mountPath'>> = fc.oneof(
  fc.record({ secret: arb.resourceName, subPath: fc.option(fc.constantFrom('tls.crt', 'conf/app.yaml'), { nil: undefined }) }, { requiredKeys: ['secret'] }),
  fc.record({ configMap: arb.resourceName, readOnly: fc.option(fc.boolean(), { nil: undefined }) }, { requiredKeys: ['configMap'] }),
  fc.record({ claim: arb.resourceName, readOnly: fc.option(fc.boolean(), { nil: undefined }) }, { requiredKeys: ['claim'] }),
  fc.record({
    emptyDir: fc.record({ sizeLimit: fc.option(fc.integer({ min: 1, max: 4096 }).map(n => `${n}Mi`), { nil: undefined }), memory: fc.option(fc.boolean(), { nil: undefined }) }, { requiredKeys: [] }),
  }),
);
const volumes = fc.dictionary(volumeName, volumeSource, { maxKeys: 4 })
  .map(record => Object.fromEntries(Object.entries(record).map(([name, source]) => [name, { ...source, mountPath: `/mnt/${name}` }])) as Record<string, VolumeMount>);

const files = fc.dictionary(fc.stringMatching(/^\/etc\/app\/[a-z]{1,8}\.(yaml|conf|json)$/), fc.string({ maxLength: 40 }), { maxKeys: 3 });

const extraContainer = (name: string, ports: ContainerPort[] | undefined, mounts: string[]): fc.Arbitrary<ContainerOptions> => fc.record({
  name: fc.constant(name),
  image: arb.pinnedImage,
  command: fc.option(fc.array(fc.stringMatching(/^[a-z/-]{1,10}$/), { minLength: 1, maxLength: 3 }), { nil: undefined }),
  args: fc.option(fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }), { nil: undefined }),
  env: fc.option(arb.envMap, { nil: undefined }),
  resources: fc.option(fc.record({ cpu: arb.cpuSpec, memory: arb.memorySpec }, { requiredKeys: [] }), { nil: undefined }),
  ports: fc.constant(ports),
  mounts: fc.subarray(mounts),
}, { requiredKeys: ['name', 'image', 'ports', 'mounts'] });

const toleration: fc.Arbitrary<Toleration> = fc.oneof(
  fc.record({ key: arb.resourceName, operator: fc.constant('Equal' as const), value: fc.option(arb.resourceName, { nil: undefined }), effect: fc.option(fc.constantFrom('NoSchedule' as const, 'PreferNoSchedule' as const), { nil: undefined }) }, { requiredKeys: ['key'] }),
  fc.record({ key: fc.option(arb.resourceName.map(k => `example.com/${k}`), { nil: undefined }), operator: fc.constant('Exists' as const), effect: fc.constant('NoExecute' as const), tolerationSeconds: fc.option(fc.nat(3600), { nil: undefined }) }, { requiredKeys: ['operator', 'effect'] }),
);
const labelKey = fc.oneof(arb.resourceName, arb.resourceName.map(k => `example.com/${k}`));
const labelValue = fc.stringMatching(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,20}[A-Za-z0-9])?)?$/);
const affinity = fc.record({
  nodeAffinity: fc.record({
    requiredDuringSchedulingIgnoredDuringExecution: fc.record({
      nodeSelectorTerms: fc.array(fc.record({
        matchExpressions: fc.array(fc.oneof(
          fc.record({ key: labelKey, operator: fc.constantFrom('In' as const, 'NotIn' as const), values: fc.array(labelValue, { minLength: 1, maxLength: 3 }) }),
          fc.record({ key: labelKey, operator: fc.constantFrom('Exists' as const, 'DoesNotExist' as const) }),
          fc.record({ key: labelKey, operator: fc.constantFrom('Gt' as const, 'Lt' as const), values: fc.integer().map(n => [String(n)]) }),
        ), { minLength: 1, maxLength: 2 }),
      }), { minLength: 1, maxLength: 2 }),
    }),
  }, { requiredKeys: [] }),
  podAntiAffinity: fc.record({
    preferredDuringSchedulingIgnoredDuringExecution: fc.array(fc.record({
      weight: fc.integer({ min: 1, max: 100 }),
      podAffinityTerm: fc.record({ topologyKey: fc.constantFrom('kubernetes.io/hostname', 'topology.kubernetes.io/zone'), labelSelector: fc.record({ matchLabels: fc.dictionary(labelKey, labelValue, { maxKeys: 2 }) }) }),
    }), { maxLength: 2 }),
  }),
}, { requiredKeys: [] });
const preStop: fc.Arbitrary<{ preStop?: PreStopOptions; terminationGracePeriodSeconds?: number }> = fc.oneof(
  fc.integer({ min: 1, max: 20 }).chain(s => fc.record({ preStop: fc.constant({ sleepSeconds: s }), terminationGracePeriodSeconds: fc.option(fc.integer({ min: s + 1, max: 120 }), { nil: undefined }) }, { requiredKeys: ['preStop'] })),
  fc.record({ preStop: fc.record({ command: fc.array(fc.stringMatching(/^[a-z/-]{1,10}$/), { minLength: 1, maxLength: 3 }) }), terminationGracePeriodSeconds: fc.option(fc.nat(120), { nil: undefined }) }, { requiredKeys: ['preStop'] }),
  fc.record({ terminationGracePeriodSeconds: fc.option(fc.nat(120), { nil: undefined }) }, { requiredKeys: [] }),
);
const envFrom = fc.uniqueArray(fc.record({
  source: fc.oneof(arb.resourceName.map(secret => ({ secret })), arb.resourceName.map(configMap => ({ configMap }))),
  prefix: fc.option(fc.stringMatching(/^[A-Z][A-Z0-9_]{0,6}_$/), { nil: undefined }),
}).map(({ source, prefix }) => ({ ...source, prefix })), { selector: e => JSON.stringify(e), maxLength: 3 });

/** Random valid workload options: every new option, any subset of them. */
const workloadOptions: fc.Arbitrary<WorkloadOptions> = fc
  .record({ ports: podPorts, split: fc.nat(5), volumes, sidecar: fc.boolean(), init: fc.boolean() })
  .chain(({ ports, split, volumes: vols, sidecar, init }) => {
    const mainPorts = ports.slice(0, Math.min(split, ports.length));
    const sidecarPorts = ports.slice(mainPorts.length);
    const names = Object.keys(vols);
    return fc.record({
      ports: fc.constant(mainPorts.length > 0 ? mainPorts : undefined),
      volumes: fc.constant(names.length > 0 ? vols : undefined),
      sidecars: sidecar || sidecarPorts.length > 0 ? extraContainer('sidecar', sidecarPorts.length > 0 ? sidecarPorts : undefined, names).map(c => [c]) : fc.constant(undefined),
      initContainers: init ? extraContainer('init', undefined, names).map(c => [c]) : fc.constant(undefined),
      files: fc.option(files, { nil: undefined }),
      command: fc.option(fc.array(fc.stringMatching(/^[a-z/-]{1,10}$/), { minLength: 1, maxLength: 2 }), { nil: undefined }),
      args: fc.option(fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }), { nil: undefined }),
      envFrom: fc.option(envFrom, { nil: undefined }),
      nodeSelector: fc.option(fc.dictionary(labelKey, labelValue, { maxKeys: 2 }), { nil: undefined }),
      tolerations: fc.option(fc.array(toleration, { maxLength: 3 }), { nil: undefined }),
      affinity: fc.option(affinity, { nil: undefined }),
      priorityClassName: fc.option(arb.resourceName, { nil: undefined }),
      imagePullSecrets: fc.option(fc.uniqueArray(arb.resourceName, { maxLength: 2 }), { nil: undefined }),
      podAnnotations: fc.option(fc.dictionary(labelKey, fc.string({ maxLength: 20 }), { maxKeys: 3 }), { nil: undefined }),
      podLabels: fc.option(fc.dictionary(labelKey, labelValue, { maxKeys: 3 }), { nil: undefined }),
      lifecycle: preStop,
    }, { requiredKeys: ['ports', 'volumes', 'sidecars', 'initContainers', 'lifecycle'] })
      .map(({ lifecycle, ...rest }) => ({ ...rest, ...lifecycle }) as WorkloadOptions);
  })
  // metrics on an exposed port, named or by number (a fresh number would add a Service port)
  .chain(options => {
    const exposed = allPorts(options).filter(p => p.expose ?? true);
    const metrics = fc.oneof(
      fc.record({ port: fc.constantFrom<number | string>('http', 8080), path: fc.constantFrom('/metrics', '/stats'), interval: fc.constantFrom('15s', '1m') }, { requiredKeys: ['port'] }),
      ...exposed.map(p => fc.constantFrom<{ port: number | string }>({ port: p.name }, { port: p.port })),
    );
    return fc.option(metrics, { nil: undefined }).map(m => (m === undefined ? options : { ...options, metrics: m }));
  });

function allPorts(options: WorkloadOptions): ContainerPort[] {
  return [...(options.ports ?? []), ...(options.sidecars ?? []).flatMap(s => s.ports ?? [])];
}

function exposedServicePorts(options: WorkloadOptions): string[] {
  return ['http:8080', ...allPorts(options).filter(p => p.expose ?? true).map(p => `${p.name}:${p.port}`)];
}

describe('shared workload options: properties', () => {
  test('valid options on a WebApp always synthesise valid, hardened, wired, deterministic output; allow() reaches every named port', () => {
    fc.assert(fc.property(workloadOptions, fc.nat(), (options, pick) => {
      const build = () => {
        const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
        const web = new WebApp(chart, 'web', { image: 'ghcr.io/acme/web:1.0.0', ...options });
        const client = new WebApp(chart, 'client', { image: 'ghcr.io/acme/client:1.0.0' });
        const ports = allPorts(options);
        const target = ports.length > 0 ? ports[pick % ports.length] : undefined;
        new NetworkPolicyBundle(chart, 'net').allow(client, web, target?.name ?? 'http');
        return { chart, web, target };
      };
      const { chart, web, target } = build();
      const objects = synthValid(chart);
      expect(findObject(objects, 'Service', 'web').spec.ports.map((p: any) => `${p.name}:${p.port}`)).toEqual(exposedServicePorts(options));
      expect([...web.containerPorts].sort()).toEqual([8080, ...allPorts(options).map(p => p.port)].sort());
      expect(findObject(objects, 'NetworkPolicy', 'web-from-client').spec.ingress[0].ports).toEqual([{ port: target?.port ?? 8080, protocol: 'TCP' }]);
      const spec = findObject(objects, 'Deployment', 'web').spec.template.spec;
      expect(spec.containers.length).toBe(1 + (options.sidecars?.length ?? 0));
      expect((spec.initContainers ?? []).length).toBe(options.initContainers?.length ?? 0);
      expect(objects.some(o => o.kind === 'ConfigMap' && o.metadata.name === 'web-files')).toBe(options.files !== undefined);
      const monitors = objects.filter(o => o.kind === 'ServiceMonitor');
      if (options.metrics === undefined) {expect(monitors).toEqual([]);} else {
        const scraped = [{ name: 'http', port: 8080 }, ...allPorts(options)].find(p => p.name === options.metrics!.port || p.port === options.metrics!.port)!;
        expect(monitors.map(m => m.spec.endpoints[0].port)).toEqual([scraped.name]);
      }
      expect(JSON.stringify(Testing.synth(build().chart))).toBe(JSON.stringify(objects));
    }), { numRuns: arb.RUNS });
  });

  test('valid options on a CanaryRelease give both tracks the same pod, apart from the overridable fields', () => {
    fc.assert(fc.property(workloadOptions, (options) => {
      const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
      new CanaryRelease(chart, 'api', {
        ...options,
        stable: { image: 'ghcr.io/acme/api:2.0.0', env: { TRACK: 'stable' } },
        canary: { image: 'ghcr.io/acme/api:2.1.0', resources: { memory: { request: '512Mi' } } },
        canaryWeight: 20,
      });
      const objects: Manifest[] = synthValid(chart);
      const [stable, canary] = ['api-stable', 'api-canary'].map(name => findObject(objects, 'Deployment', name).spec.template);
      const withoutTrackFields = (t: any) => ({
        ...t.spec,
        topologySpreadConstraints: undefined,
        containers: t.spec.containers.map((c: any, i: number) => (i === 0 ? { ...c, image: undefined, env: undefined, resources: undefined } : c)),
      });
      expect(withoutTrackFields(canary)).toEqual(withoutTrackFields(stable));
      expect(canary.metadata.annotations).toEqual(stable.metadata.annotations);
      expect(findObject(objects, 'Service', 'api').spec.ports.map((p: any) => `${p.name}:${p.port}`)).toEqual(exposedServicePorts(options));
    }), { numRuns: arb.RUNS });
  });

  const notAList = arb.junk.filter(v => v !== undefined && !Array.isArray(v));
  const notAnObject = arb.junk.filter(v => v !== undefined && (typeof v !== 'object' || v === null || Array.isArray(v)));
  const badPortName = fc.oneof(
    fc.string({ maxLength: 20 }).filter(n => !/^[a-z0-9]([a-z0-9]|-(?!-)){0,14}$/.test(n) || n.length > 15 || !/[a-z]/.test(n) || n.endsWith('-')),
    fc.constantFrom('http', 'UPPER', 'a--b', 'x'.repeat(16), '8080', '-a', 'a-'),
  );
  const invalidField: fc.Arbitrary<Record<string, unknown>> = fc.oneof<fc.Arbitrary<Record<string, unknown>>[]>(
    fc.record({ command: fc.oneof(fc.constant([]), notAList, fc.constant([''])) }),
    fc.record({ args: fc.oneof(notAList, fc.constant([1])) }),
    fc.record({ ports: fc.oneof(notAList, fc.constant([null]), badPortName.map(name => [{ name, port: 9090 }]), arb.port.map(p => [{ name: 'a', port: 9000 }, { name: 'a', port: p === 9000 ? 9001 : p }])) }),
    fc.record({ ports: fc.constantFrom([{ name: 'metrics', port: 8080 }], [{ name: 'm', port: 0 }], [{ name: 'm', port: 9090, appProtocol: 'udp' }]) }),
    fc.record({
      volumes: fc.oneof(notAnObject, fc.constantFrom(
        { a: { mountPath: '/a' } }, { a: { mountPath: '/a', secret: 's', claim: 'c' } }, { a: { mountPath: '/tmp', emptyDir: {} } },
        { a: { mountPath: 'rel', secret: 's' } }, { A: { mountPath: '/a', secret: 's' } }, { tmp: { mountPath: '/x', secret: 's' } },
        { a: { mountPath: '/a', secret: 's' }, b: { mountPath: '/a', configMap: 'c' } }, { a: { mountPath: '/a', emptyDir: { sizeLimit: 'lots' } } }, { a: null },
      )),
    }),
    fc.record({ files: fc.oneof(notAnObject, fc.constantFrom({ 'rel.txt': 'x' }, { '/tmp': 'x' }, { '/a': 5 }, { '/a/../b': 'x' }, { '/dir/': 'x' })) }),
    fc.record({
      sidecars: fc.oneof(notAList, fc.constantFrom(
        [{ name: 'web', image: 'ghcr.io/a/b:1.0' }], [{ name: 's', image: 'b:latest' }], [{ name: 's', image: 'ghcr.io/a/b:1.0', mounts: ['nope'] }],
        [{ name: 's', image: 'ghcr.io/a/b:1.0' }, { name: 's', image: 'ghcr.io/a/b:1.0' }], [{ name: 's', image: 'ghcr.io/a/b:1.0', ports: [{ name: 'http', port: 1 }] }],
        [{ name: 'S', image: 'ghcr.io/a/b:1.0' }], [{ name: 's', image: 'ghcr.io/a/b:1.0', env: { 1: 'x' } }], [{ name: 's', image: 'ghcr.io/a/b:1.0', resources: { memory: { request: 'x' } } }], [7],
      )),
    }),
    fc.record({
      initContainers: fc.oneof(notAList, fc.constantFrom(
        [{ name: 'web', image: 'ghcr.io/a/b:1.0' }], [{ name: 'i', image: 'b' }], [{ name: 'i', image: 'ghcr.io/a/b:1.0', ports: [{ name: 'x', port: 1 }] }],
        [{ name: 'i', image: 'ghcr.io/a/b:1.0', mounts: 'x' }], [{ name: 'i', image: 'ghcr.io/a/b:1.0', command: [] }],
      )),
    }),
    fc.record({
      tolerations: fc.oneof(notAList,
        fc.string({ maxLength: 10 }).filter(o => !['Equal', 'Exists'].includes(o)).map(operator => [{ key: 'k', operator }]),
        fc.string({ maxLength: 12 }).filter(e => !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(e)).map(effect => [{ key: 'k', effect }]),
        fc.constantFrom([{ value: 'v' }], [{ key: 'k', operator: 'Exists', value: 'v' }], [{ key: 'k', tolerationSeconds: 5 }], [null])),
    }),
    fc.record({
      affinity: fc.oneof(notAnObject, fc.constantFrom(
        { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } },
        { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {} } },
        { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'k', operator: 'Gt', values: ['x'] }] }] } } },
        { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 5 }] } },
        { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 101, podAffinityTerm: { topologyKey: 'zone' } }] } },
        { nodeAffinity: 'x' }, { other: {} },
      )),
    }),
    fc.record({ nodeSelector: fc.oneof(notAnObject, fc.constantFrom({ 'a b': 'x' }, { k: 'a b' }, { k: 5 })) }),
    fc.record({ priorityClassName: fc.oneof(fc.constantFrom('High', '', '-x'), fc.integer()) }),
    fc.record({ imagePullSecrets: fc.oneof(notAList, fc.constantFrom(['a', 'a'], ['A'], [5])) }),
    fc.record({
      podLabels: fc.oneof(notAnObject, fc.constantFrom(
        { 'app.kubernetes.io/name': 'x' }, { 'app.kubernetes.io/instance': 'x' }, { 'app.kubernetes.io/managed-by': 'me' }, { 'cloudnative-constructs.io/track': 'x' }, { k: 'a b' },
      )),
    }),
    fc.record({ podAnnotations: fc.oneof(notAnObject, fc.constantFrom({ 'checksum/config': 'x' }, { 'checksum/files': 'x' }, { k: 5 }, { 'a b': 'x' })) }),
    fc.integer({ min: 1, max: 60 }).chain(s => fc.record({
      preStop: fc.constant({ sleepSeconds: s }), terminationGracePeriodSeconds: fc.integer({ min: 0, max: s }),
    })),
    fc.record({ preStop: fc.oneof(notAnObject, fc.constantFrom({}, { sleepSeconds: 0 }, { sleepSeconds: 1.5 }, { command: [] }, { command: 'x' }, { sleepSeconds: 1, command: ['x'] })) }),
    fc.record({ terminationGracePeriodSeconds: fc.oneof(fc.integer({ max: -1 }), fc.double({ min: 0.1, max: 9.9, noInteger: true }), fc.constant('30')) }),
    fc.record({ envFrom: fc.oneof(notAList, fc.constantFrom([{}], [{ secret: 'a', configMap: 'b' }], [{ secret: 'a', prefix: '1' }], [{ secret: 'a' }, { secret: 'a' }], [null])) }),
    fc.record({ metrics: fc.oneof(notAnObject, fc.constantFrom({ port: 0 }, { port: 'nope' }, { port: 9090, path: 'metrics' }, { port: 9090, interval: '1.5m' }, { port: 9090, interval: '10ms' }, {})) }),
  );

  test('invalid options always fail with the library error naming the construct and the prop', () => {
    fc.assert(fc.property(invalidField, fc.boolean(), (field, canary) => {
      const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
      const error = libraryErrorOf(() => (canary
        ? new CanaryRelease(chart, 'web', { ...(field as Partial<WorkloadOptions>), stable: { image: 'ghcr.io/acme/web:1.0.0' }, canary: { image: 'ghcr.io/acme/web:1.1.0' }, canaryWeight: 10 })
        : new WebApp(chart, 'web', { image: 'ghcr.io/acme/web:1.0.0', ...(field as Partial<WorkloadOptions>) })));
      expect(error.path).toBe('test/web');
      expect(Object.keys(field)).toContain(error.prop.split(/[.[]/)[0]);
    }), { numRuns: arb.RUNS * 3 });
  });

  test('any value of a wrong type anywhere in valid options gives valid output or the library error, never a crash', () => {
    const leafPaths = (value: unknown, path: Array<string | number> = []): Array<Array<string | number>> => {
      if (typeof value !== 'object' || value === null) return [path];
      const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
      return [path, ...entries.flatMap(([key, v]) => leafPaths(v, [...path, key]))];
    };
    const replaced = (value: any, path: Array<string | number>, junk: unknown): any => {
      if (path.length === 0) return junk;
      const [head, ...rest] = path;
      const copy = Array.isArray(value) ? [...value] : { ...value };
      copy[head as any] = replaced(value[head as any], rest, junk);
      return copy;
    };
    fc.assert(fc.property(workloadOptions, fc.nat(), arb.junk, (options, pick, junk) => {
      const paths = leafPaths(options).filter(path => path.length > 0);
      fc.pre(paths.length > 0);
      const mutated = replaced(options, paths[pick % paths.length], junk) as WorkloadOptions;
      const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
      try {
        new WebApp(chart, 'web', { image: 'ghcr.io/acme/web:1.0.0', ...mutated });
      } catch (error) {
        expect(libraryErrorOf(() => { throw error; }).path).toBe('test/web');
        return;
      }
      synthValid(chart);
    }), { numRuns: arb.RUNS * 2 });
  });
});
