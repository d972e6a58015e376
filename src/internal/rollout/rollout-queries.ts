import { errorRatio, latencyQuantile } from '../observability/promql';
import { SliSource } from '../observability/sli-source';

/**
 * The PromQL of a ProgressiveRelease's analysis, built by the same builders as the objectives'
 * rules and narrowed to the new pods. With Istio's metrics (as the destination's sidecar reports
 * them, `reporter="destination"`, so no request counts twice) the new pods are told apart by
 * `destination_canonical_revision`: Istio takes it from the pods' `service.istio.io/canonical-revision`
 * label, which the Rollout's template carries as the revision of that template (it changes with
 * every change of the template, a config-only one included), and the Rollout passes the same value
 * as the `canary-revision` argument. With the app's own metrics they are the series labelled
 * `track="canary"` (the ephemeral pod label the monitor copies). The namespace comes from the
 * Rollout's own metadata (argument `namespace`), so a chart without a namespace still measures its own.
 * @see https://istio.io/latest/docs/reference/config/metrics/
 * @see https://istio.io/latest/docs/reference/config/labels/
 */

/** The argument holding the new pods' revision (the revision label of the Rollout's template). */
export const ARG_REVISION = 'canary-revision';
/** The argument holding the Rollout's namespace. */
export const ARG_NAMESPACE = 'namespace';

const arg = (name: string) => `{{args.${name}}}`;

/** A source of request metrics narrowed to the new pods of a ProgressiveRelease, in the Rollout's namespace. */
export function canarySource(source: SliSource): SliSource {
  const canary = source.name === 'istio'
    ? { destination_canonical_revision: arg(ARG_REVISION) }
    : { [source.trackLabel]: 'canary' };
  return { ...source, selector: target => ({ ...source.selector({ ...target, namespace: arg(ARG_NAMESPACE) }), ...canary }) };
}

/** What the queries select. */
export interface CanaryQueryTarget {
  /** The Service name of the release. */
  readonly service: string;
  /** The release's namespace (replaced by the Rollout's `namespace` argument in the query). */
  readonly namespace: string;
  /** The rate window, e.g. `2m`. */
  readonly window: string;
}

/**
 * The share (0–1) of the new pods' requests `source` counts as served (not a 5xx; for gRPC, not a
 * server-error status): one minus the share of failures, so that a canary failing every request
 * reads 0 (the errors are counted, not the successes, which would be no series at all). No
 * requests in the window: no result, or NaN.
 */
export function successRateQuery(source: SliSource, target: CanaryQueryTarget): string {
  return `1 - (${errorRatio(canarySource(source), { name: target.service, namespace: target.namespace }, target.window)})`;
}

/** The `quantile` (0–1) of the new pods' request durations, in seconds. No requests: no result, or NaN. */
export function latencyQuery(source: SliSource, target: CanaryQueryTarget, quantile: number): string {
  return latencyQuantile(canarySource(source), { name: target.service, namespace: target.namespace }, quantile, target.window);
}
