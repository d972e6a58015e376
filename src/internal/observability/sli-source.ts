import { AppProtocol } from '../../container-basics';

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
  /**
   * The matchers of failed requests: a request failed when its series matches any of them (the
   * server's failures: HTTP 5xx, and for gRPC the status codes that map to 5xx).
   */
  readonly errorMatchers: ReadonlyArray<Record<string, string>>;
  /** What the failed requests are, for titles: `5xx`, `gRPC server errors`. */
  readonly failures: string;
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
  errorMatchers: [{ response_code: '=~5..' }],
  failures: '5xx',
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
  errorMatchers: [{ status: '=~5..' }],
  failures: '5xx',
  trackLabel: 'track',
  labels: ['namespace', 'job', 'pod', 'instance', 'service', 'endpoint', 'container', 'track', 'status', 'method', 'le'],
  selector: target => ({ namespace: target.namespace, job: target.name }),
  trackValue: (_target, track) => track,
};

/**
 * The gRPC status codes that are the server's failures: those Google's API design maps to HTTP
 * 5xx (UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS). Client errors
 * (NOT_FOUND, INVALID_ARGUMENT, PERMISSION_DENIED, …) count as served, as 4xx do for HTTP.
 * @see https://github.com/googleapis/googleapis/blob/master/google/rpc/code.proto
 */
export const GRPC_SERVER_ERROR_CODES: ReadonlyArray<{ readonly code: number; readonly name: string }> = [
  { code: 2, name: 'Unknown' }, { code: 4, name: 'DeadlineExceeded' }, { code: 12, name: 'Unimplemented' },
  { code: 13, name: 'Internal' }, { code: 14, name: 'Unavailable' }, { code: 15, name: 'DataLoss' },
];

/**
 * Istio's metrics of a gRPC workload: a failed call is an HTTP 200 whose `grpc_response_status`
 * (the numeric gRPC status) is a server error, or an HTTP 5xx (a proxy's own answer).
 */
export const ISTIO_GRPC_SOURCE: SliSource = {
  ...ISTIO_SOURCE,
  errorMatchers: [{ response_code: '=~5..' }, { grpc_response_status: `=~${GRPC_SERVER_ERROR_CODES.map(c => c.code).join('|')}` }],
  failures: 'gRPC server errors',
};

/**
 * A gRPC app's own metrics, as the gRPC ecosystem's Prometheus interceptors name them
 * (`grpc_server_handled_total{grpc_code}` and, once the handling-time histogram is enabled,
 * `grpc_server_handling_seconds`).
 * @see https://github.com/grpc-ecosystem/go-grpc-middleware/tree/main/providers/prometheus
 */
export const APP_GRPC_SOURCE: SliSource = {
  ...APP_SOURCE,
  requests: 'grpc_server_handled_total',
  duration: 'grpc_server_handling_seconds',
  errorMatchers: [{ grpc_code: `=~${GRPC_SERVER_ERROR_CODES.map(c => c.name).join('|')}` }],
  failures: 'gRPC server errors',
  labels: ['namespace', 'job', 'pod', 'instance', 'service', 'endpoint', 'container', 'track', 'grpc_type', 'grpc_service', 'grpc_method', 'grpc_code', 'le'],
};

/**
 * The source of a name, for a workload speaking `protocol`: gRPC's own metrics for `grpc`, HTTP's
 * for the others (a `tcp` workload has no requests; the objective refuses it before).
 */
export function sliSource(name: SliSourceName, protocol: AppProtocol = 'http'): SliSource {
  if (protocol === 'grpc') return name === 'istio' ? ISTIO_GRPC_SOURCE : APP_GRPC_SOURCE;
  return name === 'istio' ? ISTIO_SOURCE : APP_SOURCE;
}
