import type { ServiceLevelObjective } from './service-level-objective';

/**
 * One step of a {@link ProgressiveRelease}: send `weight` percent of the requests to the new
 * version, then wait.
 * @see https://argoproj.github.io/argo-rollouts/features/canary/
 */
export interface ProgressiveStep {
  /**
   * Percentage of requests routed to the new version, an integer 1–100. Weights must rise from
   * step to step.
   */
  readonly weight: number;
  /**
   * How long to hold this weight before the next step: a duration in hours, minutes and
   * seconds as Argo Rollouts reads it (`'30s'`, `'10m'`, `'1h30m'`), or `'indefinite'` to wait
   * until someone promotes the rollout (`kubectl argo rollouts promote <name>`).
   * @default - no pause: the next step follows as soon as the weight is set
   */
  readonly pause?: string;
}

/**
 * How a {@link ProgressiveRelease} judges the new version while its steps run: Prometheus
 * queries over the new pods' requests only (the pods of the new pod template, a config-only
 * change included), measured every `interval` from one query window after the first weight on.
 * More than `failureLimit` failed measurements abort the rollout and send every request back
 * to the stable version; a measurement without data is never a success (see `noData`). The
 * steps must pause long enough below weight 100 for the analysis to abort.
 * @see https://argo-rollouts.readthedocs.io/en/stable/features/analysis/#background-analysis
 */
export interface ProgressiveAnalysisOptions {
  /**
   * A service level objective of this release (its `target` is the release, or the release's
   * `{ name, namespace }`): each of its objectives becomes an AnalysisTemplate measuring the new
   * pods' bad requests (5xx, or gRPC server errors for a gRPC release; slower than the latency
   * threshold) against the objective's error budget, with the objective's `source` (Istio's
   * metrics, or the app's own). The objective must measure the release's `appProtocol`.
   * @default - no objective; `successRate` and `maxLatency` only
   */
  readonly slo?: ServiceLevelObjective;
  /**
   * Lowest share of requests the new version must answer without a 5xx status (for a gRPC
   * release: without a gRPC server-error status, UNAVAILABLE, INTERNAL, …), in percent (0–100,
   * e.g. `99`).
   * @default - not measured
   */
  readonly successRate?: number;
  /**
   * Highest `latencyPercentile` request latency of the new version, a duration such as
   * `'500ms'` or `'2s'`.
   * @default - not measured
   */
  readonly maxLatency?: string;
  /**
   * The percentile `maxLatency` applies to, above 0 and below 100 (e.g. `99` for p99).
   * @default 99
   */
  readonly latencyPercentile?: number;
  /**
   * Time between two measurements (hours, minutes and seconds: `'30s'`, `'1m'`); each
   * measurement covers the last two intervals (at least one minute).
   * @default '1m'
   */
  readonly interval?: string;
  /**
   * Failed measurements tolerated per metric; one more aborts the rollout.
   * @default 2
   */
  readonly failureLimit?: number;
  /**
   * What a measurement without data counts as — no requests reached the new pods in the query
   * window (an empty result, or NaN): `'inconclusive'` pauses the rollout until a person promotes
   * or aborts it (`kubectl argo rollouts promote|abort <name>`); `'fail'` counts it as a failed
   * measurement, so a release that gets no traffic is aborted. Never a success.
   * @see https://argo-rollouts.readthedocs.io/en/stable/features/analysis/#inconclusive-runs
   * @default 'inconclusive'
   */
  readonly noData?: 'fail' | 'inconclusive';
  /**
   * The Prometheus server Argo Rollouts queries, an `http://` or `https://` URL.
   * @default 'http://prometheus-operated.monitoring.svc:9090'
   */
  readonly prometheusAddress?: string;
}
