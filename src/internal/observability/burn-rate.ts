import { BURN_RATE_PAIRS, burnRateWindows, BurnRateWindow } from './burn-rate-factors';
import { Objective } from './objective';
import { formatPromDuration, promDurationMillis } from './prom-duration';
import { errorRate, formatNumber, matchers, measuredRate, requestRate, slowRate } from './promql';
import { SliSource, SliTarget } from './sli-source';

/** The recorded series of an objective. */
export const RECORD_REQUESTS = 'slo:sli_requests:rate';
export const RECORD_ERRORS = 'slo:sli_errors:rate';
export const RECORD_BUDGET_REMAINING = 'slo:error_budget_remaining:ratio';
/** 1 at every evaluation of the recording rules: counted over the window, the number of evaluations in it. */
export const RECORD_EVALUATIONS = 'slo:evaluations:marker';

/** What the rules of one objective need. */
export interface ObjectiveRulesInput {
  /** The objective's name (`slo` label) and namespace (`slo_namespace` label). */
  readonly name: string;
  readonly namespace: string;
  readonly source: SliSource;
  readonly target: SliTarget;
  readonly window: string;
  readonly objective: Objective;
}

/** A Prometheus rule as the PrometheusRule CRD writes it. */
export interface PromRule {
  readonly record?: string;
  readonly alert?: string;
  readonly expr: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

/** The labels identifying one objective's recorded series. */
export function objectiveLabels(input: ObjectiveRulesInput): Record<string, string> {
  return { slo: input.name, slo_namespace: input.namespace, sli: input.objective.sli };
}

/** The short windows recorded from the raw metrics (every alert window, once). */
export function recordedWindows(): string[] {
  const windows = [...new Set(BURN_RATE_PAIRS.flatMap(w => [w.short, w.long]))];
  return windows.sort((a, b) => promDurationMillis(a)! - promDurationMillis(b)!);
}

/** The ratio of bad requests over `window` from the recorded series, all tracks together. */
export function recordedErrorRatio(input: ObjectiveRulesInput, window: string): string {
  const sel = matchers(objectiveLabels(input));
  return `(sum(${RECORD_ERRORS}${window}${sel}) / sum(${RECORD_REQUESTS}${window}${sel}))`;
}

/**
 * The recording rules of one objective: per track (the source's `trackLabel` is kept, so canary
 * and stable can be compared), requests and bad requests per second over every alert window and
 * over the objective's window, and the fraction of the error budget left.
 */
export function recordingRules(input: ObjectiveRulesInput): PromRule[] {
  const { source, target, objective } = input;
  const labels = objectiveLabels(input);
  const by = { by: [source.trackLabel] };
  const rules: PromRule[] = [];
  for (const window of recordedWindows()) {
    const total = objective.sli === 'availability' ? requestRate(source, target, window, by) : measuredRate(source, target, window, by);
    const bad = objective.sli === 'availability' ? errorRate(source, target, window, by) : `(${slowRate(source, target, objective.thresholdSeconds!, window, by)} or ${total} * 0)`;
    rules.push({ record: `${RECORD_REQUESTS}${window}`, expr: total, labels });
    rules.push({ record: `${RECORD_ERRORS}${window}`, expr: bad, labels });
  }
  rules.push(...windowRules(input));
  rules.push({
    record: RECORD_BUDGET_REMAINING,
    expr: `1 - ${recordedErrorRatio(input, input.window)} / ${objective.budget}`,
    labels,
  });
  return rules;
}

/**
 * The objective's window (longer than every alert window), too long to read from the raw counters
 * at every evaluation, from the
 * recorded 5m rates: per track, the sum of its 5m rates over the window divided by the number of
 * evaluations in the window (counted on `slo:evaluations:marker`, written at every evaluation).
 * A track that existed for ten minutes of the window thus weighs ten minutes, not the whole window
 * (as `avg_over_time` of its own samples would), and the ratio of the summed tracks is the ratio
 * of the window's requests, however tracks come and go.
 */
function windowRules(input: ObjectiveRulesInput): PromRule[] {
  const labels = objectiveLabels(input);
  const sel = matchers(labels);
  const track = input.source.trackLabel;
  const evaluations = `scalar(count_over_time(${RECORD_EVALUATIONS}${sel}[${input.window}]))`;
  return [
    { record: RECORD_EVALUATIONS, expr: 'vector(1)', labels },
    ...[RECORD_REQUESTS, RECORD_ERRORS].map(record => ({
      record: `${record}${input.window}`,
      expr: `sum by (${track}) (sum_over_time(${record}5m${sel}[${input.window}])) / ${evaluations}`,
      labels,
    })),
  ];
}

/** The burn-rate threshold of one alert: `factor × budget`, written so a reader sees both. */
export function burnThreshold(window: BurnRateWindow, objective: Objective): string {
  return `(${formatNumber(window.factor)} * ${objective.budget})`;
}

/** The four multi-window burn-rate alerts of one objective, each with its severity and objective in its labels. */
export function burnRateAlerts(input: ObjectiveRulesInput): PromRule[] {
  const { objective } = input;
  const sli = objective.sli === 'availability' ? 'Availability' : 'Latency';
  const windowMs = promDurationMillis(input.window)!;
  const what = objective.sli === 'availability'
    ? `${objective.percent}% of requests succeed`
    : `${objective.percent}% of requests complete within ${objective.threshold}`;
  return burnRateWindows(input.window).map(window => ({
    alert: `${sli}ErrorBudgetBurn`,
    expr: `${recordedErrorRatio(input, window.long)} > ${burnThreshold(window, objective)} and ${recordedErrorRatio(input, window.short)} > ${burnThreshold(window, objective)}`,
    labels: {
      severity: window.severity,
      ...objectiveLabels(input),
      objective: formatNumber(objective.percent),
      ...(objective.threshold ? { threshold: objective.threshold } : {}),
      window: input.window,
      long_window: window.long,
      short_window: window.short,
      burn_rate: formatNumber(window.factor),
    },
    annotations: {
      summary: `${input.namespace}/${input.name}: ${objective.sli} error budget burning ${formatNumber(window.factor)}x too fast`,
      description: `Over the last ${window.long} and ${window.short}, more than ${formatNumber(window.factor)} times the allowed ${formatNumber(Number(objective.budget) * 100)}% of requests to ${input.target.namespace}/${input.target.name} were bad (objective: ${what} over ${input.window}); at this rate the whole budget is spent in ${formatPromDuration(Math.round(windowMs / window.factor))}.`,
    },
  }));
}
