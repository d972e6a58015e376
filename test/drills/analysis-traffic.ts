// Synthetic request metrics of a release during a rollout, as the mesh and the app would report
// them, for the analysis drills: Istio's standard metrics from the destination's sidecar (and the
// client's, `reporter="source"`, which the analysis must not count twice) and the app's own
// `http_requests_total` / `http_request_duration_seconds` scraped with the pods' `track` label.
// A series appears with its first request, as Istio's and Prometheus clients' counters do, so a
// version that never answers 200 has no `response_code="200"` series at all. Each pod set's series
// carry the scrape's `pod` and `instance` labels, so two pod sets never share a series.
// Istio labels its metrics with the pod's revision: `destination_canonical_revision` is the pod's
// `service.istio.io/canonical-revision` label, else `app.kubernetes.io/version`, else `version`,
// else "latest".
// @see https://istio.io/latest/docs/reference/config/metrics/
// @see https://istio.io/latest/docs/reference/config/labels/
// @see https://istio.io/latest/docs/ops/deployment/application-requirements/#pod-labels
import { InputSeries } from './promtool';

/** How one set of pods answers. */
export interface PodBehaviour {
  /** Share of requests answered 503. @default 0 */
  readonly errorRatio?: number;
  /** Every request takes this long, in milliseconds. @default 20 */
  readonly latencyMs?: number;
  /**
   * The pods speak gRPC: this share of the calls fails with status UNAVAILABLE (14), which Istio
   * reports as `response_code="200"` with `grpc_response_status="14"` (the others carry "0"), and
   * the app as `grpc_server_handled_total{grpc_code="Unavailable"}` instead of `http_requests_total`.
   * @default - HTTP (no `grpc_response_status`)
   */
  readonly grpcUnavailableRatio?: number;
}

/** The stable or the canary pods. */
export interface PodGroup {
  /** The pods' labels (their pod template's), from which Istio derives the revision. */
  readonly labels: Readonly<Record<string, string>>;
  readonly behaviour: PodBehaviour;
  /** The `track` label the app's metrics carry (the Rollout's ephemeral metadata). */
  readonly track: 'stable' | 'canary';
}

/** The requests a release receives during a rollout. */
export interface Traffic {
  readonly namespace: string;
  readonly service: string;
  readonly stable: PodGroup;
  readonly canary: PodGroup;
  /** The canary's share of requests in percent at `t` seconds (the rollout's weights). */
  readonly canaryWeight: (t: number) => number;
  /** Requests per second to the Service. @default 20 */
  readonly rps?: number;
  /** Requests per second the canary actually gets at `t`, overriding rps × weight (e.g. 0: no client reaches it). */
  readonly canaryRps?: (t: number) => number;
  /** Seconds between two scrapes (kube-prometheus-stack's default is 30 s). */
  readonly scrape: number;
  /** Length of the series in seconds. */
  readonly end: number;
}

/** Istio's default buckets of `istio_request_duration_milliseconds`. */
const ISTIO_BUCKETS_MS = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];
/** The app's histogram buckets (seconds), as a Prometheus client library's defaults. */
const APP_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The revision Istio reports for pods with these labels. */
export function istioRevision(labels: Readonly<Record<string, string>>): string {
  return labels['service.istio.io/canonical-revision'] ?? labels['app.kubernetes.io/version'] ?? labels.version ?? 'latest';
}

function formatCount(n: number): string {
  return String(Number(n.toFixed(6)));
}

/** One counter: requests of its label set and its value, per scrape interval. */
interface Counter {
  readonly seen: number[];
  readonly increments: number[];
}

/** Counter samples: missing until the first request of its label set, then the running sum. */
function samples(counter: Counter): string {
  let total = 0;
  let seen = 0;
  return counter.increments.map((increment, i) => {
    total += increment;
    seen += counter.seen[i];
    return seen > 0 ? formatCount(total) : '_';
  }).join(' ');
}

function labelText(labels: Record<string, string>): string {
  return `{${Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;
}

/** The series of a rollout's requests, Istio's and the app's. */
export function rolloutSeries(traffic: Traffic): InputSeries[] {
  const rps = traffic.rps ?? 20;
  const times: number[] = [];
  for (let t = 0; t <= traffic.end; t += traffic.scrape) times.push(t);
  // series of the same labels (the client's reports of both pod sets under one revision) add up
  const counters = new Map<string, Counter>();
  for (const group of [traffic.stable, traffic.canary]) {
    const isCanary = group === traffic.canary;
    const groupRps = (t: number) => (isCanary
      ? (traffic.canaryRps ? traffic.canaryRps(t) : rps * traffic.canaryWeight(t) / 100)
      : rps * (100 - traffic.canaryWeight(t)) / 100);
    // requests in (from, to], sampled at the start of the interval (weights change on scrape boundaries)
    const requests = (from: number, to: number) => groupRps(from) * (to - from);
    const errorRatio = group.behaviour.errorRatio ?? 0;
    const latencyMs = group.behaviour.latencyMs ?? 20;
    // a counter of `share` of the requests; a histogram bucket (`bucket`) exists with the histogram even at 0
    const add = (name: string, labels: Record<string, string>, share: number, bucket = false) => {
      if (share === 0 && !bucket) return;
      const key = `${name}${labelText(labels)}`;
      const counter = counters.get(key) ?? { seen: times.map(() => 0), increments: times.map(() => 0) };
      times.forEach((t, i) => {
        const n = i === 0 ? 0 : requests(t - traffic.scrape, t);
        counter.seen[i] += bucket ? n : n * share;
        counter.increments[i] += n * share;
      });
      counters.set(key, counter);
    };
    // the destination's series are scraped from its pods; the client's from the client's pod
    const scraped = (reporter: string) => (reporter === 'destination'
      ? { pod: `${traffic.service}-${group.track}-0`, instance: `10.0.0.${isCanary ? 2 : 1}:15020` }
      : { pod: 'frontend-0', instance: '10.0.0.9:15020' });
    const istio = (reporter: string) => ({
      ...scraped(reporter),
      reporter,
      destination_service: `${traffic.service}.${traffic.namespace}.svc.cluster.local`,
      destination_service_name: traffic.service,
      destination_service_namespace: traffic.namespace,
      destination_workload: traffic.service,
      destination_workload_namespace: traffic.namespace,
      destination_canonical_service: traffic.service,
      destination_canonical_revision: istioRevision(group.labels),
      source_workload: 'frontend',
      request_protocol: 'http',
    });
    const grpcUnavailable = group.behaviour.grpcUnavailableRatio;
    for (const reporter of ['destination', 'source']) {
      if (grpcUnavailable === undefined) {
        add('istio_requests_total', { ...istio(reporter), response_code: '200' }, 1 - errorRatio);
      } else {
        add('istio_requests_total', { ...istio(reporter), request_protocol: 'grpc', response_code: '200', grpc_response_status: '0' }, 1 - errorRatio - grpcUnavailable);
        add('istio_requests_total', { ...istio(reporter), request_protocol: 'grpc', response_code: '200', grpc_response_status: '14' }, grpcUnavailable);
      }
      add('istio_requests_total', { ...istio(reporter), response_code: '503' }, errorRatio);
    }
    for (const le of [...ISTIO_BUCKETS_MS.map(String), '+Inf']) {
      add('istio_request_duration_milliseconds_bucket', { ...istio('destination'), response_code: '200', le }, le === '+Inf' || latencyMs <= Number(le) ? 1 : 0, true);
    }
    add('istio_request_duration_milliseconds_count', { ...istio('destination'), response_code: '200' }, 1);
    const app = { ...scraped('destination'), namespace: traffic.namespace, job: traffic.service, service: traffic.service, track: group.track };
    if (grpcUnavailable === undefined) {
      add('http_requests_total', { ...app, status: '200' }, 1 - errorRatio);
      add('http_requests_total', { ...app, status: '503' }, errorRatio);
    } else {
      // a gRPC app counts its calls by status name, as the gRPC ecosystem's Prometheus interceptors do
      const call = { ...app, grpc_type: 'unary', grpc_service: 'acme.Api', grpc_method: 'Get' };
      add('grpc_server_handled_total', { ...call, grpc_code: 'OK' }, 1 - errorRatio - grpcUnavailable);
      add('grpc_server_handled_total', { ...call, grpc_code: 'Unavailable' }, grpcUnavailable + errorRatio);
    }
    for (const le of [...APP_BUCKETS_S.map(String), '+Inf']) {
      add('http_request_duration_seconds_bucket', { ...app, le }, le === '+Inf' || latencyMs / 1000 <= Number(le) ? 1 : 0, true);
    }
    add('http_request_duration_seconds_count', app, 1);
  }
  return [...counters].map(([series, counter]) => ({ series, values: samples(counter) }));
}
