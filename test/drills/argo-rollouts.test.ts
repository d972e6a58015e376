// The drills' model of Argo Rollouts (argo-rollouts.ts, argo-rollouts-expr.ts) behaves as its
// documentation says: https://argo-rollouts.readthedocs.io/en/stable/features/analysis/
import { measurementPhase, resolveArgs, runRollout, RolloutRun } from './argo-rollouts';
import { evalCondition, ExprError } from './argo-rollouts-expr';

describe('expr-lang conditions over result', () => {
  test('the library\'s conditions: guarded, so an empty result or NaN is neither success nor failure', () => {
    const success = 'len(result) > 0 && !isNaN(result[0]) && result[0] >= 0.99';
    const failure = 'len(result) > 0 && !isNaN(result[0]) && result[0] < 0.99';
    expect([[0.995], [0.9], [], [NaN]].map(r => [evalCondition(success, r), evalCondition(failure, r)]))
      .toEqual([[true, false], [false, true], [false, false], [false, false]]);
    expect(evalCondition('len(result) == 0 || isNaN(result[0]) || result[0] > 0.5', [])).toBe(true);
  });

  test('reading result[0] of an empty result is an error, as in expr-lang', () => {
    expect(() => evalCondition('result[0] >= 0.95', [])).toThrow(ExprError);
    expect(() => evalCondition('result[0] >= 0.95', [])).toThrow(/index out of range: 0 \(array length is 0\)/);
  });

  test('the documentation\'s examples: an empty array counted a success, or a failure', () => {
    // https://argo-rollouts.readthedocs.io/en/stable/features/analysis/#empty-array
    expect(evalCondition('len(result) == 0 || result[0] >= 0.95', [])).toBe(true);
    expect(evalCondition('len(result) > 0 && result[0] >= 0.95', [])).toBe(false);
  });

  test('NaN compares false; words and symbols; precedence of and over or; parentheses; arithmetic', () => {
    expect(evalCondition('result[0] >= 0.5 || result[0] < 0.5', [NaN])).toBe(false);
    expect(evalCondition('true or false and false', [])).toBe(true);
    expect(evalCondition('(true || false) && false', [])).toBe(false);
    expect(evalCondition('not isNaN(result[1]) and result[1] * 2 + 1 == 3', [0, 1])).toBe(true);
    expect(evalCondition('-result[0] < 0', [1])).toBe(true);
  });

  test('an unknown name, a non-bool result or a syntax error is an error', () => {
    expect(() => evalCondition('foo > 1', [])).toThrow(/unknown name foo/);
    expect(() => evalCondition('result[0]', [1])).toThrow(/expected bool/);
    expect(() => evalCondition('result[0] >=', [1])).toThrow(ExprError);
    expect(() => evalCondition('result >= 1', [1])).toThrow(/needs a number/);
  });
});

describe('a measurement\'s phase (EvaluateResult)', () => {
  test('with only a success condition, not a success is a failure', () => {
    expect(measurementPhase({ successCondition: 'result[0] > 1' }, [0]).phase).toEqual('Failed');
    expect(measurementPhase({ successCondition: 'result[0] > 1' }, [2]).phase).toEqual('Successful');
  });

  test('with both, neither holding is inconclusive; with none, success; an evaluation error is Error', () => {
    const both = { successCondition: 'result[0] > 0.9', failureCondition: 'result[0] < 0.5' };
    expect(measurementPhase(both, [0.7]).phase).toEqual('Inconclusive');
    expect(measurementPhase(both, [0.2]).phase).toEqual('Failed');
    expect(measurementPhase({}, []).phase).toEqual('Successful');
    expect(measurementPhase({ successCondition: 'result[0] > 1' }, [])).toEqual({ phase: 'Error', message: expect.stringMatching(/index out of range/) });
  });
});

test('arguments are substituted as {{args.name}}, spaces allowed; an unknown one is an error', () => {
  expect(resolveArgs('a="{{args.ns}}",b="{{ args.rev }}"', { ns: 'shop', rev: 'x' })).toEqual('a="shop",b="x"');
  expect(() => resolveArgs('{{args.missing}}', {})).toThrow(/failed to resolve \{\{args.missing\}\}/);
});

describe('a canary rollout with a background analysis', () => {
  const metric = (extra: Record<string, unknown> = {}) => ({
    name: 'm', interval: '1m', successCondition: 'result[0] >= 1', provider: { prometheus: { address: 'http://p', query: 'q{ns="{{args.namespace}}"}' } }, ...extra,
  });
  function rollout(steps: any[], analysis: Record<string, unknown> = {}): any {
    const args = [{ name: 'namespace', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }];
    return { metadata: { name: 'api' }, spec: { strategy: { canary: { steps, analysis: { templates: [{ templateName: 't' }], args, ...analysis } } } } };
  }
  function run(r: any, m: any, values: (at: number) => number[], horizon = 10000): ReturnType<typeof runRollout> & { queries: string[] } {
    const queries: string[] = [];
    const outcome = runRollout({
      rollout: r,
      templates: [{ metadata: { name: 't' }, spec: { args: [{ name: 'namespace' }], metrics: [m] } }],
      namespace: 'shop',
      start: 0,
      horizon,
      measure: qs => qs.map(q => {
        queries.push(q.query);
        return values(q.at);
      }),
    } as RolloutRun);
    return { ...outcome, queries };
  }
  const steps = [{ setWeight: 10 }, { pause: { duration: '10m' } }, { setWeight: 100 }];

  test('failureLimit failures are tolerated; one more aborts at that measurement', () => {
    const outcome = run(rollout(steps), metric({ failureLimit: 2 }), () => [0]);
    expect([outcome.outcome, outcome.at, outcome.weight]).toEqual(['Aborted', 120, 10]);
    expect(outcome.measurements.map(m => m.at)).toEqual([0, 60, 120]);
    expect(outcome.queries[0]).toEqual('q{ns="shop"}');
  });

  test('the run is stopped when the last step is done: failures within the limit do not abort', () => {
    const outcome = run(rollout([{ setWeight: 10 }, { pause: { duration: '2m' } }, { setWeight: 100 }]), metric({ failureLimit: 2 }), () => [0]);
    expect([outcome.outcome, outcome.at, outcome.measurements.length]).toEqual(['Promoted', 120, 2]);
  });

  test('initialDelay postpones the first measurement; startingStep the run', () => {
    const outcome = run(rollout([{ setWeight: 10 }, { pause: { duration: '5m' } }, { setWeight: 50 }, { pause: { duration: '5m' } }, { setWeight: 100 }], { startingStep: 2 }),
      metric({ initialDelay: '2m' }), () => [1]);
    expect(outcome.measurements.map(m => [m.at, m.weight])).toEqual([[420, 50], [480, 50], [540, 50]]);
    expect(outcome.outcome).toEqual('Promoted');
  });

  test('an inconclusive measurement pauses the rollout (inconclusiveLimit 0)', () => {
    const outcome = run(rollout(steps), metric({ failureCondition: 'result[0] < 0.5' }), () => [0.7]);
    expect([outcome.outcome, outcome.at]).toEqual(['Paused-Inconclusive', 0]);
  });

  test('errors are retried every 10 s; more than consecutiveErrorLimit (4) abort', () => {
    const outcome = run(rollout(steps), metric(), () => []);
    expect(outcome.measurements.map(m => [m.at, m.phase])).toEqual([[0, 'Error'], [10, 'Error'], [20, 'Error'], [30, 'Error'], [40, 'Error']]);
    expect([outcome.outcome, outcome.message]).toEqual(['Aborted', 'metric m Error']);
  });

  test('an indefinite pause waits for a person', () => {
    const outcome = run(rollout([{ setWeight: 10 }, { pause: {} }, { setWeight: 100 }]), metric(), () => [1], 300);
    expect([outcome.outcome, outcome.weight]).toEqual(['Paused-Indefinitely', 10]);
  });

  test('an argument without a value is an error', () => {
    expect(() => run({ ...rollout(steps), spec: { strategy: { canary: { steps, analysis: { templates: [{ templateName: 't' }] } } } } }, metric(), () => [1]))
      .toThrow(/argument "namespace" was not supplied/);
  });
});
