import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { CanaryRelease, ServiceLevelObjective, ServiceLevelObjectiveProps, WebApp } from '../../src';
import { analysePromql, findObject, synthValid } from '../harness';
import * as arb from './arbitraries';
import { libraryErrorOf } from './expect-library-error';

/** Objective percentages with up to four decimals, strictly between 0 and 100. */
const percent = fc.oneof(fc.integer({ min: 1, max: 999_999 }).map(n => n / 10_000), fc.constantFrom(0.0001, 50, 90, 99, 99.9, 99.95, 99.99, 99.9999));
/** Istio's default request-duration buckets from 1 ms, as thresholds. */
const istioThreshold = fc.constantFrom('1ms', '5ms', '10ms', '25ms', '50ms', '100ms', '250ms', '500ms', '1s', '2500ms', '5s', '10s', '30s', '1m', '5m', '10m', '30m', '1h');
const appThreshold = fc.oneof(fc.integer({ min: 1, max: 60_000 }).map(n => `${n}ms`), fc.integer({ min: 1, max: 120 }).map(n => `${n}s`));
const window = fc.oneof(fc.constantFrom('30d', '28d', '5d', '4w', '1w', '90d'), fc.integer({ min: 5, max: 400 }).map(d => `${d}d`), fc.integer({ min: 120, max: 2000 }).map(h => `${h}h`));

const WINDOW_HOURS: Record<string, number> = { w: 168, d: 24, h: 1 };
/**
 * Whether every alert of an objective can fire: the 1h page's threshold, 2 % of the budget in an
 * hour (factor 0.02 × window in hours, at least 1) times the budget, stays below a ratio of 1.
 */
function reachable(objective: number | undefined, win: string | undefined): boolean {
  return objective === undefined || Math.max(1, 0.02 * windowHours(win)) * (100 - objective) / 100 < 1;
}

function windowHours(win: string | undefined): number {
  const [, n, unit] = /^(\d+)([wdh])$/.exec(win ?? '30d')!;
  return Number(n) * WINDOW_HOURS[unit];
}

/** SRE workbook: the share of the budget (%) each pair alerts on, and its long window in hours. */
const PAIRS: Record<string, { share: number; hours: number }> = { '1h': { share: 2, hours: 1 }, '6h': { share: 5, hours: 6 }, '24h': { share: 10, hours: 24 }, '3d': { share: 10, hours: 72 } };

interface Case { readonly props: Omit<ServiceLevelObjectiveProps, 'target'>; readonly canary: boolean }

const validCase: fc.Arbitrary<Case> = fc.record({
  source: fc.constantFrom('istio' as const, 'app' as const),
  availability: fc.option(percent, { nil: undefined }),
  latencyPercent: fc.option(percent, { nil: undefined }),
  istioThreshold,
  appThreshold,
  window: fc.option(window, { nil: undefined }),
  canary: fc.boolean(),
}).filter(c => (c.availability !== undefined || c.latencyPercent !== undefined)
  && reachable(c.availability, c.window) && reachable(c.latencyPercent, c.window)).map(c => ({
  canary: c.canary,
  props: {
    source: c.source,
    availability: c.availability,
    latency: c.latencyPercent === undefined ? undefined : { threshold: c.source === 'istio' ? c.istioThreshold : c.appThreshold, percent: c.latencyPercent },
    window: c.window,
  },
}));

function build(chart: Chart, canary: boolean): WebApp | CanaryRelease {
  return canary
    ? new CanaryRelease(chart, 'api', { stable: { image: 'ghcr.io/acme/api:2.0.0' }, canary: { image: 'ghcr.io/acme/api:2.1.0' }, canaryWeight: 10, metrics: { port: 9090 } })
    : new WebApp(chart, 'api', { image: 'ghcr.io/acme/api:2.0.0', metrics: { port: 9090 } });
}

describe('ServiceLevelObjective properties', () => {
  test('any valid objective: schema-valid rules whose PromQL parses and whose thresholds are factor × (100 − objective) / 100', () => {
    fc.assert(fc.property(validCase, ({ props, canary }) => {
      const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
      new ServiceLevelObjective(chart, 'slo', { target: build(chart, canary), ...props });
      const objects = synthValid(chart);
      const rules: any[] = findObject(objects, 'PrometheusRule', 'slo').spec.groups.flatMap((g: any) => g.rules);
      const board = JSON.parse(findObject(objects, 'ConfigMap', 'slo-dashboard').data['slo.json']);
      const exprs = [...rules.map(r => r.expr), ...board.panels.flatMap((p: any) => p.targets.map((t: any) => t.expr))];
      for (const expr of exprs) expect([expr, analysePromql(expr).errors]).toEqual([expr, []]);
      const alerts = rules.filter(r => r.alert);
      expect(alerts).toHaveLength(4 * [props.availability, props.latency].filter(o => o !== undefined).length);
      for (const alert of alerts) {
        const objective = Number(alert.labels.objective);
        expect(objective).toBe(alert.labels.sli === 'availability' ? props.availability : props.latency!.percent);
        const pair = PAIRS[alert.labels.long_window];
        expect(Number(alert.labels.burn_rate)).toBeCloseTo(Math.max(1, (pair.share / 100) * windowHours(props.window) / pair.hours), 9);
        const expected = Number(alert.labels.burn_rate) * (100 - objective) / 100;
        const found = [...alert.expr.matchAll(/> \(([0-9.]+) \* ([0-9.]+)\)/g)];
        expect(found).toHaveLength(2);
        for (const [, factor, budget] of found) {
          expect(budget.length).toBeLessThanOrEqual(8); // an exact decimal, not 0.0009999999…
          expect(Math.abs(Number(factor) * Number(budget) - expected)).toBeLessThanOrEqual(expected * 1e-9);
        }
      }
    }), { numRuns: arb.RUNS });
  });

  test('any objective outside (0, 100), whose alerts could never fire, or a window Prometheus cannot express or under 5 days fails with the library\'s error', () => {
    const badPercent = fc.oneof(
      fc.constantFrom(0, 100, -1, 100.0001, Number.NaN, Infinity, 1e-7),
      fc.double({ min: 100, max: 1e6, noNaN: true }),
      fc.double({ min: -1e6, max: 0, noNaN: true }),
    );
    const badWindow = fc.constantFrom('30 days', '1.5d', '30D', 'd', '', '1h30d', '2d', '4d23h', '72h0', '-30d', '30d1', 30 as unknown as string);
    const unreachable = fc.oneof(fc.double({ min: 0.0001, max: 93.05, noNaN: true }).map(v => Math.round(v * 100) / 100).filter(v => v > 0));
    const badCase = fc.oneof(
      badPercent.map(v => ({ props: { availability: v }, prop: 'availability' })),
      badPercent.map(v => ({ props: { latency: { threshold: '250ms', percent: v } }, prop: 'latency.percent' })),
      badWindow.map(v => ({ props: { availability: 99.9, window: v }, prop: 'window' })),
      // over 30 days the 1h page fires above 14.4 × the budget: a budget of 1/14.4 or more never pages
      unreachable.map(v => ({ props: { availability: v }, prop: 'availability' })),
    );
    fc.assert(fc.property(badCase, ({ props, prop }) => {
      const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
      const error = libraryErrorOf(() => new ServiceLevelObjective(chart, 'slo', { target: { name: 'api', namespace: 'shop' }, ...props }));
      expect(error.prop).toBe(prop);
      expect(error.message).toMatch(/^test\/slo: invalid /);
    }), { numRuns: arb.RUNS });
  });
});
