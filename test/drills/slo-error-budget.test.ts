// Drill: the error budget left (`slo:error_budget_remaining:ratio`) when canary tracks come and go.
//
// A CanaryRelease's stable track serves 10 requests/s for 7 days; a canary lives for ten minutes
// and answers all of its 1 request/s with 503: 600 bad requests out of ~6,048,600, against a
// 99.9 % budget of ~6,049 → ≈ 0.90 of the budget left.
//
// On main before this change the window's rates were `sum by (track) (avg_over_time(rate5m[7d]))`:
// the canary's average is taken over the ten minutes it existed, so its blip counted as if it had
// lasted the whole week, and the budget read −89.9 (1 − (1/11) / 0.001). The same happened to
// tracks that come (a new canary) and go (a track scaled away) during the window.
//
// Prometheus's engine (promtool) evaluates the objective's own PrometheusRule every 5 minutes over
// the whole week.
import { evaluate } from './promtool';
import { at, istioCounter, sloGroups } from './slo-scenario';
import { CanaryRelease } from '../../src';

const STEP = 300; // 5m: series and rule evaluation
const WEEK = (7 * 86400) / STEP; // 2016 steps

function release(chart: import('cdk8s').Chart): CanaryRelease {
  return new CanaryRelease(chart, 'api', {
    stable: { image: 'ghcr.io/acme/api:2.0.0' },
    canary: { image: 'ghcr.io/acme/api:2.1.0' },
    canaryWeight: 10,
  });
}

// Only the rules the budget reads (the 5m rates, the evaluation marker, the window's rates and the
// budget itself): promtool evaluates every rule at every step, and the alert windows' rates (up to
// 3 days of raw samples each) would make this drill slow without changing the budget. A budget that
// read another rule would find no data here and fail the drill.
const BUDGET_INPUTS = /^slo:(sli_(requests|errors):rate(5m|7d)|evaluations:marker|error_budget_remaining:ratio)$/;
const groups = sloGroups({ availability: 99.9, window: '7d' }, release)
  .map(g => ({ ...g, rules: g.rules.filter(r => BUDGET_INPUTS.test(String(r.record))) }));
const budgetLeft = 'slo:error_budget_remaining:ratio';

function budgetAt(series: ReturnType<typeof istioCounter>[], steps: number): number {
  const [result] = evaluate({ series, groups, interval: `${STEP}s`, evaluationInterval: `${STEP}s` }, [{ expr: budgetLeft, at: at(steps, STEP) }]);
  expect(result).toHaveLength(1);
  return result[0].value;
}

describe('drill: error budget left over a 7-day window when tracks come and go', () => {
  const stable = istioCounter({ workload: 'api-stable', code: '200', rps: 10, stepSeconds: STEP, steps: WEEK });

  test('a ten-minute canary blip leaves ≈ 0.90 of the budget (main: −89.9)', () => {
    // GIVEN a canary answering 503 for ten minutes on day 3
    const canary = istioCounter({ workload: 'api-canary', code: '503', rps: 1, stepSeconds: STEP, from: 3 * 288, steps: 2 });
    // THEN a week later, 600 bad of ~6.05 million requests spent a tenth of the budget
    const left = budgetAt([stable, canary], WEEK);
    expect(left).toBeGreaterThan(0.88);
    expect(left).toBeLessThan(0.92);
  });

  test('healthy twin: no bad request leaves the whole budget', () => {
    const canary = istioCounter({ workload: 'api-canary', code: '200', rps: 1, stepSeconds: STEP, from: 3 * 288, steps: 2 });
    expect(budgetAt([stable, canary], WEEK)).toBeCloseTo(1, 6);
  });

  test('a track that goes away keeps its bad requests in the window; a new one counts only its own', () => {
    // GIVEN an old canary failing 1 % of 1 request/s for a day, then scaled away, and a healthy new canary for the last day
    const day = 288;
    // (the scrape's `pod` label tells the two canaries' series apart)
    const oldOk = istioCounter({ workload: 'api-canary', code: '200', rps: 0.99, stepSeconds: STEP, from: day, steps: day, labels: { pod: 'api-canary-1' } });
    const oldBad = istioCounter({ workload: 'api-canary', code: '503', rps: 0.01, stepSeconds: STEP, from: day, steps: day, labels: { pod: 'api-canary-1' } });
    const newOk = istioCounter({ workload: 'api-canary', code: '200', rps: 1, stepSeconds: STEP, from: WEEK - day, steps: day, labels: { pod: 'api-canary-2' } });
    // THEN the budget counts 864 bad of ~6.22 million requests (budget ~6,221): ≈ 0.86 left
    // (main: the canary track's 0.5 % average error rate over the two days it existed, weighed as if
    // it had run all week beside the stable track: 1 − (0.005/11)/0.001 ≈ 0.55)
    const left = budgetAt([stable, oldOk, oldBad, newOk], WEEK);
    expect(left).toBeGreaterThan(0.84);
    expect(left).toBeLessThan(0.88);
  });
});
