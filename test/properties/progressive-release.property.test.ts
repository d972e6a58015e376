import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { ProgressiveRelease, ProgressiveStep } from '../../src';
import { findObject, synthValid } from '../harness';
import * as arb from './arbitraries';
import { libraryErrorOf } from './expect-library-error';
import { analysePromql } from '../harness/promql';

/** Pauses Argo Rollouts accepts: whole hours, minutes and seconds in that order, or indefinite. */
const validPause: fc.Arbitrary<string | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constant('indefinite'),
  fc.integer({ min: 1, max: 3600 }).map(n => `${n}s`),
  fc.integer({ min: 1, max: 120 }).map(n => `${n}m`),
  fc.integer({ min: 1, max: 48 }).map(n => `${n}h`),
  fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 1, max: 59 })).map(([h, m, s]) => `${h}h${m}m${s}s`),
);

/** Pauses it does not: units it lacks, bare numbers, zero, wrong order, other types. */
const invalidPause: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('', '0s', '0m0s', '10ms', '1d', '1w', '5', '1.5m', '30m1h', '1s1m', ' 5m', '5m ', 'Indefinite', 'forever', '-1s'),
  fc.integer({ min: 1, max: 999 }).map(n => `${n}`),
  fc.constantFrom(null, 5, {}, [], true),
);

/** Valid steps: 1–6 strictly rising weights 1–100, ending at 100 or with an indefinite pause. */
const validSteps: fc.Arbitrary<ProgressiveStep[]> = fc.record({
  weights: fc.uniqueArray(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 6 }).map(ws => [...ws].sort((a, b) => a - b)),
  pauses: fc.array(validPause, { minLength: 6, maxLength: 6 }),
  endAt100: fc.boolean(),
}).map(({ weights, pauses, endAt100 }) => {
  const list = endAt100 && weights[weights.length - 1] !== 100 ? [...weights.slice(0, 5), 100] : weights;
  const steps: ProgressiveStep[] = list.map((weight, i) => (pauses[i] === undefined ? { weight } : { weight, pause: pauses[i] }));
  const last = steps[steps.length - 1];
  if (last.weight !== 100 && last.pause !== 'indefinite') steps[steps.length - 1] = { weight: last.weight, pause: 'indefinite' };
  return steps;
});

/** One change that makes valid steps invalid. */
const invalidSteps: fc.Arbitrary<unknown[]> = fc.tuple(validSteps, fc.nat(), fc.oneof(
  fc.record({ kind: fc.constant('weight' as const), value: fc.oneof(fc.constantFrom(0, -1, 101, 1000, 0.5, 50.5, Number.NaN), fc.constantFrom('50', null)) }),
  fc.record({ kind: fc.constant('pause' as const), value: invalidPause }),
  fc.record({ kind: fc.constant('repeat' as const) }),
  fc.record({ kind: fc.constant('unfinished' as const), value: fc.integer({ min: 1, max: 99 }) }),
  fc.record({ kind: fc.constant('empty' as const) }),
)).map(([steps, n, change]) => {
  const i = n % steps.length;
  const out: unknown[] = steps.map(s => ({ ...s }));
  switch (change.kind) {
    case 'weight': out[i] = { ...steps[i], weight: change.value }; break;
    case 'pause': out[i] = { ...steps[i], pause: change.value }; break;
    case 'repeat': out.splice(i, 0, { weight: steps[i].weight }); break;
    case 'unfinished': return [{ weight: change.value, pause: '5m' }];
    case 'empty': return [];
  }
  return out;
});

function build(steps: unknown, image: string, analysed = true): Chart {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  new ProgressiveRelease(chart, 'api', { image, steps: steps as ProgressiveStep[], analysis: analysed ? { successRate: 99, maxLatency: '250ms' } : undefined });
  return chart;
}

/** Whether the steps pause long enough below weight 100 for the default analysis to abort: 2m + 3 × 1m. */
function leavesAnalysisTime(steps: readonly ProgressiveStep[]): boolean {
  const below = steps.filter(s => s.weight < 100 && s.pause !== undefined);
  const seconds = (p: string) => {
    const [, h, m, sec] = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(p)!;
    return Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(sec ?? 0);
  };
  return below.some(s => s.pause === 'indefinite') || below.reduce((sum, s) => sum + seconds(s.pause!), 0) >= 300;
}

describe('ProgressiveRelease properties', () => {
  test('any valid steps give a schema-valid Rollout whose steps are the weights and pauses, deterministically', () => {
    fc.assert(fc.property(validSteps, arb.pinnedImage, (steps, image) => {
      const analysed = leavesAnalysisTime(steps);
      const objects = synthValid(build(steps, image, analysed));
      const written = findObject(objects, 'Rollout', 'api').spec.strategy.canary.steps;
      const expected = steps.flatMap(s => [
        { setWeight: s.weight },
        ...(s.pause === undefined ? [] : [{ pause: s.pause === 'indefinite' ? {} : { duration: s.pause } }]),
      ]);
      expect(written).toEqual(expected);
      for (const template of objects.filter(o => o.kind === 'AnalysisTemplate')) {
        const query = template.spec.metrics[0].provider.prometheus.query.replace(/\{\{args\.[a-z-]+\}\}/g, 'x');
        expect(analysePromql(query).errors).toEqual([]);
      }
      expect(JSON.stringify(Testing.synth(build(steps, image, analysed)))).toEqual(JSON.stringify(objects));
    }), { numRuns: arb.RUNS });
  });

  test('with an analysis, valid steps are accepted exactly when their pauses below 100 leave it time to abort', () => {
    fc.assert(fc.property(validSteps, steps => {
      if (leavesAnalysisTime(steps)) {
        expect(() => build(steps, 'ghcr.io/acme/api:2.1.0')).not.toThrow();
      } else {
        const error = libraryErrorOf(() => build(steps, 'ghcr.io/acme/api:2.1.0'));
        expect([error.prop, error.message]).toEqual(['steps', expect.stringContaining('the analysis needs at least 5m there to abort a failing release')]);
      }
    }), { numRuns: arb.RUNS });
  });

  test('any invalid steps fail with the library\'s error naming steps', () => {
    fc.assert(fc.property(invalidSteps, steps => {
      const error = libraryErrorOf(() => build(steps, 'ghcr.io/acme/api:2.1.0'));
      expect(error.prop).toMatch(/^steps(\[\d+\](\.(weight|pause))?)?$/);
      expect(error.message).toContain('test/api: invalid steps');
    }), { numRuns: arb.RUNS });
  });
});
