import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ResolvedMetrics } from './metrics-options';
import { MetricsTargets } from './metrics-targets';
import { createPodMonitor, createServiceMonitor } from './monitors';
import { propError } from '../core/errors';
import { LABEL_COMPONENT } from '../core/labels';
import { namespaceOf } from '../core/name-registry';
import { acceptPlainText, PlainTextPort, PlainTextWorkload } from '../mesh/plain-text-ports';
import { NamespacePolicies } from '../network/namespace-policies';
import { WorkloadFoundation } from '../workload/workload-foundation';

/**
 * A workload that serves metrics, as its construct describes it: its name (the monitor's, and the
 * series' `job` label), labels (the monitor gets the same) and selector (every pod, and its Service).
 */
export interface WorkloadMetricsInput extends PlainTextWorkload {
  readonly metrics: ResolvedMetrics;
  /** The app's own container port. */
  readonly appPort: number;
  /** Whether the workload has a Service (ServiceMonitor) or not (PodMonitor). */
  readonly hasService: boolean;
  /** The pod label telling the workload's tracks apart (a canary release's), copied to the `track` label. */
  readonly trackPodLabel?: string;
  /** Other ports of the workload that accept plain text under STRICT mTLS (a load balancer's). @default - none */
  readonly plainTextPorts?: readonly PlainTextPort[];
}

/**
 * Everything that makes a workload's metrics scraped: the ServiceMonitor (or PodMonitor), the
 * registration that lets `NetworkPolicyBundle.allowMonitoring` open exactly the metrics port, and,
 * once the namespace's mesh requires mutual TLS, a PeerAuthentication `<name>-metrics` that
 * accepts plain text on the metrics port only (Prometheus runs outside the mesh, without a
 * sidecar certificate), together with `plainTextPorts` (one policy per workload). Metrics on the
 * app's own port cannot be relaxed that way (unless a load balancer already opens it): a
 * validation error then asks for a port of their own. Returns the monitor.
 */
export function monitorWorkload(scope: Construct, input: WorkloadMetricsInput): ApiObject {
  const namespace = namespaceOf(scope);
  if (!input.hasService && input.metrics.viaService === true) {
    throw propError(scope, 'metrics.service', true, 'the workload has no Service: its pods are scraped through a PodMonitor; leave service out');
  }
  const viaService = input.hasService && input.metrics.viaService !== false;
  if (viaService && !input.metrics.exposed) {
    throw propError(scope, 'metrics.port', input.metrics.portName, 'is not exposed on the Service (expose: false), and the ServiceMonitor scrapes the Service\'s endpoints; expose the port, or give metrics.service: false to scrape the pods through a PodMonitor');
  }
  const monitorInput = { ...input, labels: { ...input.metrics.labels, ...input.labels, [LABEL_COMPONENT]: 'monitoring' } };
  const monitor = viaService ? createServiceMonitor(scope, monitorInput) : createPodMonitor(scope, monitorInput);
  const sharesAppPort = input.metrics.port === input.appPort;
  MetricsTargets.of(scope, namespace).add({
    scope, name: input.name, namespace, podSelector: input.selector, port: input.metrics.port, sharesAppPort,
  });
  let strict = false;
  NamespacePolicies.of(scope, namespace).whenMeshRequiresMtls(() => { strict = true; });
  const plainText = input.plainTextPorts ?? [];
  const metricsPlainText = plainText.some(p => p.port === input.metrics.port);
  acceptPlainText(scope, input, [...(sharesAppPort || metricsPlainText ? [] : [{ port: input.metrics.port, purpose: 'metrics' as const }]), ...plainText]);
  scope.node.addValidation({
    validate: () => (strict && sharesAppPort && !metricsPlainText
      ? [`${scope.node.path}: invalid metrics.port ${input.metrics.port}: it is the app's own port, and namespace "${namespace}" requires mutual TLS (STRICT), so a Prometheus outside the mesh cannot scrape it; serve the metrics on a port of their own (e.g. metrics: { port: 9090 }), which then accepts plain text from the monitoring namespace only`]
      : []),
  });
  return monitor;
}

/** A workload's monitor as the field its construct exposes it in: `serviceMonitor` or `podMonitor`. */
export function monitorFields(monitor: ApiObject | undefined): { serviceMonitor?: ApiObject; podMonitor?: ApiObject } {
  if (monitor === undefined) return {};
  return monitor.kind === 'ServiceMonitor' ? { serviceMonitor: monitor } : { podMonitor: monitor };
}

/** How a workload construct's own pods are scraped: through its Service `<name>` or not, with its track label and plain-text ports. */
export type OwnMetricsOptions = Pick<WorkloadMetricsInput, 'hasService' | 'trackPodLabel' | 'plainTextPorts'>;

/**
 * The monitor of a workload construct's `metrics` (none without), as the field it is exposed in;
 * without metrics, `plainTextPorts` still accept plain text under STRICT mTLS.
 */
export function monitorOwnPods(scope: Construct, foundation: WorkloadFoundation, options: OwnMetricsOptions): ReturnType<typeof monitorFields> {
  const { name, labels, selector, port, workload } = foundation;
  if (!workload.metrics) {
    if (options.plainTextPorts) acceptPlainText(scope, foundation, options.plainTextPorts);
    return {};
  }
  return monitorFields(monitorWorkload(scope, { name, labels, selector, metrics: workload.metrics, appPort: port ?? 0, ...options }));
}
