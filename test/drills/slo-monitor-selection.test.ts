// Drill: the Prometheus of kube-prometheus-stack loads a workload's ServiceMonitor / PodMonitor,
// so the app's own metrics are scraped (and `source: 'app'` objectives and analyses have data).
//
// The Prometheus Operator loads only the monitors its Prometheus selects: `serviceMonitorSelector`
// / `podMonitorSelector` are label selectors ("an empty label selector matches all objects; a
// null label selector matches no objects",
// https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.PrometheusSpec).
// kube-prometheus-stack sets them to `matchLabels: { release: <Helm release> }` unless
// `serviceMonitorSelectorNilUsesHelmValues` / `podMonitorSelectorNilUsesHelmValues` is false
// (values.yaml of prometheus-community/helm-charts, charts/kube-prometheus-stack).
//
// On main before this change `metrics.labels` was refused ("invalid metrics.labels …: is not a
// known option; allowed: port, path, interval")
// and the monitors carried only the library's labels: the default kube-prometheus-stack selected
// none of them, so they were never scraped, and nothing said so.
import { Chart, Testing } from 'cdk8s';
import { K8sObject } from './argocd-sync';
import { CanaryRelease, MetricsOptions, WebApp, Worker } from '../../src';

interface LabelSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: ReadonlyArray<{ key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }>;
}

/** Kubernetes label-selector semantics; `undefined` (null) selects nothing, `{}` everything. */
function selects(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (selector === undefined) return false;
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpression = (selector.matchExpressions ?? []).every(e => {
    switch (e.operator) {
      case 'In': return has(labels, e.key) && e.values!.includes(labels[e.key]);
      case 'NotIn': return !has(labels, e.key) || !e.values!.includes(labels[e.key]);
      case 'Exists': return has(labels, e.key);
      case 'DoesNotExist': return !has(labels, e.key);
    }
  });
  return byLabel && byExpression;
}

function has(labels: Record<string, string>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(labels, key);
}

/** A Prometheus as the operator runs it: which monitors it loads. */
interface Prometheus {
  readonly serviceMonitorSelector?: LabelSelector;
  readonly podMonitorSelector?: LabelSelector;
}

/** kube-prometheus-stack installed as Helm release `kube-prometheus-stack`, with its defaults. */
const KUBE_PROMETHEUS_STACK: Prometheus = {
  serviceMonitorSelector: { matchLabels: { release: 'kube-prometheus-stack' } },
  podMonitorSelector: { matchLabels: { release: 'kube-prometheus-stack' } },
};
/** The same with `*SelectorNilUsesHelmValues: false`: every monitor. */
const SELECT_ALL: Prometheus = { serviceMonitorSelector: {}, podMonitorSelector: {} };

/** The monitors of the chart that `prometheus` loads, as `Kind/name`. */
function loaded(prometheus: Prometheus, objects: K8sObject[]): string[] {
  return objects
    .filter(o => (o.kind === 'ServiceMonitor' && selects(prometheus.serviceMonitorSelector, o.metadata.labels ?? {}))
      || (o.kind === 'PodMonitor' && selects(prometheus.podMonitorSelector, o.metadata.labels ?? {})))
    .map(o => `${o.kind}/${o.metadata.name}`);
}

/** A WebApp, a CanaryRelease (ServiceMonitors) and a Worker (PodMonitor) with the same `metrics`. */
function platform(metrics: MetricsOptions): K8sObject[] {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  new WebApp(chart, 'web', { image: 'ghcr.io/acme/web:1.0.0', metrics });
  new CanaryRelease(chart, 'api', { stable: { image: 'ghcr.io/acme/api:2.0.0' }, canary: { image: 'ghcr.io/acme/api:2.1.0' }, canaryWeight: 10, metrics });
  new Worker(chart, 'jobs', { image: 'ghcr.io/acme/jobs:1.0.0', metrics });
  return chart.toJson();
}

const ALL = ['ServiceMonitor/web', 'ServiceMonitor/api', 'PodMonitor/jobs'];

describe('drill: monitors loaded by the Prometheus Operator\'s selectors', () => {
  test('with metrics.labels { release }, kube-prometheus-stack\'s default selectors load every monitor (main: refused)', () => {
    const objects = platform({ port: 9090, labels: { release: 'kube-prometheus-stack' } });
    expect(loaded(KUBE_PROMETHEUS_STACK, objects)).toEqual(ALL);
  });

  test('without labels, the default selectors load none: the net the option exists for', () => {
    expect(loaded(KUBE_PROMETHEUS_STACK, platform({ port: 9090 }))).toEqual([]);
    expect(loaded(KUBE_PROMETHEUS_STACK, platform({ port: 9090, labels: { release: 'prometheus' } }))).toEqual([]);
  });

  test('healthy twin: a Prometheus selecting every monitor loads them with or without labels', () => {
    expect(loaded(SELECT_ALL, platform({ port: 9090 }))).toEqual(ALL);
    expect(loaded(SELECT_ALL, platform({ port: 9090, labels: { release: 'kube-prometheus-stack' } }))).toEqual(ALL);
  });
});
