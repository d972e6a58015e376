import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { Autoscaled, Worker, WorkerProps } from '../../src';
import { findObject, synthValid } from '../harness';
import * as arb from './arbitraries';
import { libraryErrorOf } from './expect-library-error';

/** Probes that work without a port: exec, or off. */
const portlessProbe = fc.oneof(
  fc.constant(false as const),
  fc.record({ command: fc.array(fc.stringMatching(/^[a-z/]{1,10}$/), { minLength: 1, maxLength: 3 }), periodSeconds: fc.integer({ min: 1, max: 60 }) }),
);

const validProps: fc.Arbitrary<WorkerProps> = fc.option(arb.port, { nil: undefined }).chain(port => fc.record({
  image: arb.pinnedImage,
  name: fc.option(arb.resourceName, { nil: undefined }),
  port: fc.constant(port),
  replicas: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
  env: fc.option(arb.envMap, { nil: undefined }),
  resources: fc.option(fc.record({ cpu: arb.cpuSpec, memory: arb.memorySpec }, { requiredKeys: [] }), { nil: undefined }),
  probes: fc.option(fc.record({
    readiness: port === undefined ? portlessProbe : arb.probe,
    liveness: port === undefined ? portlessProbe : arb.probe,
  }, { requiredKeys: [] }), { nil: undefined }),
  writablePaths: fc.option(arb.writablePaths, { nil: undefined }),
  topologySpread: fc.option(fc.boolean(), { nil: undefined }),
}, { requiredKeys: ['image', 'port'] }));

const autoscaling = fc.option(fc.record({ min: fc.integer({ min: 1, max: 10 }), extra: fc.integer({ min: 0, max: 20 }) }), { nil: undefined });

function build(props: WorkerProps, scale?: { min: number; extra: number }): Chart {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  const worker = new Worker(chart, 'worker', props);
  if (scale) new Autoscaled(chart, 'scaling', { target: worker, minReplicas: scale.min, maxReplicas: scale.min + scale.extra });
  return chart;
}

describe('Worker properties', () => {
  test('valid props always synthesise valid, hardened, Service-less and deterministic output', () => {
    fc.assert(fc.property(validProps, autoscaling, (props, scale) => {
      const objects = synthValid(build(props, scale));
      const name = props.name ?? 'worker';
      const container = findObject(objects, 'Deployment', name).spec.template.spec.containers[0];
      expect(objects.some(o => o.kind === 'Service')).toBe(false);
      expect(container.ports?.map((p: { containerPort: number }) => p.containerPort)).toEqual(props.port === undefined ? undefined : [props.port]);
      expect(container.readinessProbe === undefined).toBe(!props.probes?.readiness);
      const maxPods = scale ? scale.min + scale.extra : props.replicas ?? 2;
      expect(objects.some(o => o.kind === 'PodDisruptionBudget')).toBe(maxPods >= 2);
      expect(JSON.stringify(Testing.synth(build(props, scale)))).toBe(JSON.stringify(objects));
    }), { numRuns: arb.RUNS });
  });

  const invalidField = fc.oneof(
    fc.record({ image: fc.constantFrom('', 'worker', 'worker:latest', 'UPPER/case:1') }),
    fc.record({ port: fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 65536 })) }),
    fc.record({ servicePort: arb.port }),
    fc.record({ replicas: fc.oneof(fc.integer({ max: -1 }), fc.double({ min: 0.1, max: 0.9 })) }),
    fc.record({ probes: fc.constantFrom({ readiness: '/ready' }, { liveness: {} }, { startup: { path: '/x' } }) }),
    fc.record({ resources: fc.constantFrom({ cpu: { request: 'lots' } }, { memory: { request: '1Gi', limit: '1Mi' } }) }),
    fc.record({ disruptionBudget: fc.constantFrom({ minAvailable: 2 }, { maxUnavailable: 0 }, { minAvailable: 1, maxUnavailable: 1 }) }),
  );

  test('invalid props always fail with the library error naming the path and the prop', () => {
    fc.assert(fc.property(invalidField, (field) => {
      const error = libraryErrorOf(() => build({ image: 'ghcr.io/acme/worker:1.0.0', replicas: 2, ...field } as WorkerProps));
      expect(error.message.startsWith('test/worker: invalid ')).toBe(true);
      expect(error.prop.split(/[.[]/)[0]).toBe(Object.keys(field)[0]);
    }), { numRuns: arb.RUNS });
  });
});
