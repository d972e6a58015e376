import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ResolvedMetrics } from './metrics-options';
import { MetricsTargets } from './metrics-targets';
import { createPodMonitor, createServiceMonitor } from './monitors';
import { createPeerAuthentication } from '../../istio/peer-authentication';
import { propError } from '../core/errors';
import { LABEL_COMPONENT, recommendedLabels } from '../core/labels';
import { claimName, namespaceOf } from '../core/name-registry';
import { NamespacePolicies } from '../network/namespace-policies';

/** A workload that serves metrics, as its construct describes it. */
export interface WorkloadMetricsInput {
  /** The workload's name: the monitor's name and the series' `job` label. */
  readonly name: string;
  /** The workload's labels (the monitor gets the same). */
  readonly labels: Record<string, string>;
  /** Labels selecting every pod of the workload (and, when it has one, its Service). */
  readonly selector: Record<string, string>;
  readonly metrics: ResolvedMetrics;
  /** The app's own container port. */
  readonly appPort: number;
  /** Whether the workload has a Service (ServiceMonitor) or not (PodMonitor). */
  readonly hasService: boolean;
  /** The pod label telling the workload's tracks apart (a canary release's), copied to the `track` label. */
  readonly trackPodLabel?: string;
}

/**
 * Everything that makes a workload's metrics scraped: the ServiceMonitor (or PodMonitor), the
 * registration that lets `NetworkPolicyBundle.allowMonitoring` open exactly the metrics port, and,
 * once the namespace's mesh requires mutual TLS, a PeerAuthentication `<name>-metrics` that
 * accepts plain text on the metrics port only (Prometheus runs outside the mesh, without a
 * sidecar certificate). Metrics on the app's own port cannot be relaxed that way: a validation
 * error then asks for a port of their own. Returns the monitor.
 */
export function monitorWorkload(scope: Construct, input: WorkloadMetricsInput): ApiObject {
  const namespace = namespaceOf(scope);
  if (input.hasService && !input.metrics.exposed) {
    throw propError(scope, 'metrics.port', input.metrics.portName, 'is not exposed on the Service (expose: false), and the ServiceMonitor scrapes the Service\'s endpoints; expose the port, or serve metrics on another');
  }
  const monitorInput = { ...input, labels: { ...input.metrics.labels, ...input.labels, [LABEL_COMPONENT]: 'monitoring' } };
  const monitor = input.hasService ? createServiceMonitor(scope, monitorInput) : createPodMonitor(scope, monitorInput);
  const sharesAppPort = input.metrics.port === input.appPort;
  MetricsTargets.of(scope, namespace).add({
    scope, name: input.name, namespace, podSelector: input.selector, port: input.metrics.port, sharesAppPort,
  });
  let strict = false;
  NamespacePolicies.of(scope, namespace).whenMeshRequiresMtls(() => {
    strict = true;
    if (sharesAppPort) return;
    const name = `${input.name}-metrics`;
    claimName(scope, 'metrics', 'PeerAuthentication', name, namespace);
    createPeerAuthentication(scope, 'PeerAuthentication-metrics', {
      name,
      labels: recommendedLabels({ name: input.name, instance: name, component: 'mesh-security', partOf: input.labels['app.kubernetes.io/part-of'] }),
      spec: { selector: { matchLabels: input.selector }, portLevelMtls: { [String(input.metrics.port)]: { mode: 'PERMISSIVE' } } },
    });
  });
  scope.node.addValidation({
    validate: () => (strict && sharesAppPort
      ? [`${scope.node.path}: invalid metrics.port ${input.metrics.port}: it is the app's own port, and namespace "${namespace}" requires mutual TLS (STRICT), so a Prometheus outside the mesh cannot scrape it; serve the metrics on a port of their own (e.g. metrics: { port: 9090 }), which then accepts plain text from the monitoring namespace only`]
      : []),
  });
  return monitor;
}
