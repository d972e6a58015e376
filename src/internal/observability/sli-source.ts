/** Where an objective's measurements come from. */
export type SliSourceName = 'istio' | 'app';

/**
 * The metrics one source provides and the labels on them: the query builders use only these.
 * @see https://istio.io/latest/docs/reference/config/metrics/
 */
export interface SliSource {
  readonly name: SliSourceName;
  /** The request counter. */
  readonly requests: string;
  /** The request-duration histogram (without `_bucket` / `_count`). */
  readonly duration: string;
  /** The unit of the histogram's `le` buckets, in seconds (0.001 for milliseconds). */
  readonly durationUnitSeconds: number;
  /** The label holding the HTTP status code. */
  readonly codeLabel: string;
  /** The label telling a canary release's tracks apart. */
  readonly trackLabel: string;
  /** Every label the source's series carry (the builders must not use any other). */
  readonly labels: readonly string[];
  /** The matchers selecting one workload's requests. */
  selector(target: SliTarget): Record<string, string>;
  /** The value of `trackLabel` for one track of a release. */
  trackValue(target: SliTarget, track: string): string;
}

/** The workload an objective measures. */
export interface SliTarget {
  /** The workload's name: its Service's, and the `job` of its scraped series. */
  readonly name: string;
  readonly namespace: string;
}

/**
 * Istio's standard metrics, as the destination's sidecar reports them (`reporter="destination"`,
 * so no request counts twice): a workload is its Service (`destination_service_name`), a canary
 * track its Deployment (`destination_workload`: `<name>-stable`, `<name>-canary`).
 */
export const ISTIO_SOURCE: SliSource = {
  name: 'istio',
  requests: 'istio_requests_total',
  duration: 'istio_request_duration_milliseconds',
  durationUnitSeconds: 0.001,
  codeLabel: 'response_code',
  trackLabel: 'destination_workload',
  labels: [
    'reporter', 'source_workload', 'source_workload_namespace', 'source_principal', 'source_app', 'source_version', 'source_canonical_service',
    'source_canonical_revision', 'destination_workload', 'destination_workload_namespace', 'destination_principal', 'destination_app',
    'destination_version', 'destination_service', 'destination_service_name', 'destination_service_namespace', 'destination_canonical_service',
    'destination_canonical_revision', 'request_protocol', 'response_code', 'grpc_response_status', 'response_flags', 'connection_security_policy', 'le',
  ],
  selector: target => ({ reporter: 'destination', destination_service_namespace: target.namespace, destination_service_name: target.name }),
  trackValue: (target, track) => `${target.name}-${track}`,
};

/**
 * The app's own metrics, as the Prometheus client libraries name them, scraped by the workload's
 * ServiceMonitor or PodMonitor: `namespace` and `job` (the workload's name) come from the
 * scrape, `track` from the canary track's pod label.
 */
export const APP_SOURCE: SliSource = {
  name: 'app',
  requests: 'http_requests_total',
  duration: 'http_request_duration_seconds',
  durationUnitSeconds: 1,
  codeLabel: 'status',
  trackLabel: 'track',
  labels: ['namespace', 'job', 'pod', 'instance', 'service', 'endpoint', 'container', 'track', 'status', 'method', 'le'],
  selector: target => ({ namespace: target.namespace, job: target.name }),
  trackValue: (_target, track) => track,
};

/** The source of a name. */
export function sliSource(name: SliSourceName): SliSource {
  return name === 'istio' ? ISTIO_SOURCE : APP_SOURCE;
}
