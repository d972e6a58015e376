import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AppProtocol } from './container-basics';
import { propError } from './internal/core/errors';
import { recommendedLabels } from './internal/core/labels';
import { checkNamedNamespace, claimName, namespaceOf } from './internal/core/name-registry';
import { checkDnsLabel, checkResourceName } from './internal/core/validate';
import { burnRateAlerts, ObjectiveRulesInput, recordingRules } from './internal/observability/burn-rate';
import { checkBurnRatesReachable, checkObjectiveWindow } from './internal/observability/burn-rate-factors';
import { buildDashboard } from './internal/observability/dashboard';
import { resolveExtraLabels } from './internal/observability/extra-labels';
import { MONITORING_API_VERSION } from './internal/observability/monitors';
import { checkLatencyThreshold, checkObjectivePercent, Objective } from './internal/observability/objective';
import { SliSource, sliSource, SliTarget } from './internal/observability/sli-source';
import { validateProps } from './internal/validation/validate-props';
import { APP_PROTOCOLS } from './internal/workload/ports';
import { IObservableWorkload, isObservableWorkload } from './observable-workload';

/** A workload named by its name and namespace, for an objective created before (or apart from) it. */
export interface WorkloadReference {
  /** The workload's name (its Service's). */
  readonly name: string;
  /** Its namespace. */
  readonly namespace: string;
  /**
   * The protocol it speaks: `grpc` is measured by gRPC status codes; `tcp` has no requests to
   * measure and is refused.
   * @default 'http'
   */
  readonly appProtocol?: AppProtocol;
}

/** A latency objective: `percent` of requests complete within `threshold`. */
export interface LatencyObjective {
  /**
   * The duration a good request completes within, e.g. `'250ms'`. It must be a bucket boundary
   * of the duration histogram: with `source: 'istio'`, one of Istio's default buckets (…, 100ms,
   * 250ms, 500ms, 1000ms, 2500ms, …); with `'app'`, one of the app's own buckets.
   */
  readonly threshold: string;
  /** The percentage of requests that must complete within the threshold, e.g. 99. */
  readonly percent: number;
}

/** Properties of a {@link ServiceLevelObjective}. */
export interface ServiceLevelObjectiveProps {
  /** The workload measured: a workload construct, or `{ name, namespace }`. */
  readonly target: IObservableWorkload | WorkloadReference;
  /**
   * Name of the PrometheusRule (and of the dashboard ConfigMap `<name>-dashboard`).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The percentage of requests that must succeed (not answer 5xx), strictly between 0 and 100,
   * e.g. 99.9. At least one of `availability` and `latency`.
   * @default - no availability objective
   */
  readonly availability?: number;
  /**
   * The percentage of requests that must complete within a threshold. Its error budget is
   * `100 - percent`.
   * @default - no latency objective
   */
  readonly latency?: LatencyObjective;
  /**
   * The rolling window the objective holds over, a Prometheus duration of at least 5d. The
   * alerts' burn-rate factors follow it (SRE workbook: factor = share of the budget spent ×
   * window ÷ alert window): 14.4 / 6 / 3 / 1 for 30d, 3.36 / 1.4 / 1 / 1 for 7d; a ticket's
   * factor is never below 1 (a slower burn leaves budget at the end of the window).
   * @see https://sre.google/workbook/alerting-on-slos/#6-multiwindow-multi-burn-rate-alerts
   * @default '30d'
   */
  readonly window?: string;
  /**
   * Where requests are counted: `'istio'` reads the mesh's standard metrics
   * (`istio_requests_total`, `istio_request_duration_milliseconds_bucket`, reported by the
   * destination's sidecar); `'app'` reads the app's own `http_requests_total{status}` and
   * `http_request_duration_seconds_bucket`, scraped through its `metrics`.
   * @see https://istio.io/latest/docs/reference/config/metrics/
   * @default 'istio'
   */
  readonly source?: 'istio' | 'app';
  /**
   * Extra labels of the PrometheusRule, for a Prometheus whose `ruleSelector` requires them
   * (kube-prometheus-stack selects `release: <release name>`).
   * @default - none
   */
  readonly ruleLabels?: Record<string, string>;
}

/**
 * A service level objective of one workload: a `PrometheusRule` (`monitoring.coreos.com/v1`) that
 * records requests and bad requests per canary track over every alert window, and alerts with
 * the SRE workbook's multi-window, multi-burn-rate pairs (page when 2 % of the window's budget
 * burns in 1h (5m) or 5 % in 6h (30m); ticket when 10 % burns in 24h (2h) or 3d (6h): for 30 days,
 * 14.4×, 6×, 3× and 1×, factors that follow the window); and a Grafana dashboard ConfigMap (label
 * `grafana_dashboard: "1"`) with request rate, error ratio, latency percentiles and the error
 * budget left.
 * @see https://sre.google/workbook/alerting-on-slos/
 */
export class ServiceLevelObjective extends Construct {
  /** The name of the PrometheusRule. */
  public readonly name: string;
  /** The namespace the PrometheusRule and dashboard are created in. */
  public readonly namespace: string;
  /** The measured workload's name and namespace. */
  public readonly target: WorkloadReference;
  /** Where requests are counted. */
  public readonly source: 'istio' | 'app';
  /** The protocol of the target's requests, which decides the metrics read (`grpc`: gRPC status codes). */
  public readonly appProtocol: AppProtocol;
  /** The rolling window. */
  public readonly window: string;
  /** The availability percentage, when given. */
  public readonly availability?: number;
  /** The latency objective, when given. */
  public readonly latency?: LatencyObjective;
  /** The PrometheusRule with the recording rules and alerts. */
  public readonly prometheusRule: ApiObject;
  /** The ConfigMap `<name>-dashboard` holding the Grafana dashboard. */
  public readonly dashboard: ApiObject;

  constructor(scope: Construct, id: string, props: ServiceLevelObjectiveProps) {
    super(scope, id);
    validateProps(this, 'ServiceLevelObjectiveProps', props);
    if (typeof props !== 'object' || props === null) throw propError(this, 'props', props, 'must be an object with at least { target, availability or latency }');
    this.name = checkResourceName(this, 'name', props.name ?? id);
    this.namespace = checkNamedNamespace(this, 'scope', this, namespaceOf(this), 'the objective labels its recorded series with its own namespace (slo_namespace) to keep them apart from other namespaces\' objectives');
    this.source = props.source ?? 'istio';
    if (this.source !== 'istio' && this.source !== 'app') throw propError(this, 'source', this.source, 'must be "istio" or "app"');
    this.target = this.resolveTarget(props.target);
    this.appProtocol = this.resolveProtocol(props.target);
    const source = sliSource(this.source, this.appProtocol);
    this.window = checkObjectiveWindow(this, props.window ?? '30d');
    const objectives = this.resolveObjectives(props, source);
    this.availability = props.availability;
    this.latency = props.latency;
    const ruleLabels = resolveExtraLabels(this, 'ruleLabels', props.ruleLabels);

    const inputs: ObjectiveRulesInput[] = objectives.map(objective => ({
      name: this.name, namespace: this.namespace, source, target: this.target, window: this.window, objective,
    }));
    const labels = recommendedLabels({ name: this.target.name, instance: this.name, component: 'slo', partOf: Chart.of(this).namespace });
    claimName(this, 'name', 'PrometheusRule', this.name);
    this.prometheusRule = new ApiObject(this, 'PrometheusRule', {
      apiVersion: MONITORING_API_VERSION,
      kind: 'PrometheusRule',
      metadata: { name: this.name, labels: { ...labels, ...ruleLabels } },
      spec: {
        groups: inputs.flatMap(input => [
          { name: `${this.name}-${input.objective.sli}-recording`, rules: recordingRules(input) },
          { name: `${this.name}-${input.objective.sli}-alerts`, rules: burnRateAlerts(input) },
        ]),
      },
    });
    const dashboardName = `${this.name}-dashboard`;
    claimName(this, 'name', 'ConfigMap', dashboardName);
    this.dashboard = new ApiObject(this, 'Dashboard', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: dashboardName, labels: { ...labels, grafana_dashboard: '1' } },
      data: { [`${this.name}.json`]: `${JSON.stringify(buildDashboard({ name: this.name, namespace: this.namespace, objectives: inputs }), undefined, 2)}\n` },
    });
  }

  private resolveTarget(target: IObservableWorkload | WorkloadReference): SliTarget {
    if (isObservableWorkload(target)) {
      if (this.source === 'app' && target.metricsPort === undefined) {
        throw propError(this, 'source', 'app', `reads the app's own metrics, but ${target.node.path} ("${target.name}") declares no metrics; give it metrics: { port: 9090 } or use source: "istio"`);
      }
      return { name: target.name, namespace: checkNamedNamespace(this, 'target', target, target.namespace, 'the objective\'s queries must name the target\'s namespace') };
    }
    if (typeof target !== 'object' || target === null || Array.isArray(target) || 'node' in target) {
      const path = (target as { node?: { path?: unknown } } | null)?.node?.path;
      throw propError(this, 'target', typeof path === 'string' ? path : target, 'must be a workload construct (WebApp, CanaryRelease, …) or { name, namespace }');
    }
    return {
      name: checkResourceName(this, 'target.name', target.name),
      namespace: checkDnsLabel(this, 'target.namespace', target.namespace),
    };
  }

  /**
   * The target's protocol, which must have requests the source counts: Istio records
   * `istio_requests_total` for HTTP, HTTP/2 and gRPC only (TCP gets `istio_tcp_*`, connections and
   * bytes), and an app's request metrics count HTTP or gRPC requests.
   * @see https://istio.io/latest/docs/reference/config/metrics/
   */
  private resolveProtocol(target: IObservableWorkload | WorkloadReference): AppProtocol {
    const observed = isObservableWorkload(target);
    const protocol = target.appProtocol ?? 'http';
    if (!APP_PROTOCOLS.includes(protocol)) throw propError(this, 'target.appProtocol', protocol, `must be one of ${APP_PROTOCOLS.map(p => JSON.stringify(p)).join(', ')}`);
    if (protocol !== 'tcp') return protocol;
    const what = observed ? `${target.node.path} ("${target.name}")` : `target "${target.name}"`;
    const counted = this.source === 'istio'
      ? 'Istio counts requests (istio_requests_total) for HTTP, HTTP/2 and gRPC only, and records plain TCP as connections and bytes (istio_tcp_*), which have no failed requests'
      : 'the app\'s request metrics (http_requests_total, grpc_server_handled_total) count HTTP and gRPC requests';
    throw propError(this, 'source', this.source, `cannot measure ${what}, which speaks tcp: ${counted}; measure a workload that serves HTTP or gRPC (set its appProtocol if it does)`);
  }

  private resolveObjectives(props: ServiceLevelObjectiveProps, source: SliSource): Objective[] {
    if (props.availability === undefined && props.latency === undefined) {
      throw propError(this, 'availability', undefined, 'give availability (e.g. 99.9), latency (e.g. { threshold: "250ms", percent: 99 }) or both');
    }
    const objectives: Objective[] = [];
    if (props.availability !== undefined) {
      objectives.push({ sli: 'availability', percent: props.availability, budget: checkObjectivePercent(this, 'availability', props.availability) });
      checkBurnRatesReachable(this, 'availability', this.window, objectives[0]);
    }
    if (props.latency !== undefined) {
      const latency = props.latency;
      if (typeof latency !== 'object' || latency === null || Array.isArray(latency)) {
        throw propError(this, 'latency', latency, 'must be { threshold, percent }, e.g. { threshold: "250ms", percent: 99 }');
      }
      const thresholdSeconds = checkLatencyThreshold(this, 'latency.threshold', latency.threshold, source);
      const budget = checkObjectivePercent(this, 'latency.percent', latency.percent);
      objectives.push({ sli: 'latency', percent: latency.percent, budget, threshold: latency.threshold, thresholdSeconds });
      checkBurnRatesReachable(this, 'latency.percent', this.window, objectives[objectives.length - 1]);
    }
    return objectives;
  }
}
