import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { Autoscaled, WebApp, WebAppProps } from '../../src';
import { findObject, synthValid } from '../harness';
import * as arb from './arbitraries';
import { libraryErrorOf } from './expect-library-error';

const validProps: fc.Arbitrary<WebAppProps> = fc.record({
  image: arb.pinnedImage,
  name: fc.option(arb.resourceName, { nil: undefined }),
  port: fc.option(arb.port, { nil: undefined }),
  servicePort: fc.option(arb.port, { nil: undefined }),
  replicas: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
  appProtocol: fc.option(fc.constantFrom('http' as const, 'http2' as const, 'grpc' as const, 'tcp' as const), { nil: undefined }),
  env: fc.option(arb.envMap, { nil: undefined }),
  config: fc.option(fc.dictionary(fc.stringMatching(/^CFG_[A-Z0-9_]{1,10}$/), fc.string({ maxLength: 30 }), { maxKeys: 3 }), { nil: undefined }),
  resources: fc.option(fc.record({ cpu: arb.cpuSpec, memory: arb.memorySpec }, { requiredKeys: [] }), { nil: undefined }),
  probes: fc.option(fc.record({ readiness: arb.probe, liveness: arb.probe, startup: arb.probe }, { requiredKeys: [] }), { nil: undefined }),
  ingress: fc.option(fc.record({ host: arb.hostname, path: fc.option(arb.routePath, { nil: undefined }), tls: fc.boolean() }), { nil: undefined }),
  writablePaths: fc.option(arb.writablePaths, { nil: undefined }),
  topologySpread: fc.option(fc.boolean(), { nil: undefined }),
}, { requiredKeys: ['image'] });

function build(props: WebAppProps, autoscale?: { min: number; extra: number }): Chart {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  const web = new WebApp(chart, 'web', props);
  if (autoscale) new Autoscaled(chart, 'scaling', { target: web, minReplicas: autoscale.min, maxReplicas: autoscale.min + autoscale.extra });
  return chart;
}

const autoscaling = fc.option(fc.record({ min: fc.integer({ min: 1, max: 10 }), extra: fc.integer({ min: 0, max: 20 }) }), { nil: undefined });

describe('WebApp and Autoscaled properties', () => {
  test('valid props always synthesise valid, hardened, consistent and deterministic output', () => {
    fc.assert(fc.property(validProps, autoscaling, (props, scale) => {
      const objects = synthValid(build(props, scale));
      const name = props.name ?? 'web';
      const deployment = findObject(objects, 'Deployment', name);
      const service = findObject(objects, 'Service', name);
      expect(service.spec.ports[0].port).toBe(props.servicePort ?? props.port ?? 8080);
      expect(deployment.spec.template.spec.containers[0].ports[0].containerPort).toBe(props.port ?? 8080);
      expect('replicas' in deployment.spec).toBe(scale === undefined);
      const maxPods = scale ? scale.min + scale.extra : props.replicas ?? 2;
      expect(objects.some(o => o.kind === 'PodDisruptionBudget')).toBe(maxPods >= 2);
      expect(JSON.stringify(Testing.synth(build(props, scale)))).toBe(JSON.stringify(objects));
    }), { numRuns: arb.RUNS });
  });

  const invalidField = fc.oneof(
    fc.record({ image: fc.constantFrom('', 'nginx', 'nginx:latest', 'UPPER/case:1', 'x@sha256:12', 'a b:1') }),
    fc.record({ name: fc.oneof(arb.junk.filter(v => v != null && !(typeof v === 'string' && /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(v))), fc.constantFrom('Web', 'my_app', '-web', 'a'.repeat(64), '9lives')) }),
    fc.record({ port: fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 65536 }), fc.double({ min: 1.1, max: 2.9, noInteger: true })) }),
    fc.record({ replicas: fc.oneof(fc.integer({ max: -1 }), fc.double({ min: 0.1, max: 0.9 })) }),
    fc.record({ env: fc.constantFrom({ '1X': 'a' }, { 'A=B': 'a' }, { '': 'a' }, { OK: 5 as unknown as string }) }),
    fc.record({ resources: fc.constantFrom({ cpu: { request: 'lots' } }, { memory: { request: '1Gi', limit: '1Mi' } }, { memory: { request: '-1Mi' } }, { cpu: { request: '0' } }) }),
    fc.record({ probes: fc.constantFrom({ readiness: 'healthz' }, { liveness: { path: 'x' } }, { startup: { command: [] } }, { readiness: { periodSeconds: 0 } }) }),
    fc.record({ ingress: fc.constantFrom({ host: 'https://x.example.com' }, { host: 'x.example.com', path: 'x' }, { host: '' }, { host: 'x.example.com/a' }) }),
    fc.record({ writablePaths: fc.constantFrom(['tmp'], ['/'], ['/a', '/a'], ['/a/../b']) }),
    fc.record({ disruptionBudget: fc.constantFrom({ minAvailable: 2 }, { maxUnavailable: 0 }, { minAvailable: '100%' }, { minAvailable: 1, maxUnavailable: 1 }, { maxUnavailable: -1 }) }),
  );

  test('invalid props always fail with the library error naming the path and the prop', () => {
    fc.assert(fc.property(invalidField, (field) => {
      const props = { image: 'ghcr.io/acme/web:1.0.0', replicas: 2, ...field } as WebAppProps;
      const error = libraryErrorOf(() => build(props));
      expect(error.message.startsWith('test/web: invalid ')).toBe(true);
      expect(error.prop.split(/[.[]/)[0]).toBe(Object.keys(field)[0]);
    }), { numRuns: arb.RUNS });
  });

  test('invalid autoscaler bounds always fail with the library error', () => {
    const bounds = fc.oneof(
      fc.record({ minReplicas: fc.integer({ min: 5, max: 50 }), maxReplicas: fc.integer({ min: 1, max: 4 }) }),
      fc.record({ minReplicas: fc.integer({ min: -5, max: 0 }), maxReplicas: fc.integer({ min: 1, max: 4 }) }),
      fc.record({ maxReplicas: fc.integer({ min: -5, max: 0 }) }),
      fc.record({ maxReplicas: fc.constant(3), cpuUtilization: fc.integer({ min: -100, max: 0 }) }),
      fc.record({ maxReplicas: fc.constant(3), memoryUtilization: fc.double({ min: 0.1, max: 99.9, noInteger: true }) }),
    );
    fc.assert(fc.property(bounds, (scaling) => {
      const chart = new Chart(Testing.app(), 'test');
      const web = new WebApp(chart, 'web', { image: 'ghcr.io/acme/web:1.0.0' });
      const error = libraryErrorOf(() => new Autoscaled(chart, 'scaling', { target: web, ...scaling } as any));
      expect(error.path).toBe('test/scaling');
    }), { numRuns: arb.RUNS });
  });
});
