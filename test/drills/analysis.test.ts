// Drill: the analysis of a ProgressiveRelease aborts a failing new version, and never counts "no
// data" as a success. Each scenario rolls a new version out with the README's steps and analysis
// (10 % for 5 min, 50 % for 10 min, then 100 %; successRate 99, maxLatency 500ms, interval 1m,
// failureLimit 2) as Argo Rollouts would (test/drills/argo-rollouts.ts, from its documentation),
// every measurement's query evaluated by Prometheus's engine over the requests the pods answer.
// On main before this change (1d1ea1e), recorded by running this file against it (11 of 14 failed):
// - all-5xx canary: Promoted — no non-5xx series, so the success rate was empty, which
//   `len(result) == 0 || …` counted as a success;
// - 10 % 5xx, slow p99, SLO-derived failures (Istio's and the app's metrics): Aborted, but the
//   first measurement, taken before the new pods had data (`[]`), was recorded Successful;
// - zero traffic to the canary, no series or NaN: Promoted; `noData: 'fail'` was an unknown option;
// - healthy canary: Promoted, measured from 0 s (with no data yet); the other healthy twins passed.
import { account, ANALYSIS, NEW_IMAGE, runDrill } from './analysis-drill';
import { RolloutOutcome } from './argo-rollouts';

const release = (analysis: Record<string, unknown> = ANALYSIS) => ({ image: NEW_IMAGE, analysis });

/** Aborted while 10 % of the requests reach the new version, and `metric` never measured it a success (not even before it had data). */
function expectAbortedAtFirstStep(outcome: RolloutOutcome, metric: string): void {
  expect([outcome.outcome, outcome.weight, outcome.message]).toEqual(['Aborted', 10, `metric ${metric} Failed`]);
  const judged = outcome.measurements.filter(m => m.metric === metric);
  expect(judged.filter(m => m.phase === 'Successful').map(m => `${m.metric}@${m.at}s=${JSON.stringify(m.value)}`)).toEqual([]);
  expect(judged.map(m => m.phase)).toEqual(['Failed', 'Failed', 'Failed']);
}

function expectPromotedWithoutAPerson(outcome: RolloutOutcome): void {
  expect(outcome.outcome).toEqual('Promoted');
  expect(outcome.measurements.length).toBeGreaterThan(0);
  expect(outcome.measurements.filter(m => m.phase !== 'Successful').map(m => `${m.metric}@${m.at}s=${JSON.stringify(m.value)}→${m.phase}`)).toEqual([]);
}

describe('drill: successRate and maxLatency judge the new pods', () => {
  test('a canary answering every request with 503 is aborted at 10 %', () => {
    const outcome = runDrill({ canary: release(), canaryBehaviour: { errorRatio: 1 } });
    expectAbortedAtFirstStep(outcome, 'success-rate');
    expect(outcome.measurements.find(m => m.metric === 'success-rate')?.value).toEqual([0]);
  });

  test('a canary failing 10 % of its requests against a 99 % objective is aborted at 10 %', () => {
    expectAbortedAtFirstStep(runDrill({ canary: release(), canaryBehaviour: { errorRatio: 0.1 } }), 'success-rate');
  });

  test('a canary whose p99 is over maxLatency is aborted at 10 %', () => {
    const outcome = runDrill({ canary: release(), canaryBehaviour: { latencyMs: 800 } });
    expectAbortedAtFirstStep(outcome, 'latency');
    expect(outcome.measurements.find(m => m.metric === 'latency')?.value[0]).toBeGreaterThan(0.5);
  });

  test('healthy twin: a canary answering fast and without errors is promoted with no person', () => {
    const outcome = runDrill({ canary: release(), canaryBehaviour: { errorRatio: 0, latencyMs: 20 } });
    expectPromotedWithoutAPerson(outcome);
    // measured at every interval from one query window (2m) after the first weight until the end of the pauses
    expect(outcome.measurements.filter(m => m.metric === 'success-rate').map(m => m.at)).toEqual([120, 180, 240, 300, 360, 420, 480, 540, 600, 660, 720, 780, 840]);
    expect(outcome.at).toEqual(900);
  });

  test('healthy twin: errors below the objective (0.5 % at 99 %) and p99 under the bound are promoted', () => {
    expectPromotedWithoutAPerson(runDrill({ canary: release(), canaryBehaviour: { errorRatio: 0.005, latencyMs: 300 } }));
  });
});

describe('drill: no data is never a success', () => {
  test('zero traffic to the canary (no series) pauses the rollout for a person by default', () => {
    const outcome = runDrill({ canary: release(), canaryBehaviour: {}, canaryRps: () => 0 });
    expect([outcome.outcome, outcome.weight, outcome.at]).toEqual(['Paused-Inconclusive', 10, 120]);
    expect(outcome.measurements.map(m => m.value)).toEqual([[], []]);
  });

  test('zero traffic to the canary is aborted with noData: "fail"', () => {
    const outcome = runDrill({ canary: release({ ...ANALYSIS, noData: 'fail' }), canaryBehaviour: {}, canaryRps: () => 0 });
    expect([outcome.outcome, outcome.weight, outcome.at]).toEqual(['Aborted', 10, 240]);
  });

  test('a canary whose traffic stopped (its rates are 0, the ratio NaN) pauses for a person', () => {
    const outcome = runDrill({ canary: release(), canaryBehaviour: {}, canaryRps: t => (t < 30 ? 2 : 0) });
    expect([outcome.outcome, outcome.weight]).toEqual(['Paused-Inconclusive', 10]);
    expect(outcome.measurements.every(m => m.value.length === 1 && Number.isNaN(m.value[0]))).toBe(true);
  });
});

describe('drill: analyses derived from a ServiceLevelObjective judge the new pods', () => {
  const slo = { availability: 99, latency: { threshold: '500ms', percent: 99 }, source: 'istio' as const };
  const sloRelease = { image: NEW_IMAGE, analysis: { interval: '1m', failureLimit: 2 } };

  test('a canary answering every request with 503 is aborted at 10 %', () => {
    expectAbortedAtFirstStep(runDrill({ canary: sloRelease, slo, canaryBehaviour: { errorRatio: 1 } }), 'slo-availability');
  });

  test('a canary slower than the latency objective is aborted at 10 %', () => {
    expectAbortedAtFirstStep(runDrill({ canary: sloRelease, slo, canaryBehaviour: { latencyMs: 800 } }), 'slo-latency');
  });

  test('zero traffic to the canary pauses for a person', () => {
    expect(runDrill({ canary: sloRelease, slo, canaryBehaviour: {}, canaryRps: () => 0 }).outcome).toEqual('Paused-Inconclusive');
  });

  test('with the app\'s own metrics, an all-5xx canary is aborted and zero traffic pauses', () => {
    const app = { ...slo, source: 'app' as const, latency: { threshold: '500ms', percent: 99 } };
    const withMetrics = { ...sloRelease, metrics: { port: 9090 } };
    expectAbortedAtFirstStep(runDrill({ canary: withMetrics, stable: { metrics: { port: 9090 } }, slo: app, canaryBehaviour: { errorRatio: 1 } }), 'slo-availability');
    expect(runDrill({ canary: withMetrics, stable: { metrics: { port: 9090 } }, slo: app, canaryBehaviour: {}, canaryRps: () => 0 }).outcome).toEqual('Paused-Inconclusive');
  });

  test('healthy twin: promoted with no person', () => {
    expectPromotedWithoutAPerson(runDrill({ canary: sloRelease, slo, canaryBehaviour: { errorRatio: 0.001, latencyMs: 100 } }));
  });
});

test('account() describes a run', () => {
  expect(account({ outcome: 'Promoted', at: 1, weight: 100, message: 'x', measurements: [] })).toMatch(/^Promoted at 1s/);
});
