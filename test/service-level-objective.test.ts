import { Chart } from 'cdk8s';
import { CanaryRelease, NetworkPolicyBundle, ServiceLevelObjective, ServiceLevelObjectiveProps, WebApp } from '../src';
import { analysePromql, chartIn, findObject, Manifest, synthValid } from './harness';

// Labels each source's series carry, from Istio's standard metrics reference
// (https://istio.io/latest/docs/reference/config/metrics/) and, for the app's own metrics, the
// labels the scrape adds (namespace, job, pod, instance, service, endpoint, container), the
// `track` relabelling and the client libraries' `status`/`method`/`le`; plus the labels the
// objective's own recording rules add.
const ISTIO_LABELS = new Set([
  'reporter', 'source_workload', 'source_workload_namespace', 'source_principal', 'source_app', 'source_version', 'source_canonical_service',
  'source_canonical_revision', 'source_cluster', 'destination_workload', 'destination_workload_namespace', 'destination_principal', 'destination_app',
  'destination_version', 'destination_service', 'destination_service_name', 'destination_service_namespace', 'destination_canonical_service',
  'destination_canonical_revision', 'destination_cluster', 'request_protocol', 'response_code', 'grpc_response_status', 'response_flags',
  'connection_security_policy', 'le',
]);
const APP_LABELS = new Set(['namespace', 'job', 'pod', 'instance', 'service', 'endpoint', 'container', 'track', 'status', 'method', 'le']);
const RULE_LABELS = ['slo', 'slo_namespace', 'sli'];
const ISTIO_METRICS = ['istio_requests_total', 'istio_request_duration_milliseconds_bucket', 'istio_request_duration_milliseconds_count'];
const APP_METRICS = ['http_requests_total', 'http_request_duration_seconds_bucket', 'http_request_duration_seconds_count'];

/** The SRE workbook's multi-window, multi-burn-rate pairs. */
const WORKBOOK = [
  { severity: 'page', long: '1h', short: '5m', factor: 14.4 },
  { severity: 'page', long: '6h', short: '30m', factor: 6 },
  { severity: 'ticket', long: '24h', short: '2h', factor: 3 },
  { severity: 'ticket', long: '3d', short: '6h', factor: 1 },
];

function release(chart: Chart, metrics = false): CanaryRelease {
  return new CanaryRelease(chart, 'api', {
    stable: { image: 'ghcr.io/acme/api:2.0.0' },
    canary: { image: 'ghcr.io/acme/api:2.1.0' },
    canaryWeight: 10,
    metrics: metrics ? { port: 9090 } : undefined,
  });
}

function synthSlo(props: Partial<ServiceLevelObjectiveProps> = {}, metrics = false): Manifest[] {
  const chart = chartIn();
  const api = release(chart, metrics);
  new ServiceLevelObjective(chart, 'api-slo', { target: api, ...props });
  return synthValid(chart);
}

interface Rule { record?: string; alert?: string; expr: string; labels?: Record<string, string>; annotations?: Record<string, string> }

function rules(objects: Manifest[], name = 'api-slo'): Rule[] {
  return findObject(objects, 'PrometheusRule', name).spec.groups.flatMap((g: any) => g.rules);
}

function dashboard(objects: Manifest[], name = 'api-slo'): any {
  const map = findObject(objects, 'ConfigMap', `${name}-dashboard`);
  return JSON.parse(map.data[`${name}.json`]);
}

function panelExprs(objects: Manifest[]): string[] {
  return dashboard(objects).panels.flatMap((p: any) => p.targets.map((t: any) => t.expr));
}

/** The `factor * budget` thresholds an alert compares both windows' ratios with. */
function thresholds(expr: string): number[] {
  return [...expr.matchAll(/> \(([0-9.]+) \* ([0-9.]+)\)/g)].map(m => Number(m[1]) * Number(m[2]));
}

describe('ServiceLevelObjective: availability on Istio metrics', () => {
  // GIVEN a 99.9 % availability objective for a canary release
  const objects = synthSlo({ availability: 99.9 });
  const all = rules(objects);
  const alerts = all.filter(r => r.alert);

  test('writes one PrometheusRule and one dashboard ConfigMap, valid against the prometheus-operator schema', () => {
    const made = objects.filter(o => o.kind === 'PrometheusRule' || o.metadata.name === 'api-slo-dashboard').map(o => `${o.kind}/${o.metadata.name}`);
    expect(made).toEqual(['PrometheusRule/api-slo', 'ConfigMap/api-slo-dashboard']);
    expect(findObject(objects, 'PrometheusRule', 'api-slo').apiVersion).toBe('monitoring.coreos.com/v1');
    expect(findObject(objects, 'PrometheusRule', 'api-slo').spec.groups.map((g: any) => g.name)).toEqual(['api-slo-availability-recording', 'api-slo-availability-alerts']);
  });

  test('alerts with the four workbook pairs, each with its severity, a summary and the objective in its labels', () => {
    expect(alerts.map(a => [a.labels!.severity, a.labels!.long_window, a.labels!.short_window, a.labels!.burn_rate]))
      .toEqual(WORKBOOK.map(w => [w.severity, w.long, w.short, String(w.factor)]));
    for (const alert of alerts) {
      expect(alert.alert).toBe('AvailabilityErrorBudgetBurn');
      expect(alert.labels).toMatchObject({ slo: 'api-slo', slo_namespace: 'shop', sli: 'availability', objective: '99.9', window: '30d' });
      expect(alert.annotations!.summary).toMatch(/^shop\/api-slo: availability error budget burning [0-9.]+x too fast$/);
    }
    expect(alerts[0].annotations!.description).toMatch(/at this rate the whole budget is spent in 2d2h\.$/);
  });

  test('burn-rate thresholds are factor × (1 − objective): 99.9 % → 14.4 × 0.001 on both windows', () => {
    alerts.forEach((alert, i) => {
      const got = thresholds(alert.expr);
      expect(got).toHaveLength(2);
      for (const t of got) expect(t).toBeCloseTo(WORKBOOK[i].factor * 0.001, 12);
      expect(alert.expr).toContain(`slo:sli_errors:rate${WORKBOOK[i].long}{`);
      expect(alert.expr).toContain(`slo:sli_errors:rate${WORKBOOK[i].short}{`);
    });
    expect(alerts[0].expr).toContain('> (14.4 * 0.001)');
  });

  test('records requests and errors per track for every alert window, and the budget left over the window', () => {
    const windows = ['5m', '30m', '1h', '2h', '6h', '24h', '3d', '30d'];
    expect(all.filter(r => r.record?.startsWith('slo:sli_requests:')).map(r => r.record)).toEqual(windows.map(w => `slo:sli_requests:rate${w}`));
    expect(all.filter(r => r.record?.startsWith('slo:sli_errors:')).map(r => r.record)).toEqual(windows.map(w => `slo:sli_errors:rate${w}`));
    for (const r of all.filter(x => x.record?.startsWith('slo:sli_'))) expect(r.expr).toMatch(/^\(?sum by \(destination_workload\)/);
    const budget = all.find(r => r.record === 'slo:error_budget_remaining:ratio')!;
    expect(budget.expr).toMatch(/ \/ 0\.001$/);
    expect(budget.labels).toEqual({ slo: 'api-slo', slo_namespace: 'shop', sli: 'availability' });
  });

  test('counts only the destination-reported requests to the release\'s Service, 5xx as errors', () => {
    const errors = all.find(r => r.record === 'slo:sli_errors:rate5m')!.expr;
    expect(errors).toContain('istio_requests_total{reporter="destination",destination_service_namespace="shop",destination_service_name="api",response_code=~"5.."}[5m]');
  });

  test('every expression parses with Prometheus\'s grammar and reads only Istio\'s metrics and labels', () => {
    const exprs = [...all.map(r => r.expr), ...panelExprs(objects)];
    for (const expr of exprs) {
      const analysis = analysePromql(expr);
      expect({ expr, errors: analysis.errors }).toEqual({ expr, errors: [] });
      for (const label of analysis.labels) expect([expr, label, ISTIO_LABELS.has(label) || RULE_LABELS.includes(label)]).toEqual([expr, label, true]);
      for (const metric of analysis.metrics) expect([metric, ISTIO_METRICS.includes(metric) || metric.startsWith('slo:')]).toEqual([metric, true]);
    }
  });

  test('the dashboard is labelled for Grafana\'s sidecar and charts rate, errors, latency and budget per track', () => {
    expect(findObject(objects, 'ConfigMap', 'api-slo-dashboard').metadata.labels.grafana_dashboard).toBe('1');
    const board = dashboard(objects);
    expect(board.panels.map((p: any) => p.title)).toEqual(['Request rate', 'Error ratio (5xx)', 'Latency', 'Error budget left: availability 99.9% over 30d']);
    expect(board.uid).toMatch(/^slo-[0-9a-f]{16}$/);
    for (const panel of board.panels.slice(0, 3)) {
      for (const target of panel.targets) {
        expect(target.expr).toContain('destination_workload');
        expect(target.legendFormat).toContain('{{destination_workload}}');
      }
    }
    expect(board.panels[2].targets.map((t: any) => t.expr.slice(0, 24))).toEqual(['histogram_quantile(0.5, ', 'histogram_quantile(0.9, ', 'histogram_quantile(0.99,']);
  });
});

describe('ServiceLevelObjective: latency', () => {
  // GIVEN 99 % of requests within 250 ms
  const objects = synthSlo({ latency: { threshold: '250ms', percent: 99 } });
  const all = rules(objects);

  test('the same four burn-rate pairs on a budget of 100 − percent (1 %)', () => {
    const alerts = all.filter(r => r.alert);
    expect(alerts.map(a => a.labels!.severity)).toEqual(['page', 'page', 'ticket', 'ticket']);
    alerts.forEach((alert, i) => {
      expect(alert.alert).toBe('LatencyErrorBudgetBurn');
      expect(alert.labels).toMatchObject({ sli: 'latency', objective: '99', threshold: '250ms' });
      for (const t of thresholds(alert.expr)) expect(t).toBeCloseTo(WORKBOOK[i].factor * 0.01, 12);
    });
  });

  test('slow requests are those above the 250 ms bucket, matched however the server writes the bucket', () => {
    const slow = all.find(r => r.record === 'slo:sli_errors:rate5m')!.expr;
    const le = /le=~"((?:[^"\\]|\\.)*)"/.exec(slow)![1].replace(/\\\\/g, '\\');
    const re = new RegExp(`^(?:${le})$`);
    expect(['250', '250.0'].map(v => re.test(v))).toEqual([true, true]);
    expect(['2500', '25', '250.5'].map(v => re.test(v))).toEqual([false, false, false]);
    expect(slow).toContain('istio_request_duration_milliseconds_count');
  });

  test('every expression parses', () => {
    for (const expr of [...all.map(r => r.expr), ...panelExprs(objects)]) expect([expr, analysePromql(expr).errors]).toEqual([expr, []]);
    expect(dashboard(objects).panels.map((p: any) => p.title)).toContain('Requests slower than 250ms');
  });
});

describe('ServiceLevelObjective: the app\'s own metrics', () => {
  // GIVEN an objective on the release's own metrics (it declares metrics)
  const objects = synthSlo({ source: 'app', availability: 99.5, latency: { threshold: '500ms', percent: 95 } }, true);
  const all = rules(objects);

  test('reads http_requests_total{status} and http_request_duration_seconds of the release\'s job, per track', () => {
    const errors = all.find(r => r.record === 'slo:sli_errors:rate5m' && r.labels!.sli === 'availability')!.expr;
    expect(errors).toContain('sum by (track) (rate(http_requests_total{namespace="shop",job="api",status=~"5.."}[5m]))');
    const slow = all.find(r => r.record === 'slo:sli_errors:rate5m' && r.labels!.sli === 'latency')!.expr;
    expect(slow).toContain('http_request_duration_seconds_bucket{namespace="shop",job="api",le=~"0\\\\.50*"}');
  });

  test('thresholds: 99.5 % → 0.005 budget, 95 % latency → 0.05', () => {
    for (const alert of all.filter(r => r.alert)) {
      const budget = alert.labels!.sli === 'availability' ? 0.005 : 0.05;
      const factor = Number(alert.labels!.burn_rate);
      for (const t of thresholds(alert.expr)) expect(t).toBeCloseTo(factor * budget, 12);
    }
  });

  test('every expression parses and reads only the app\'s metrics and labels', () => {
    for (const expr of [...all.map(r => r.expr), ...panelExprs(objects)]) {
      const analysis = analysePromql(expr);
      expect([expr, analysis.errors]).toEqual([expr, []]);
      for (const label of analysis.labels) expect([label, APP_LABELS.has(label) || RULE_LABELS.includes(label)]).toEqual([label, true]);
      for (const metric of analysis.metrics) expect([metric, APP_METRICS.includes(metric) || metric.startsWith('slo:')]).toEqual([metric, true]);
    }
  });
});

describe('ServiceLevelObjective of a gRPC target', () => {
  function grpcRules(source: 'istio' | 'app'): Rule[] {
    const chart = chartIn();
    const api = new WebApp(chart, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 9000, appProtocol: 'grpc', metrics: { port: 9090 } });
    const slo = new ServiceLevelObjective(chart, 'api-slo', { target: api, availability: 99.9, source });
    expect(slo.appProtocol).toBe('grpc');
    return rules(synthValid(chart));
  }

  test('with Istio\'s metrics, failed calls are HTTP 5xx or a gRPC server-error status (2, 4, 12, 13, 14, 15)', () => {
    const errors = grpcRules('istio').find(r => r.record === 'slo:sli_errors:rate5m')!.expr;
    expect(errors).toContain('response_code=~"5.."}[5m]) or rate(istio_requests_total{');
    expect(errors).toContain('grpc_response_status=~"2|4|12|13|14|15"}[5m])');
  });

  test('with the app\'s metrics, calls are grpc_server_handled_total and failures its server-error grpc_code', () => {
    const all = grpcRules('app');
    expect(all.find(r => r.record === 'slo:sli_requests:rate5m')!.expr).toBe('sum by (track) (rate(grpc_server_handled_total{namespace="shop",job="api"}[5m]))');
    expect(all.find(r => r.record === 'slo:sli_errors:rate5m')!.expr).toContain('grpc_code=~"Unknown|DeadlineExceeded|Unimplemented|Internal|Unavailable|DataLoss"');
    for (const r of all) expect(analysePromql(r.expr).errors).toEqual([]);
  });

  test('a { name, namespace } reference declares its protocol', () => {
    const chart = chartIn();
    new ServiceLevelObjective(chart, 'slo', { target: { name: 'api', namespace: 'shop', appProtocol: 'grpc' }, availability: 99.9 });
    expect(rules(synthValid(chart), 'slo').find(r => r.record === 'slo:sli_errors:rate1h')!.expr).toContain('grpc_response_status=~');
  });
});

describe('ServiceLevelObjective targets and options', () => {
  test('a { name, namespace } target, a custom window and rule labels', () => {
    const chart = chartIn('observability');
    const slo = new ServiceLevelObjective(chart, 'checkout', {
      target: { name: 'checkout', namespace: 'shop' }, availability: 99.95, window: '28d', ruleLabels: { release: 'prometheus' },
    });
    const objects = synthValid(chart);
    const rule = findObject(objects, 'PrometheusRule', 'checkout');
    expect(rule.metadata.namespace).toBe('observability');
    expect(rule.metadata.labels.release).toBe('prometheus');
    expect(slo.target).toEqual({ name: 'checkout', namespace: 'shop' });
    const all = rules(objects, 'checkout');
    expect(all.find(r => r.record === 'slo:sli_requests:rate5m')!.expr).toContain('destination_service_namespace="shop",destination_service_name="checkout"');
    expect(all.find(r => r.record === 'slo:sli_requests:rate28d')).toBeDefined();
    for (const alert of all.filter(r => r.alert)) {
      expect(alert.labels!.window).toBe('28d');
      for (const t of thresholds(alert.expr)) expect(t).toBeCloseTo(Number(alert.labels!.burn_rate) * 0.0005, 12);
    }
  });

  test('burn-rate factors follow the window: 3.36 / 1.4 / 1 / 1 for 7 days (a ticket never below 1)', () => {
    const chart = chartIn();
    const web = new WebApp(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2' });
    new ServiceLevelObjective(chart, 'web-slo', { target: web, availability: 99, window: '7d' });
    const alerts = rules(synthValid(chart), 'web-slo').filter(r => r.alert);
    expect(alerts.map(a => [a.labels!.long_window, a.labels!.burn_rate])).toEqual([['1h', '3.36'], ['6h', '1.4'], ['24h', '1'], ['3d', '1']]);
    expect(alerts[0].expr).toContain('> (3.36 * 0.01)');
    expect(alerts[0].annotations!.description).toMatch(/at this rate the whole budget is spent in 2d2h\.$/);
  });

  test('synthesises byte-identical output twice', () => {
    const render = () => JSON.stringify(synthSlo({ availability: 99.9, latency: { threshold: '1s', percent: 99 } }));
    expect(render()).toEqual(render());
  });
});

describe('bad ServiceLevelObjective input', () => {
  const make = (props: Partial<ServiceLevelObjectiveProps>, metrics = false) => () => {
    const chart = chartIn();
    new ServiceLevelObjective(chart, 'slo', { target: release(chart, metrics), ...props } as ServiceLevelObjectiveProps);
  };

  test('fails when availability is outside (0, 100)', () => {
    for (const value of [100, 0, -1, 100.5, Number.NaN]) {
      // NaN and Infinity are not JSON numbers: the props schema reports them first
      const expected = Number.isFinite(value) ? /test\/slo: invalid availability .*: must be a percentage strictly between 0 and 100 with at most 6 decimals, e\.g\. 99\.9/ : /test\/slo: invalid availability .*: must be a number$/;
      expect(make({ availability: value })).toThrow(expected);
    }
    expect(make({ availability: '99.9' as never })).toThrow(/invalid availability "99\.9": must be a number/);
  });

  test('fails when no objective is given', () => {
    expect(make({})).toThrow(/test\/slo: invalid availability undefined: give availability \(e\.g\. 99\.9\), latency .* or both/);
  });

  test('fails when the latency threshold is not a duration or not a bucket', () => {
    expect(make({ latency: { threshold: 'fast', percent: 99 } })).toThrow(/test\/slo: invalid latency\.threshold "fast": must be a duration/);
    expect(make({ latency: { threshold: '250', percent: 99 } })).toThrow(/invalid latency\.threshold "250": must be a duration.*did you mean "250s"/);
    expect(make({ latency: { threshold: '300ms', percent: 99 } })).toThrow(/invalid latency\.threshold "300ms": must be a bucket boundary of istio_request_duration_milliseconds.*250ms, 500ms/);
    expect(make({ latency: { threshold: '250ms', percent: 100 } })).toThrow(/invalid latency\.percent 100: must be a percentage strictly between 0 and 100/);
    expect(make({ latency: 'fast' as never })).toThrow(/invalid latency "fast": must be an object \{ threshold, percent \}/);
  });

  test('fails when the window is not a Prometheus duration or shorter than 5 days', () => {
    expect(make({ availability: 99.9, window: '30 days' })).toThrow(/test\/slo: invalid window "30 days": must be a Prometheus duration/);
    expect(make({ availability: 99.9, window: '1.5d' })).toThrow(/invalid window "1\.5d": must be a Prometheus duration/);
    expect(make({ availability: 99.9, window: '1h30d' })).toThrow(/invalid window "1h30d": must be a Prometheus duration/);
    expect(make({ availability: 99.9, window: '1d' })).toThrow(/invalid window "1d": must be at least 5d: the alerts page when 5 % of the window's budget burns in 6 hours/);
    expect(make({ availability: 99.9, window: '4d23h' })).toThrow(/invalid window "4d23h": must be at least 5d/);
    expect(make({ availability: 99.9, window: '5d' })).not.toThrow();
  });

  test('fails when an alert could only fire above an error ratio of 1', () => {
    // 30 days: the 1h page fires above 14.4 × the budget, so a budget of 1/14.4 or more never pages
    expect(make({ availability: 93, window: '30d' })).toThrow(/test\/slo: invalid availability 93: over a window of 30d the 1h\/5m page fires only when more than 14\.4 × 7% of requests are bad, which can never happen; use an objective above 93\.06/);
    expect(make({ latency: { threshold: '250ms', percent: 90 }, window: '90d' })).toThrow(/invalid latency\.percent 90: over a window of 90d the 1h\/5m page fires only when more than 43\.2 × 10%/);
    expect(make({ availability: 93.1, window: '30d' })).not.toThrow();
  });

  test('fails when the app\'s metrics are read from a workload that declares none', () => {
    expect(make({ availability: 99.9, source: 'app' })).toThrow(/test\/slo: invalid source "app": reads the app's own metrics, but test\/api \("api"\) declares no metrics; give it metrics: \{ port: 9090 \} or use source: "istio"/);
    expect(make({ availability: 99.9, source: 'app' }, true)).not.toThrow();
  });

  test('fails on an unknown source, a malformed target and bad rule labels', () => {
    expect(make({ availability: 99.9, source: 'envoy' as never })).toThrow(/invalid source "envoy": must be "istio" or "app"/);
    expect(make({ availability: 99.9, target: { name: 'Checkout', namespace: 'shop' } })).toThrow(/invalid target\.name "Checkout"/);
    expect(make({ availability: 99.9, target: 'checkout' as never })).toThrow(/invalid target "checkout": must be an IObservableWorkload or an object \{ name, namespace, appProtocol\? \}/);
    const chart = chartIn();
    const bundle = new NetworkPolicyBundle(chart, 'net');
    expect(() => new ServiceLevelObjective(chart, 'slo', { target: bundle as never, availability: 99 })).toThrow(/test\/slo: invalid target "test\/net": must be a workload construct/);
    expect(make({ availability: 99.9, ruleLabels: { release: 1 as never } })).toThrow(/invalid ruleLabels\.release 1: must be a string/);
    expect(make({ availability: 99.9, ruleLabels: { release: 'kube prometheus' } })).toThrow(/test\/slo: invalid ruleLabels\.release "kube prometheus": must be a label value/);
    expect(make({ availability: 99.9, ruleLabels: { 'app.kubernetes.io/name': 'x' } })).toThrow(/invalid ruleLabels\.app\.kubernetes\.io\/name "x": app\.kubernetes\.io\/\* labels are written by the library/);
  });

  test('fails when two objectives share a name in one namespace', () => {
    const chart = chartIn();
    const api = release(chart);
    new ServiceLevelObjective(chart, 'a', { name: 'api', target: api, availability: 99 });
    expect(() => new ServiceLevelObjective(chart, 'b', { name: 'api', target: api, availability: 99.9 })).toThrow(/test\/b: invalid name "api": a PrometheusRule named "api" already exists/);
  });
});
