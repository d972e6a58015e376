// Argo Rollouts' canary rollout with a background analysis, modelled from its documentation so the
// drills can run a synthesised Rollout and its AnalysisTemplates over synthetic metrics and read
// the outcome: Promoted, Aborted or Paused (an inconclusive analysis, or an indefinite pause).
//
// What is modelled, and where it is documented:
// - Steps run in order: `setWeight` sets the canary weight (pods ready at once here), `pause:
//   {duration}` waits, `pause: {}` waits for a person; after the last step the rollout is fully
//   promoted and the background analysis is terminated ("if the rollout completes all of its
//   canary steps, the rollout is considered successful and the analysis run is stopped by the
//   controller"). https://argo-rollouts.readthedocs.io/en/stable/features/analysis/#background-analysis
// - The background AnalysisRun is created when the rollout reaches `startingStep` (default 0), from
//   every template of `analysis.templates`, with `analysis.args` (a `value`, or `valueFrom.fieldRef`
//   `metadata.namespace`) substituted for `{{args.<name>}}` in the metrics; an argument without a
//   value is an error. https://argo-rollouts.readthedocs.io/en/stable/features/analysis/#analysis-template-arguments
// - A metric first measures `initialDelay` after the run starts, then every `interval` after the
//   previous measurement (10 s after an Error), until its `count` (none: runs until stopped).
//   https://argo-rollouts.readthedocs.io/en/stable/features/analysis/#delay-analysis-runs
// - A measurement is evaluated on `result` (a Prometheus vector: its values, `[]` for no series):
//   with only `successCondition`, not success is failure; with both, neither is Inconclusive;
//   a condition that cannot be evaluated (e.g. `result[0]` of `[]`) is an Error.
//   https://argo-rollouts.readthedocs.io/en/stable/features/analysis/#empty-array and #inconclusive-runs;
//   source: utils/evaluate/evaluate.go EvaluateResult, metricproviders/prometheus processResponse
// - A metric is Failed when its failures exceed `failureLimit` (default 0), Inconclusive when its
//   inconclusive measurements exceed `inconclusiveLimit` (default 0), Error when its consecutive
//   errors exceed `consecutiveErrorLimit` (default 4). Once one metric is Failed, Error or
//   Inconclusive the run stops with the worst phase (Failed > Error > Inconclusive).
//   https://argo-rollouts.readthedocs.io/en/stable/features/analysis/#failure-conditions-and-failure-limit;
//   source: analysis/analysis.go assessMetricStatus, utils/analysis/helpers.go IsTerminating
// - A Failed or Error background run aborts the rollout (weight back to 0); an Inconclusive one
//   pauses it until a person resumes or aborts it.
//   https://argo-rollouts.readthedocs.io/en/stable/features/analysis/#inconclusive-runs; source: rollout/analysis.go
// Where a measurement and the end of a pause fall on the same instant, the rollout moves first
// (the two controllers race; the drills must not depend on winning it).
import { evalCondition, ExprError } from './argo-rollouts-expr';

/** A Prometheus query's vector at a time (seconds since the series start), as Argo Rollouts reads it. */
export type MeasureFn = (queries: ReadonlyArray<{ readonly query: string; readonly at: number }>) => number[][];

export type AnalysisPhase = 'Successful' | 'Failed' | 'Inconclusive' | 'Error';

export interface Measurement {
  readonly metric: string;
  /** Seconds since the series start. */
  readonly at: number;
  readonly value: readonly number[];
  readonly phase: AnalysisPhase;
  /** The canary weight when it was taken. */
  readonly weight: number;
  readonly message?: string;
}

export interface RolloutOutcome {
  readonly outcome: 'Promoted' | 'Aborted' | 'Paused-Inconclusive' | 'Paused-Indefinitely';
  /** Seconds since the series start. */
  readonly at: number;
  /** The canary weight when it happened (100 when promoted). */
  readonly weight: number;
  readonly measurements: readonly Measurement[];
  readonly message: string;
}

/** What the model reads from the manifests. */
export interface RolloutRun {
  /** The Rollout as synthesised (its `spec.strategy.canary`). */
  readonly rollout: any;
  /** The AnalysisTemplates it may name. */
  readonly templates: readonly any[];
  /** The namespace the Rollout is applied in (`metadata.namespace`, or the Application's). */
  readonly namespace: string;
  /** When the rollout starts (the new template applied), seconds since the series start. */
  readonly start: number;
  /** Stop looking after this time (seconds): an unfinished rollout is reported Paused-Indefinitely. */
  readonly horizon: number;
  readonly measure: MeasureFn;
}

const ERROR_RETRY = 10;
const DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4;

/** A Go/Argo duration of hours, minutes and seconds in seconds (`'1h30m'`, `'90s'`). */
export function durationSeconds(text: string): number {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  if (!match || text === '') throw new Error(`unsupported duration ${JSON.stringify(text)}`);
  return Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
}

/** Replaces `{{args.<name>}}` (spaces allowed inside the braces) as Argo Rollouts' ResolveArgs does; an unknown tag is an error. */
export function resolveArgs(text: string, args: Readonly<Record<string, string>>): string {
  return text.replace(/\{\{([^}]*)\}\}/g, (_all, tag: string) => {
    const name = tag.trim();
    if (!name.startsWith('args.') || !(name.slice(5) in args)) throw new Error(`failed to resolve {{${tag}}}`);
    return args[name.slice(5)];
  });
}

/** One measurement's phase from its metric's conditions (Argo Rollouts' EvaluateResult). */
export function measurementPhase(
  metric: { successCondition?: string; failureCondition?: string },
  result: readonly number[],
): { phase: AnalysisPhase; message?: string } {
  try {
    const success = metric.successCondition ? evalCondition(metric.successCondition, result) : false;
    const failure = metric.failureCondition ? evalCondition(metric.failureCondition, result) : false;
    if (!metric.successCondition && !metric.failureCondition) return { phase: 'Successful' };
    const failed = metric.failureCondition ? failure : !success;
    const succeeded = metric.successCondition ? success : !failure;
    if (failed) return { phase: 'Failed' };
    if (!succeeded) return { phase: 'Inconclusive' };
    return { phase: 'Successful' };
  } catch (e) {
    if (e instanceof ExprError) return { phase: 'Error', message: e.message };
    throw e;
  }
}

interface TimelineStep {
  readonly index: number;
  readonly at: number;
  readonly weight: number;
}

/** When each step is reached and what weight holds, when no analysis interferes. */
function timeline(steps: readonly any[], start: number): { reached: TimelineStep[]; end: number } {
  let at = start;
  let weight = 0;
  const reached: TimelineStep[] = [];
  steps.forEach((step, index) => {
    if (step.setWeight !== undefined) weight = step.setWeight;
    reached.push({ index, at, weight });
    if (step.pause !== undefined) at = step.pause.duration === undefined ? Infinity : at + durationSeconds(String(step.pause.duration));
  });
  return { reached, end: at };
}

interface MetricState {
  readonly metric: any;
  next: number;
  failed: number;
  inconclusive: number;
  consecutiveErrors: number;
  count: number;
  phase?: AnalysisPhase;
}

/** Runs the rollout to its outcome. */
export function runRollout(run: RolloutRun): RolloutOutcome {
  const canary = run.rollout.spec.strategy.canary;
  const steps: any[] = canary.steps ?? [];
  const { reached, end } = timeline(steps, run.start);
  const weightAt = (t: number) => [...reached].reverse().find(s => s.at <= t)?.weight ?? 0;
  const promotedAt = end;
  const analysis = canary.analysis;
  const startStep = reached.find(s => s.index === (analysis?.startingStep ?? 0));
  if (!analysis || !startStep || startStep.at >= promotedAt) {
    return finish(promotedAt, run.horizon, [], weightAt);
  }
  const analysisStart = startStep.at;
  const args = Object.fromEntries((analysis.args ?? []).map((a: any) => [a.name, argumentValue(a, run)]));
  const metrics: MetricState[] = (analysis.templates as any[]).flatMap((ref: any) => {
    const template = run.templates.find(t => t.metadata.name === ref.templateName);
    if (!template) throw new Error(`AnalysisTemplate ${ref.templateName} does not exist`);
    for (const declared of template.spec.args ?? []) {
      if (!(declared.name in args) && declared.value === undefined) throw new Error(`argument "${declared.name}" was not supplied`);
    }
    return template.spec.metrics.map((m: any) => ({
      metric: JSON.parse(resolveArgs(JSON.stringify(m), args)),
      next: analysisStart + (m.initialDelay ? durationSeconds(m.initialDelay) : 0),
      failed: 0,
      inconclusive: 0,
      consecutiveErrors: 0,
      count: 0,
    }));
  });
  const stopAt = Math.min(promotedAt, run.horizon);
  const measurements: Measurement[] = [];
  // every measurement the run can take on time, fetched from Prometheus in one go
  const planned = metrics.flatMap(m => plannedTimes(m, stopAt).map(at => ({ query: m.metric.provider.prometheus.query, at })));
  const cache = new Map<string, number[]>();
  const key = (q: { query: string; at: number }) => `${q.at} ${q.query}`;
  run.measure(planned).forEach((values, i) => cache.set(key(planned[i]), values));
  const valueOf = (query: string, at: number) => {
    if (!cache.has(key({ query, at }))) cache.set(key({ query, at }), run.measure([{ query, at }])[0]);
    return cache.get(key({ query, at }))!;
  };
  for (;;) {
    const active = metrics.filter(m => m.phase === undefined);
    if (active.length === 0) break;
    const now = Math.min(...active.map(m => m.next));
    if (now >= stopAt) break;
    for (const m of active.filter(x => x.next === now)) {
      const value = valueOf(m.metric.provider.prometheus.query, now);
      const { phase, message } = measurementPhase(m.metric, value);
      measurements.push({ metric: m.metric.name, at: now, value, phase, weight: weightAt(now), message });
      record(m, phase);
      m.next = now + (phase === 'Error' ? ERROR_RETRY : durationSeconds(m.metric.interval ?? '0s'));
      if (!m.metric.interval && phase !== 'Error') m.phase ??= 'Successful';
    }
    const worst = (['Failed', 'Error', 'Inconclusive'] as const).find(p => metrics.some(m => m.phase === p));
    if (worst) {
      const failedMetric = metrics.find(m => m.phase === worst)!.metric.name;
      return worst === 'Inconclusive'
        ? { outcome: 'Paused-Inconclusive', at: now, weight: weightAt(now), measurements, message: `metric ${failedMetric} inconclusive` }
        : { outcome: 'Aborted', at: now, weight: weightAt(now), measurements, message: `metric ${failedMetric} ${worst}` };
    }
  }
  return finish(promotedAt, run.horizon, measurements, weightAt);
}

function finish(promotedAt: number, horizon: number, measurements: Measurement[], weightAt: (t: number) => number): RolloutOutcome {
  if (promotedAt > horizon) {
    return { outcome: 'Paused-Indefinitely', at: horizon, weight: weightAt(horizon), measurements, message: 'waiting for a promotion' };
  }
  return { outcome: 'Promoted', at: promotedAt, weight: 100, measurements, message: 'all steps completed' };
}

function plannedTimes(m: MetricState, stopAt: number): number[] {
  const interval = durationSeconds(m.metric.interval ?? '0s');
  const times: number[] = [];
  for (let t = m.next; t < stopAt && (interval > 0 || times.length === 0); t += interval) times.push(t);
  return times;
}

function record(m: MetricState, phase: AnalysisPhase): void {
  if (phase === 'Error') {m.consecutiveErrors++;} else {
    m.consecutiveErrors = 0;
    m.count++;
  }
  if (phase === 'Failed') m.failed++;
  if (phase === 'Inconclusive') m.inconclusive++;
  const failureLimit = m.metric.failureLimit ?? 0;
  if (failureLimit >= 0 && m.failed > failureLimit) m.phase = 'Failed';
  else if (m.inconclusive > (m.metric.inconclusiveLimit ?? 0)) m.phase = 'Inconclusive';
  else if (m.consecutiveErrors > (m.metric.consecutiveErrorLimit ?? DEFAULT_CONSECUTIVE_ERROR_LIMIT)) m.phase = 'Error';
  else if (m.metric.count !== undefined && m.count >= m.metric.count) m.phase = 'Successful';
}

function argumentValue(arg: any, run: RolloutRun): string {
  if (typeof arg.value === 'string') return arg.value;
  if (arg.valueFrom?.fieldRef?.fieldPath === 'metadata.namespace') return run.rollout.metadata.namespace ?? run.namespace;
  throw new Error(`the model does not resolve argument ${JSON.stringify(arg)}`);
}
