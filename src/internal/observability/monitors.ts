import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ResolvedMetrics } from './metrics-options';
import { claimName } from '../core/name-registry';

/** The API version of the Prometheus Operator's ServiceMonitor, PodMonitor and PrometheusRule. */
export const MONITORING_API_VERSION = 'monitoring.coreos.com/v1';
/** The target label that tells a canary release's tracks apart in the app's own metrics. */
export const TRACK_METRIC_LABEL = 'track';

/** What a ServiceMonitor or PodMonitor needs. */
export interface MonitorInput {
  /** Name of the monitor, and the `job` label of the scraped series (the workload's name). */
  readonly name: string;
  readonly labels: Record<string, string>;
  /** Labels selecting the Service (ServiceMonitor) or the pods (PodMonitor). */
  readonly selector: Record<string, string>;
  readonly metrics: ResolvedMetrics;
  /** The pod label whose value becomes the `track` label of the series, when the pods have tracks. */
  readonly trackPodLabel?: string;
}

/** Prometheus's meta label for a pod label (every character outside [a-zA-Z0-9_] becomes `_`). */
export function podLabelMeta(label: string): string {
  return `__meta_kubernetes_pod_label_${label.replace(/[^a-zA-Z0-9_]/g, '_')}`;
}

function relabelings(input: MonitorInput, setJob: boolean): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  // a PodMonitor's job would be `<namespace>/<monitor>`: the workload's name keeps queries alike
  if (setJob) out.push({ action: 'replace', targetLabel: 'job', replacement: input.name });
  if (input.trackPodLabel) out.push({ action: 'replace', sourceLabels: [podLabelMeta(input.trackPodLabel)], targetLabel: TRACK_METRIC_LABEL });
  return out;
}

/**
 * Creates the `ServiceMonitor` `<name>`: the Prometheus Operator scrapes the named metrics port
 * of every pod behind the Service `<name>` (and no other Service with its labels); the series
 * carry `job="<name>"` (the Service's name) and, for a release with tracks, `track`.
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.ServiceMonitor
 */
export function createServiceMonitor(scope: Construct, input: MonitorInput): ApiObject {
  claimName(scope, 'metrics', 'ServiceMonitor', input.name);
  // only the Service `<name>`: other Services with the same labels (a canary's track Services for
  // Gateway API routing) select the same pods, which would be scraped once per Service
  const relabel = [
    { action: 'keep', sourceLabels: ['__meta_kubernetes_service_name'], regex: input.name },
    ...relabelings(input, false),
  ];
  return new ApiObject(scope, 'ServiceMonitor', {
    apiVersion: MONITORING_API_VERSION,
    kind: 'ServiceMonitor',
    metadata: { name: input.name, labels: input.labels },
    spec: {
      selector: { matchLabels: input.selector },
      endpoints: [{
        port: input.metrics.portName,
        path: input.metrics.path,
        interval: input.metrics.interval,
        scheme: 'http',
        relabelings: relabel,
      }],
    },
  });
}

/**
 * Creates the `PodMonitor` `<name>` for a workload without a Service: the Prometheus Operator
 * scrapes the named metrics port of the selected pods; the series carry `job="<name>"`.
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.PodMonitor
 */
export function createPodMonitor(scope: Construct, input: MonitorInput): ApiObject {
  claimName(scope, 'metrics', 'PodMonitor', input.name);
  return new ApiObject(scope, 'PodMonitor', {
    apiVersion: MONITORING_API_VERSION,
    kind: 'PodMonitor',
    metadata: { name: input.name, labels: input.labels },
    spec: {
      selector: { matchLabels: input.selector },
      podMetricsEndpoints: [{
        port: input.metrics.portName,
        path: input.metrics.path,
        interval: input.metrics.interval,
        scheme: 'http',
        relabelings: relabelings(input, true),
      }],
    },
  });
}
