import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { checkRolloutDuration, formatSeconds } from './rollout-duration';
import { ARG_NAMESPACE, ARG_REVISION, latencyQuery, successRateQuery } from './rollout-queries';
import { sloMetrics } from './rollout-slo';
import { AppProtocol } from '../../container-basics';
import { ProgressiveAnalysisOptions } from '../../progressive-release-options';
import type { ServiceLevelObjective } from '../../service-level-objective';
import { propError } from '../core/errors';
import { claimName } from '../core/name-registry';
import { checkInteger, checkOptionalObject } from '../core/validate';
import { sliSource } from '../observability/sli-source';

/** The Prometheus server Argo Rollouts queries by default (the prometheus-operator's Service). */
export const DEFAULT_PROMETHEUS = 'http://prometheus-operated.monitoring.svc:9090';
/** API version of the Argo Rollouts objects. */
export const ARGO_ROLLOUTS_API_VERSION = 'argoproj.io/v1alpha1';

const URL_PATTERN = /^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?(\/[^\s]*)?$/;
const LATENCY = /^([0-9]+(?:\.[0-9]+)?)(ms|s)$/;

/** One metric of an AnalysisTemplate, as written. */
interface MetricJson {
  readonly name: string;
  readonly interval: string;
  readonly initialDelay: string;
  readonly failureLimit: number;
  readonly successCondition: string;
  readonly failureCondition: string;
  readonly provider: { readonly prometheus: { readonly address: string; readonly query: string } };
}

/** When the analysis measures, in seconds: the pause rule of the steps is derived from it. */
export interface AnalysisTiming {
  /** Time between two measurements. */
  readonly interval: number;
  /** Time from the first weight to the first measurement (the query window: the new pods have data by then). */
  readonly initialDelay: number;
  /** Failed measurements tolerated per metric; one more aborts the rollout. */
  readonly failureLimit: number;
}

/** The analysis after validation: one AnalysisTemplate per metric, and when they measure. */
export interface ResolvedAnalysis {
  readonly templates: ReadonlyArray<{ readonly name: string; readonly metric: MetricJson }>;
  readonly timing: AnalysisTiming;
}

/** What a measurement without data (no series, or NaN from no requests) counts as. */
export type NoData = 'fail' | 'inconclusive';

/**
 * The conditions of a metric whose measurement is `result[0]`, good when `good` holds and bad
 * when `bad` holds (its negation). A measurement without data is never a success: with
 * `noData: 'inconclusive'` neither condition holds (Argo Rollouts then pauses the rollout for a
 * person), with `'fail'` the failure condition holds. The guards come first: expr-lang's `&&`
 * and `||` stop there, so `result[0]` is never read from an empty result.
 * @see https://argo-rollouts.readthedocs.io/en/stable/features/analysis/#inconclusive-runs
 */
function conditions(good: string, bad: string, noData: NoData): { successCondition: string; failureCondition: string } {
  const hasData = 'len(result) > 0 && !isNaN(result[0])';
  return {
    successCondition: `${hasData} && ${good}`,
    failureCondition: noData === 'fail' ? `len(result) == 0 || isNaN(result[0]) || ${bad}` : `${hasData} && ${bad}`,
  };
}

/**
 * Validates `analysis` and builds one metric per measured objective: those of the
 * `ServiceLevelObjective` (the new pods' bad-request ratios against its budgets), the success rate
 * of the new pods (`successRate` percent, as a fraction) and their `latencyPercentile` latency
 * (`maxLatency`, in seconds). Each metric first measures once the query window has passed
 * since the first weight (the new pods have data by then), and a measurement without data counts
 * as `noData` says, never as a success.
 */
export function resolveAnalysis(scope: IConstruct, release: AnalysedRelease, options: ProgressiveAnalysisOptions): ResolvedAnalysis {
  const name = release.name;
  checkOptionalObject(scope, 'analysis', options, '{ successRate: 99, maxLatency: "500ms" }');
  if (options.successRate === undefined && options.maxLatency === undefined && options.slo === undefined) {
    throw propError(scope, 'analysis', describeAnalysis(options), 'must measure something: give slo (a ServiceLevelObjective of this release), successRate (percent) and/or maxLatency (e.g. "500ms"), or remove analysis');
  }
  if (options.slo !== undefined && !isObjective(options.slo)) {
    throw propError(scope, 'analysis.slo', describeAnalysis({ slo: options.slo }).slo, 'must be a ServiceLevelObjective whose target is this release');
  }
  const intervalText = options.interval ?? '1m';
  const interval = checkRolloutDuration(scope, 'analysis.interval', intervalText);
  const failureLimit = checkInteger(scope, 'analysis.failureLimit', options.failureLimit ?? 2, 0);
  const address = options.prometheusAddress ?? DEFAULT_PROMETHEUS;
  if (typeof address !== 'string' || !URL_PATTERN.test(address)) {
    throw propError(scope, 'analysis.prometheusAddress', address, `must be an http:// or https:// URL of the Prometheus server, e.g. "${DEFAULT_PROMETHEUS}"`);
  }
  const noData = options.noData ?? 'inconclusive';
  const windowSeconds = Math.max(60, 2 * interval);
  const target = { service: name, namespace: release.namespace, window: formatSeconds(windowSeconds) };
  const istio = sliSource('istio', release.appProtocol);
  const metric = (metricName: string, good: string, bad: string, query: string): MetricJson => ({
    name: metricName,
    interval: intervalText,
    initialDelay: target.window,
    failureLimit,
    ...conditions(good, bad, noData),
    provider: { prometheus: { address, query } },
  });
  const templates: Array<{ name: string; metric: MetricJson }> = [];
  if (options.slo !== undefined) {
    for (const m of sloMetrics(scope, options.slo, { ...release, window: target.window })) {
      templates.push({ name: `${name}-${m.name}`, metric: metric(m.name, `result[0] <= ${m.budget}`, `result[0] > ${m.budget}`, m.query) });
    }
  }
  if (options.successRate !== undefined) {
    const rate = options.successRate;
    if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0 || rate > 100) {
      throw propError(scope, 'analysis.successRate', rate, 'must be a percentage greater than 0 and at most 100, e.g. 99 (share of requests answered without a 5xx status or, for gRPC, a server-error status)');
    }
    const least = formatFraction(rate / 100);
    templates.push({ name: `${name}-success-rate`, metric: metric('success-rate', `result[0] >= ${least}`, `result[0] < ${least}`, successRateQuery(istio, target)) });
  }
  if (options.maxLatency !== undefined) {
    const seconds = latencySeconds(scope, options.maxLatency);
    const percentile = options.latencyPercentile ?? 99;
    if (typeof percentile !== 'number' || !Number.isFinite(percentile) || percentile <= 0 || percentile >= 100) {
      throw propError(scope, 'analysis.latencyPercentile', percentile, 'must be a percentile greater than 0 and below 100, e.g. 99 for p99');
    }
    const query = latencyQuery(istio, target, Number((percentile / 100).toPrecision(12)));
    templates.push({ name: `${name}-latency`, metric: metric('latency', `result[0] <= ${seconds}`, `result[0] > ${seconds}`, query) });
  } else if (options.latencyPercentile !== undefined) {
    throw propError(scope, 'analysis.latencyPercentile', options.latencyPercentile, 'applies to maxLatency, which is not given; give maxLatency or remove latencyPercentile');
  }
  return { templates, timing: { interval, initialDelay: windowSeconds, failureLimit } };
}

/** What the analysis reads from its release. */
export interface AnalysedRelease {
  readonly name: string;
  readonly namespace: string;
  readonly hasMetrics: boolean;
  /** The protocol its requests speak: gRPC's failures are statuses, not 5xx. */
  readonly appProtocol: AppProtocol;
}

function isObjective(x: unknown): x is ServiceLevelObjective {
  const slo = x as ServiceLevelObjective;
  return typeof x === 'object' && x !== null && typeof slo.target?.name === 'string' && (slo.source === 'istio' || slo.source === 'app')
    && typeof (slo as { node?: { path?: unknown } }).node?.path === 'string';
}

/** The analysis options for an error message: an objective by its construct path. */
function describeAnalysis(options: ProgressiveAnalysisOptions): Record<string, unknown> {
  const slo = options.slo as unknown as { node?: { path?: unknown } } | undefined;
  return { ...options, ...(slo === undefined ? {} : { slo: typeof slo.node?.path === 'string' ? slo.node.path : slo }) };
}

function latencySeconds(scope: IConstruct, value: string): number {
  const match = typeof value === 'string' ? LATENCY.exec(value) : null;
  const seconds = match ? Number(match[1]) / (match[2] === 'ms' ? 1000 : 1) : NaN;
  if (!match || !(seconds > 0)) {
    throw propError(scope, 'analysis.maxLatency', value, 'must be a positive duration in milliseconds or seconds, e.g. "500ms" or "1.5s"');
  }
  return Number(seconds.toPrecision(12));
}

function formatFraction(value: number): string {
  return String(Number(value.toPrecision(12)));
}

/** Creates the AnalysisTemplates (ids `AnalysisTemplate-<name>`), each taking the Rollout's arguments. */
export function createAnalysisTemplates(scope: Construct, analysis: ResolvedAnalysis, labels: Record<string, string>): ApiObject[] {
  return analysis.templates.map(template => {
    claimName(scope, 'name', 'AnalysisTemplate', template.name);
    return new ApiObject(scope, `AnalysisTemplate-${template.name}`, {
      apiVersion: ARGO_ROLLOUTS_API_VERSION,
      kind: 'AnalysisTemplate',
      metadata: { name: template.name, labels },
      spec: {
        args: [{ name: ARG_NAMESPACE }, { name: ARG_REVISION }],
        metrics: [template.metric],
      },
    });
  });
}

/**
 * The Rollout step from which the background analysis runs: right after the first `setWeight`
 * (the pause rule of rollout-pauses.ts counts every pause from there).
 */
const ANALYSIS_STARTING_STEP = 1;

/**
 * The Rollout's background analysis: every template, from step 1 (once the first weight is set)
 * until the rollout completes, with the namespace from the Rollout's metadata and the revision of
 * its pod template (whose value the Rollout writes from its final template).
 */
export function backgroundAnalysis(analysis: ResolvedAnalysis): Record<string, unknown> {
  return {
    templates: analysis.templates.map(t => ({ templateName: t.name })),
    startingStep: ANALYSIS_STARTING_STEP,
    args: [
      { name: ARG_NAMESPACE, valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: ARG_REVISION },
    ],
  };
}
