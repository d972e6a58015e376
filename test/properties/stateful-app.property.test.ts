import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { Autoscaled, StatefulApp, StatefulAppProps } from '../../src';
import { findObject, synthValid } from '../harness';
import * as arb from './arbitraries';
import { libraryErrorOf } from './expect-library-error';

const BINARY: Record<string, bigint> = { Ki: 1024n, Mi: 1024n ** 2n, Gi: 1024n ** 3n, Ti: 1024n ** 4n };
const DECIMAL: Record<string, bigint> = { '': 1n, 'k': 1000n, 'M': 1000n ** 2n, 'G': 1000n ** 3n, 'T': 1000n ** 4n };

/** Bytes of an integer quantity with one suffix, computed here rather than by the library. */
function bytesOf(quantity: string): bigint {
  const [, digits, suffix] = /^([0-9]+)([A-Za-z]*)$/.exec(quantity)!;
  return BigInt(digits) * (BINARY[suffix] ?? DECIMAL[suffix]);
}

/** A whole-number size with a binary or decimal suffix. */
const size = fc.tuple(fc.integer({ min: 1, max: 5000 }), fc.constantFrom('Ki', 'Mi', 'Gi', 'Ti', '', 'k', 'M', 'G'))
  .map(([n, suffix]) => `${n}${suffix}`);

/** Writable paths and a mount path that do not collide (paths under /w, the volume under /data-like names). */
const storage = fc.record({
  size,
  mountPath: fc.stringMatching(/^\/var\/lib\/[a-z]{1,8}$/),
  storageClass: fc.option(arb.resourceName, { nil: undefined }),
  accessMode: fc.option(fc.constantFrom('ReadWriteOnce' as const, 'ReadWriteOncePod' as const, 'ReadWriteMany' as const), { nil: undefined }),
}, { requiredKeys: ['size', 'mountPath'] });

const validProps: fc.Arbitrary<StatefulAppProps> = fc.record({
  image: arb.pinnedImage,
  name: fc.option(arb.resourceName.filter(n => n.length <= 52), { nil: undefined }),
  port: fc.option(arb.port, { nil: undefined }),
  appProtocol: fc.option(fc.constantFrom('http' as const, 'grpc' as const, 'tcp' as const), { nil: undefined }),
  replicas: fc.option(fc.integer({ min: 0, max: 7 }), { nil: undefined }),
  storage: fc.option(storage, { nil: undefined }),
  podManagementPolicy: fc.option(fc.constantFrom('OrderedReady' as const, 'Parallel' as const), { nil: undefined }),
  updatePartition: fc.option(fc.integer({ min: 0, max: 7 }), { nil: undefined }),
  env: fc.option(arb.envMap, { nil: undefined }),
  resources: fc.option(fc.record({ cpu: arb.cpuSpec, memory: arb.memorySpec }, { requiredKeys: [] }), { nil: undefined }),
  writablePaths: fc.option(fc.uniqueArray(fc.stringMatching(/^\/w\/[a-z]{1,8}$/), { maxLength: 3 }), { nil: undefined }),
}, { requiredKeys: ['image'] });

const autoscaling = fc.option(fc.record({ min: fc.integer({ min: 1, max: 5 }), extra: fc.integer({ min: 0, max: 10 }) }), { nil: undefined });

function build(props: StatefulAppProps, scale?: { min: number; extra: number }): Chart {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  const app = new StatefulApp(chart, 'db', props);
  if (scale) new Autoscaled(chart, 'scaling', { target: app, minReplicas: scale.min, maxReplicas: scale.min + scale.extra });
  return chart;
}

describe('StatefulApp properties', () => {
  test('valid props always synthesise a valid StatefulSet governed by its headless Service, with a canonical volume size', () => {
    fc.assert(fc.property(validProps, autoscaling, (props, scale) => {
      const objects = synthValid(build(props, scale));
      const name = props.name ?? 'db';
      const sts = findObject(objects, 'StatefulSet', name);
      expect(sts.spec.serviceName).toBe(`${name}-headless`);
      expect(findObject(objects, 'Service', `${name}-headless`).spec.clusterIP).toBe('None');
      expect(findObject(objects, 'Service', name).spec.ports[0].port).toBe(props.port ?? 8080);
      const claims = sts.spec.volumeClaimTemplates;
      if (props.storage) {
        const written: string = claims[0].spec.resources.requests.storage;
        expect(bytesOf(written)).toBe(bytesOf(props.storage.size));
        expect(written.length).toBeLessThanOrEqual(props.storage.size.length);
        expect(claims[0].metadata.labels['app.kubernetes.io/version']).toBeUndefined();
      } else {
        expect(claims).toBeUndefined();
      }
      expect('replicas' in sts.spec).toBe(scale === undefined);
      const maxPods = scale ? scale.min + scale.extra : props.replicas ?? 1;
      expect(objects.some(o => o.kind === 'PodDisruptionBudget')).toBe(maxPods >= 2);
      expect(JSON.stringify(Testing.synth(build(props, scale)))).toBe(JSON.stringify(objects));
    }), { numRuns: arb.RUNS });
  });

  const invalidField = fc.oneof(
    fc.record({
      storage: fc.constantFrom(
        { size: '10GB', mountPath: '/data' }, { size: '', mountPath: '/data' }, { size: '0', mountPath: '/data' }, { size: '1.5', mountPath: '/data' },
        { size: '10Gi', mountPath: 'data' }, { size: '10Gi', mountPath: '/' }, { size: '1Gi', mountPath: '/data', accessMode: 'RWO' }, '10Gi',
      ),
    }),
    fc.record({ replicas: fc.constant(0), disruptionBudget: fc.constant({ maxUnavailable: 1 }) }),
    fc.record({ podManagementPolicy: fc.constantFrom('ordered', 'Serial', '') }),
    fc.record({ updatePartition: fc.oneof(fc.integer({ max: -1 }), fc.double({ min: 0.1, max: 0.9 })) }),
    fc.record({ name: fc.constantFrom('a'.repeat(53), 'Db', '9db') }),
    fc.record({ port: fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 65536 })) }),
  );

  test('invalid props always fail with the library error naming the path and the prop', () => {
    fc.assert(fc.property(invalidField, (field) => {
      const error = libraryErrorOf(() => build({ image: 'docker.io/library/redis:7.2.4', ...field } as StatefulAppProps));
      expect(error.message.startsWith('test/db: invalid ')).toBe(true);
      expect(Object.keys(field)).toContain(error.prop.split(/[.[]/)[0]);
    }), { numRuns: arb.RUNS });
  });
});
