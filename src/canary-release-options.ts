import { Duration } from 'cdk8s';
import { ResourceRequirements } from './container-basics';

/**
 * One version of a {@link CanaryRelease}: its image, pod count and per-track overrides of the
 * shared options.
 */
export interface CanaryTrack {
  /**
   * The container image, pinned by a release tag (with a version number, not a channel such as `latest`, `stable` or `lts`) or a digest. Its tag (or digest
   * prefix) becomes the pods' `app.kubernetes.io/version` label.
   * @example 'ghcr.io/acme/api:2.1.0'
   */
  readonly image: string;
  /**
   * Number of pods. Ignored once an `Autoscaled` targets the track (the Deployment then omits
   * `spec.replicas`).
   * @default 2 for `stable`, 1 for `canary`
   */
  readonly replicas?: number;
  /**
   * Environment variables of this track, merged over the shared `env` (this track's value wins).
   * @default - the shared `env` only
   */
  readonly env?: Record<string, string>;
  /**
   * CPU and memory of this track, replacing the shared `resources` resource by resource
   * (giving `cpu` here keeps the shared `memory`).
   * @default - the shared `resources`
   */
  readonly resources?: ResourceRequirements;
}

/**
 * TLS of the release's Istio Gateway.
 */
export interface CanaryGatewayTls {
  /**
   * Name of the `kubernetes.io/tls` Secret holding the certificate. Istio reads it from the
   * namespace of the ingress gateway workload (usually `istio-system`), not the app's.
   * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/secure-ingress/
   */
  readonly credentialName: string;
}

/**
 * Expose the release outside the mesh through the Istio ingress gateway.
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/
 */
export interface CanaryGatewayOptions {
  /** External host names served (e.g. `api.example.com`; a leading `*.` wildcard is allowed). */
  readonly hosts: string[];
  /**
   * The certificate of the HTTPS listener (port 443); plain HTTP (port 80) is always redirected
   * to HTTPS.
   * @default { credentialName: '<name>-tls' }
   */
  readonly tls?: CanaryGatewayTls;
  /**
   * Labels of the gateway pods that serve the Gateway. Where the release's namespace denies
   * ingress by default, a NetworkPolicy `<name>-from-ingress-gateway` lets these pods (in
   * `podNamespace`) reach the release on its container port.
   * @default { istio: 'ingressgateway' }
   */
  readonly selector?: Record<string, string>;
  /**
   * Namespace the gateway pods run in.
   * @default 'istio-system'
   */
  readonly podNamespace?: string;
  /**
   * ServiceAccount the gateway pods run as: where the release's namespace is Istio
   * deny-by-default, an ALLOW AuthorizationPolicy `<name>-from-ingress-gateway` admits this
   * identity (`cluster.local/ns/<podNamespace>/sa/<serviceAccount>`).
   * @default 'istio-ingressgateway-service-account'
   */
  readonly serviceAccount?: string;
}

/**
 * Requests that always reach the canary, whatever `canaryWeight` is (for testers and
 * synthetic checks).
 */
export interface CanaryMatch {
  /**
   * Request headers and their exact values; a request must carry all of them. Names are
   * lowercase (as HTTP/2 and Istio require).
   * @example { 'x-canary': 'always' }
   */
  readonly headers: Record<string, string>;
}

/**
 * How failed requests are retried.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRetry
 */
export interface CanaryRetryOptions {
  /** Number of retries; 0 turns retries off. */
  readonly attempts: number;
  /**
   * Timeout of each attempt, e.g. `'2s'` or `Duration.seconds(2)`.
   * @default - the request `timeout`
   */
  readonly perTryTimeout?: string | Duration;
  /**
   * Comma-separated conditions to retry on: Envoy's `5xx`, `gateway-error`, `reset`,
   * `connect-failure`, `retriable-4xx`, `refused-stream`, `retriable-status-codes`,
   * `envoy-ratelimited`, gRPC's `cancelled`, `deadline-exceeded`, `internal`,
   * `resource-exhausted`, `unavailable`, or HTTP status codes such as `503`.
   * @see https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter#x-envoy-retry-on
   * @default - Istio's default conditions (connection failures, refused streams, `unavailable`, `cancelled`, 503)
   */
  readonly retryOn?: string;
}

/**
 * Limits and outlier ejection towards the release's pods, so that a failing version (say, a bad
 * canary) stops receiving requests before it takes callers down.
 * @see https://istio.io/latest/docs/tasks/traffic-management/circuit-breaking/
 */
export interface CircuitBreakerOptions {
  /**
   * Most TCP connections to each pod from each caller's proxy.
   * @default - unlimited (Envoy's default)
   */
  readonly maxConnections?: number;
  /**
   * Most requests waiting for a connection; more are rejected with 503.
   * @default - Envoy's default (1024)
   */
  readonly maxPendingRequests?: number;
  /**
   * Consecutive 5xx responses after which a pod is ejected from the pool.
   * @default 5
   */
  readonly consecutive5xxErrors?: number;
  /**
   * Time between ejection sweeps, e.g. `'10s'`.
   * @default '10s'
   */
  readonly interval?: string | Duration;
  /**
   * Minimum ejection time (multiplied by the number of times a pod was ejected), e.g. `'30s'`.
   * @default '30s'
   */
  readonly baseEjectionTime?: string | Duration;
  /**
   * Most pods ejected at once, in percent (0–100).
   * @default 10
   */
  readonly maxEjectionPercent?: number;
}

/** A delay injected into a share of requests. */
export interface FaultDelay {
  /** Percentage of requests delayed (0–100). */
  readonly percent: number;
  /** How long they are delayed, e.g. `'2s'`. */
  readonly fixedDelay: string | Duration;
}

/** An error status returned for a share of requests instead of forwarding them. */
export interface FaultAbort {
  /** Percentage of requests aborted (0–100). */
  readonly percent: number;
  /** The HTTP status returned (200–599). */
  readonly httpStatus: number;
}

/**
 * Faults injected into every route of the release, to test how callers cope. Istio turns off
 * `timeout` and `retries` on a route with faults, so they cannot be combined.
 * @see https://istio.io/latest/docs/tasks/traffic-management/fault-injection/
 */
export interface FaultInjectionOptions {
  /**
   * Delay a share of requests.
   * @default - no delay
   */
  readonly delay?: FaultDelay;
  /**
   * Fail a share of requests.
   * @default - no abort
   */
  readonly abort?: FaultAbort;
}

/**
 * Shadow live traffic to the canary: a copy of a share of the requests is sent to it and its
 * responses are discarded.
 * @see https://istio.io/latest/docs/tasks/traffic-management/mirroring/
 */
export interface MirrorOptions {
  /** Percentage of the stable track's requests copied to the canary (0–100). */
  readonly percent: number;
}
