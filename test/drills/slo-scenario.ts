// Shared by the ServiceLevelObjective drills: the objective's PrometheusRule groups as Prometheus
// loads them, and Istio's request counter as the destination's sidecar writes it
// (https://istio.io/latest/docs/reference/config/metrics/), as synthetic promtool series.
import { Chart, Testing } from 'cdk8s';
import { InputSeries, RuleGroup } from './promtool';
import { ServiceLevelObjective, ServiceLevelObjectiveProps, WebApp } from '../../src';

/**
 * The rules of an objective for the WebApp `api` in namespace `shop` (or `target`), as one group:
 * its recording rules, then its alerts. Prometheus evaluates each group every interval (30s–1m),
 * so an alert reads recorded series at most one interval old; promtool evaluates the groups of a
 * step in random order, and at the coarse steps of multi-day drills (past the 5-minute lookback)
 * an alert evaluated first would read no recorded sample at all. One group, in order, keeps the
 * drills deterministic and reads what Prometheus's next evaluation would.
 */
export function sloGroups(props: Omit<ServiceLevelObjectiveProps, 'target'>, target?: (chart: Chart) => ServiceLevelObjectiveProps['target']): RuleGroup[] {
  const chart = new Chart(Testing.app(), 'drill', { namespace: 'shop' });
  const workload = target ? target(chart) : new WebApp(chart, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080 });
  const slo = new ServiceLevelObjective(chart, 'api-slo', { target: workload, ...props });
  const groups = (slo.prometheusRule.toJson() as { spec: { groups: RuleGroup[] } }).spec.groups;
  const ordered = [...groups.filter(g => g.name.endsWith('-recording')), ...groups.filter(g => !g.name.endsWith('-recording'))];
  return [{ name: 'api-slo', rules: ordered.flatMap(g => g.rules) }];
}

/** Options of one synthetic Istio request counter of `shop/api`. */
export interface IstioCounter {
  /** The destination workload (the Deployment): `api` for a WebApp, `api-stable` / `api-canary` for a release's track. */
  readonly workload: string;
  readonly code: string;
  /** Requests per second. */
  readonly rps: number;
  /** The step of the scenario's series, in seconds. */
  readonly stepSeconds: number;
  /** Steps before the series appears. @default 0 */
  readonly from?: number;
  /** Steps the series runs for (it then disappears, as a scaled-down track's pods do). */
  readonly steps: number;
  /** Extra labels (e.g. `grpc_response_status`). @default none */
  readonly labels?: Record<string, string>;
}

/** `istio_requests_total` of one workload and response code, as promtool series notation. */
export function istioCounter(c: IstioCounter): InputSeries {
  const labels: Record<string, string> = {
    reporter: 'destination',
    destination_service_namespace: 'shop',
    destination_service_name: 'api',
    destination_workload: c.workload,
    response_code: c.code,
    ...c.labels,
  };
  const text = Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',');
  const missing = c.from ? `_x${c.from} ` : '';
  return { series: `istio_requests_total{${text}}`, values: `${missing}0+${c.rps * c.stepSeconds}x${c.steps}` };
}

/** Prometheus duration of `steps` steps of `stepSeconds` (for promtool's `at`). */
export function at(steps: number, stepSeconds: number): string {
  return `${steps * stepSeconds}s`;
}
