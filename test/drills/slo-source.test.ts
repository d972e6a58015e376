// Drill: an objective reads the metrics its target's protocol produces, or refuses what it cannot
// measure.
//
// Istio's standard metrics (https://istio.io/latest/docs/reference/config/metrics/): HTTP, HTTP/2
// and gRPC requests are counted in `istio_requests_total`; a gRPC call that fails is HTTP 200 with
// the numeric gRPC status in `grpc_response_status`; TCP traffic gets only `istio_tcp_*`
// (connections and bytes). A gRPC app's own interceptors count calls in
// `grpc_server_handled_total{grpc_code}` (grpc-ecosystem/go-grpc-middleware providers/prometheus).
// Server errors are the gRPC codes that map to HTTP 5xx (google/rpc/code.proto): UNKNOWN 2,
// DEADLINE_EXCEEDED 4, UNIMPLEMENTED 12, INTERNAL 13, UNAVAILABLE 14, DATA_LOSS 15.
//
// On main before this change every objective counted `response_code=~"5.."` (or `status`) on
// `istio_requests_total` (or `http_requests_total`): a gRPC service failing every call with
// UNAVAILABLE kept its whole budget and never paged, and a `tcp` target was accepted with
// queries that stay empty forever (Istio writes no istio_requests_total for TCP).
import { Chart } from 'cdk8s';
import { evaluate, InputSeries } from './promtool';
import { sloGroups } from './slo-scenario';
import { ServiceLevelObjectiveProps, WebApp } from '../../src';

const grpcApp = (metrics = false) => (chart: Chart) => new WebApp(chart, 'api', {
  image: 'ghcr.io/acme/api:1.0.0', port: 9000, appProtocol: 'grpc', metrics: metrics ? { port: 9090 } : undefined,
});

const ISTIO = 'reporter="destination",destination_service_namespace="shop",destination_service_name="api",destination_workload="api"';
const APP = 'namespace="shop",job="api",grpc_type="unary",grpc_service="shop.Api",grpc_method="Get"';

interface Outcome { readonly budgetLeft: number; readonly alerts: string[] }

function after(props: Omit<ServiceLevelObjectiveProps, 'target'>, target: (chart: Chart) => ServiceLevelObjectiveProps['target'], series: InputSeries[]): Outcome {
  const [budget, alerts] = evaluate({ series, groups: sloGroups(props, target) }, [
    { expr: 'slo:error_budget_remaining:ratio', at: '2h' },
    { expr: 'ALERTS{alertstate="firing"}', at: '2h' },
  ]);
  return { budgetLeft: budget[0]?.value ?? NaN, alerts: alerts.map(a => `${a.labels.severity} ${a.labels.long_window}`) };
}

/** A counter over two hours of 1-minute steps: `first` per minute for an hour, then `then` per minute. */
function hourThen(then: number, first = 600): string {
  return `0+${first}x60 ${60 * first + then}+${then}x59`;
}

/** `istio_requests_total` of a gRPC service: 10 calls/s, HTTP 200, a share of them with a gRPC status after an hour. */
function istioGrpc(status: string, share: number): InputSeries[] {
  return [
    { series: `istio_requests_total{${ISTIO},response_code="200",grpc_response_status="0"}`, values: hourThen(600 * (1 - share)) },
    { series: `istio_requests_total{${ISTIO},response_code="200",grpc_response_status="${status}"}`, values: hourThen(600 * share, 0) },
  ];
}

/** `grpc_server_handled_total` of a gRPC app: 10 calls/s, a share of them with a gRPC code after an hour. */
function appGrpc(code: string, share: number): InputSeries[] {
  return [
    { series: `grpc_server_handled_total{${APP},grpc_code="OK"}`, values: hourThen(600 * (1 - share)) },
    { series: `grpc_server_handled_total{${APP},grpc_code="${code}"}`, values: hourThen(600 * share, 0) },
  ];
}

describe('drill: objectives of a gRPC service (source istio)', () => {
  const props = { availability: 99.9 };

  test('every call failing with UNAVAILABLE (14) spends the budget and pages (main: budget 1, no alert)', () => {
    const outcome = after(props, grpcApp(), istioGrpc('14', 1));
    expect(outcome.alerts).toContain('page 1h');
    expect(outcome.budgetLeft).toBeLessThan(0);
  });

  test('healthy twin: NOT_FOUND (5) answers are served requests, as HTTP 404s are', () => {
    const outcome = after(props, grpcApp(), istioGrpc('5', 0.5));
    expect(outcome).toEqual({ budgetLeft: 1, alerts: [] });
  });

  test('a proxy\'s own 503 to a gRPC caller counts too', () => {
    const series = [
      { series: `istio_requests_total{${ISTIO},response_code="200",grpc_response_status="0"}`, values: hourThen(300) },
      { series: `istio_requests_total{${ISTIO},response_code="503",grpc_response_status="14"}`, values: hourThen(300, 0) },
    ];
    expect(after(props, grpcApp(), series).alerts).toContain('page 1h');
  });
});

describe('drill: objectives of a gRPC service (source app)', () => {
  const props = { availability: 99.9, source: 'app' as const };

  test('calls failing with Internal page (main: read http_requests_total, which a gRPC server has not)', () => {
    const outcome = after(props, grpcApp(true), appGrpc('Internal', 1));
    expect(outcome.alerts).toContain('page 1h');
    expect(outcome.budgetLeft).toBeLessThan(0);
  });

  test('healthy twin: InvalidArgument answers are served calls', () => {
    expect(after(props, grpcApp(true), appGrpc('InvalidArgument', 0.5))).toEqual({ budgetLeft: 1, alerts: [] });
  });
});

describe('drill: a tcp target has no requests to measure', () => {
  const tcpApp = (chart: Chart) => new WebApp(chart, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 6379, appProtocol: 'tcp', metrics: { port: 9090 } });

  test('source istio is refused, naming what Istio records for TCP (main: accepted, queries forever empty)', () => {
    expect(() => sloGroups({ availability: 99.9 }, tcpApp))
      .toThrow(/drill\/api-slo: invalid source "istio": cannot measure drill\/api \("api"\), which speaks tcp: Istio counts requests \(istio_requests_total\) for HTTP, HTTP\/2 and gRPC only, and records plain TCP as connections and bytes \(istio_tcp_\*\)/);
  });

  test('source app is refused; so is a { name, namespace } reference declared tcp', () => {
    expect(() => sloGroups({ availability: 99.9, source: 'app' }, tcpApp)).toThrow(/invalid source "app": cannot measure drill\/api \("api"\), which speaks tcp/);
    expect(() => sloGroups({ availability: 99.9 }, () => ({ name: 'redis', namespace: 'shop', appProtocol: 'tcp' })))
      .toThrow(/invalid source "istio": cannot measure target "redis", which speaks tcp/);
  });
});
