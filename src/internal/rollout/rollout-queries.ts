/**
 * The PromQL of a ProgressiveRelease's analysis, over Istio's standard metrics as the
 * destination's sidecar reports them (`reporter="destination"`, so no request counts twice).
 * The new pods are told apart by `destination_canonical_revision`: Istio takes it from the pods'
 * `app.kubernetes.io/version` label when they start, and the Rollout passes the new template's
 * version as the `canary-revision` argument. The namespace comes from the Rollout's own
 * metadata (argument `namespace`), so a chart without a namespace still measures its own.
 * @see https://istio.io/latest/docs/reference/config/metrics/
 */

/** The argument holding the new pods' revision (the version label of the Rollout's template). */
export const ARG_REVISION = 'canary-revision';
/** The argument holding the Rollout's namespace. */
export const ARG_NAMESPACE = 'namespace';

/** What the queries select. */
export interface CanaryQueryTarget {
  /** The Service name of the release. */
  readonly service: string;
  /** The rate window, e.g. `2m`. */
  readonly window: string;
}

const arg = (name: string) => `{{args.${name}}}`;

/** The matchers of the new pods' requests, plus `extra` (already-rendered matchers). */
function canaryMatchers(target: CanaryQueryTarget, extra = ''): string {
  const matchers = [
    'reporter="destination"',
    `destination_service_namespace="${arg(ARG_NAMESPACE)}"`,
    `destination_service_name="${target.service}"`,
    `destination_canonical_revision="${arg(ARG_REVISION)}"`,
  ];
  return `{${[...matchers, ...(extra ? [extra] : [])].join(',')}}`;
}

/** The share (0–1) of the new pods' requests answered without a 5xx status. */
export function successRateQuery(target: CanaryQueryTarget): string {
  const ok = `sum(rate(istio_requests_total${canaryMatchers(target, 'response_code!~"5.."')}[${target.window}]))`;
  const all = `sum(rate(istio_requests_total${canaryMatchers(target)}[${target.window}]))`;
  return `${ok} / ${all}`;
}

/** The `quantile` (0–1) of the new pods' request durations, in milliseconds. */
export function latencyQuery(target: CanaryQueryTarget, quantile: number): string {
  return `histogram_quantile(${quantile}, sum by (le) (rate(istio_request_duration_milliseconds_bucket${canaryMatchers(target)}[${target.window}])))`;
}
