// Drill: the analysis of a gRPC ProgressiveRelease counts gRPC's failures. A gRPC server answers a
// failed call with HTTP 200 and a `grpc-status` trailer, which Istio reports as
// `response_code="200"` with `grpc_response_status` (https://istio.io/latest/docs/reference/config/metrics/);
// the objectives of a gRPC workload count the server-error statuses (sli-source.ts), but the
// release's analysis — `successRate` and a `ServiceLevelObjective`'s `slo-availability` — counted
// HTTP 5xx only.
// On main before this change (cfc53f0), recorded by running this file against it: a canary failing
// every call with UNAVAILABLE was Promoted with successRate 99 and with the objective (every
// measurement 1 resp. 0, a success); the healthy twins held.
import { account, NEW_IMAGE, runDrill, synthesise } from './analysis-drill';

const grpc = { appProtocol: 'grpc', port: 9000 };
const canary = (analysis: Record<string, unknown>) => ({ image: NEW_IMAGE, ...grpc, analysis });
const analysis = { interval: '1m', failureLimit: 2 };
const objective = { target: { name: 'api', namespace: 'shop', appProtocol: 'grpc' }, availability: 99, source: 'istio' } as any;

describe('drill: a gRPC canary failing its calls with UNAVAILABLE', () => {
  test('is aborted at 10 % by successRate', () => {
    const outcome = runDrill({ stable: grpc, canary: canary({ ...analysis, successRate: 99 }), canaryBehaviour: { grpcUnavailableRatio: 1 } });
    expect([outcome.outcome, outcome.weight, outcome.message]).toEqual(['Aborted', 10, 'metric success-rate Failed']);
    expect(outcome.measurements[0].value).toEqual([0]);
  });

  test('is aborted at 10 % by the objective\'s availability', () => {
    const outcome = runDrill({ stable: grpc, canary: canary(analysis), slo: objective, canaryBehaviour: { grpcUnavailableRatio: 0.05 } });
    expect([outcome.outcome, outcome.weight, outcome.message]).toEqual(['Aborted', 10, 'metric slo-availability Failed']);
  });

  test('healthy twin: a gRPC canary whose calls succeed (and a few fail below the objective) is promoted', () => {
    for (const [release, slo] of [[canary({ ...analysis, successRate: 99 }), undefined], [canary(analysis), objective]]) {
      const outcome = runDrill({ stable: grpc, canary: release, slo, canaryBehaviour: { grpcUnavailableRatio: 0.002 } });
      expect(account(outcome)).toMatch(/^Promoted /);
      expect(outcome.measurements.every(m => m.phase === 'Successful')).toBe(true);
    }
  });
});

// The objective from the app's own metrics reads grpc_server_handled_total{grpc_code} for a gRPC
// release (https://github.com/grpc-ecosystem/go-grpc-middleware/tree/main/providers/prometheus).
// On main before 338b124 (4f57b8a), recorded by running both against that code: both failed, the
// all-Unavailable canary and its healthy twin alike Paused-Inconclusive (the analysis read
// http_requests_total, which a gRPC app does not have: no data), so a person had to decide.
describe('drill: a gRPC canary judged by an objective from the app\'s own metrics', () => {
  const app = { ...objective, source: 'app' };
  const withMetrics = (analysisOptions: Record<string, unknown>) => ({ ...canary(analysisOptions), metrics: { port: 9090 } });
  const stable = { ...grpc, metrics: { port: 9090 } };

  test('failing every call with Unavailable is aborted at 10 %', () => {
    const outcome = runDrill({ stable, canary: withMetrics(analysis), slo: app, canaryBehaviour: { grpcUnavailableRatio: 1 } });
    expect([outcome.outcome, outcome.weight, outcome.message]).toEqual(['Aborted', 10, 'metric slo-availability Failed']);
    expect(outcome.measurements[0].value).toEqual([1]);
  });

  test('healthy twin: calls OK (a few Unavailable below the objective) are promoted with no person', () => {
    const outcome = runDrill({ stable, canary: withMetrics(analysis), slo: app, canaryBehaviour: { grpcUnavailableRatio: 0.002 } });
    expect(account(outcome)).toMatch(/^Promoted /);
    expect(outcome.measurements.every(m => m.phase === 'Successful')).toBe(true);
  });
});

test('an objective measuring HTTP on a gRPC release is an error naming both protocols', () => {
  expect(() => synthesise(canary(analysis), { availability: 99, source: 'istio' }))
    .toThrow(/^drill\/api: invalid analysis\.slo "drill\/api-slo": measures http requests, but the release speaks grpc.*appProtocol: "grpc"/);
});
