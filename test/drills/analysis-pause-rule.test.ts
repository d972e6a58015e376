// Drill: an analysis can always abort before 100 %. Argo Rollouts stops a background analysis
// when the last step is done, so steps that pause less than the analysis needs to reach
// `failureLimit + 1` failures let a failing release through. Each case rolls out a canary that
// fails 10 % of its requests (successRate 99).
// On main before this change (1d1ea1e), recorded by running this file against it: steps
// `[{ weight: 20, pause: '2m' }, { weight: 100 }]` and steps without any pause were accepted,
// and the failing canary was Promoted (the analysis was stopped at the last step).
import { ANALYSIS, NEW_IMAGE, runDrill, synthesise } from './analysis-drill';

const failing = { errorRatio: 0.1 };

describe('drill: the steps leave the analysis time to abort', () => {
  test.each([
    ['a short first pause', [{ weight: 20, pause: '2m' }, { weight: 100 }]],
    ['no pause at all', [{ weight: 20 }, { weight: 50 }, { weight: 100 }]],
    ['a long pause only at 100 %', [{ weight: 20 }, { weight: 100, pause: '1h' }]],
  ])('%s is an error naming the minimum', (_name, steps) => {
    expect(() => synthesise({ image: NEW_IMAGE, steps, analysis: ANALYSIS }))
      .toThrow(/^drill\/api: invalid steps .*the analysis needs at least 5m there to abort a failing release.*pause at least 5m in all below weight 100/);
  });

  // interval, failureLimit → the minimum: one query window (2 × interval, at least 1m) + (failureLimit + 1) × interval
  test.each([
    ['1m', 2, 300], ['1m', 0, 180], ['30s', 3, 180], ['2m', 1, 480], ['45s', 5, 360],
  ])('interval %s, failureLimit %i: pauses of exactly the minimum (%is) abort a failing canary before 100 %% and promote a healthy one; one second less is refused', (interval, failureLimit, minimum) => {
    const analysis = { successRate: 99, interval, failureLimit };
    const steps = (seconds: number) => [{ weight: 10, pause: `${seconds}s` }, { weight: 100 }];
    const outcome = runDrill({ canary: { image: NEW_IMAGE, steps: steps(minimum), analysis }, canaryBehaviour: failing });
    expect([outcome.outcome, outcome.weight]).toEqual(['Aborted', 10]);
    expect(outcome.at).toBeLessThan(minimum);
    expect(() => synthesise({ image: NEW_IMAGE, steps: steps(minimum - 1), analysis })).toThrow(/needs at least/);
    // healthy twin: with the same steps a healthy canary has data at its first measurement and is promoted
    const healthy = runDrill({ canary: { image: NEW_IMAGE, steps: steps(minimum), analysis }, canaryBehaviour: {} });
    expect([healthy.outcome, healthy.measurements.every(m => m.phase === 'Successful')]).toEqual(['Promoted', true]);
  });

  test('pauses add up across the steps below 100 %, and an indefinite pause always leaves time', () => {
    const outcome = runDrill({
      canary: { image: NEW_IMAGE, steps: [{ weight: 10, pause: '2m' }, { weight: 30, pause: '2m' }, { weight: 60, pause: '1m' }, { weight: 100 }], analysis: ANALYSIS },
      canaryBehaviour: failing,
    });
    expect([outcome.outcome, outcome.weight, outcome.at]).toEqual(['Aborted', 60, 240]);
    expect(() => synthesise({ image: NEW_IMAGE, steps: [{ weight: 10, pause: 'indefinite' }, { weight: 100 }], analysis: ANALYSIS })).not.toThrow();
  });

  test('healthy twin: the README\'s steps promote a healthy canary', () => {
    expect(runDrill({ canary: { image: NEW_IMAGE, analysis: ANALYSIS }, canaryBehaviour: {} }).outcome).toEqual('Promoted');
  });
});
