import { Construct } from 'constructs';
import { NamespacePolicies } from './namespace-policies';
import { allowNamespaceInMesh } from './network-allowances';
import { createNetworkPolicy, namespacePeer, NetworkPolicyPort, tcpPorts } from './network-policy';
import { createAuthorizationPolicy } from '../../istio/authorization-policy';
import { recommendedLabels } from '../core/labels';
import { MetricsTarget, MetricsTargets } from '../observability/metrics-targets';

/**
 * Allows the monitoring namespace to scrape the namespace's pods, once ingress is denied.
 *
 * Each workload that declares `metrics` gets `<name>-from-monitoring`: a NetworkPolicy opening
 * exactly its metrics port to the monitoring namespace and, when the mesh denies by default, the
 * matching ALLOW AuthorizationPolicy. The namespace-wide NetworkPolicy (and mesh ALLOW policy)
 * `name` is written when `port` is given (on that port), or, without a port, only while no
 * workload of the namespace declares metrics (then on any port): it is removed when the first one does.
 */
export function allowMonitoring(scope: Construct, policies: NamespacePolicies, monitoring: string, port?: number, name = 'allow-monitoring',
  prop = 'allowMonitoring.name'): void {
  const targets = MetricsTargets.of(scope, policies.namespace);
  const signature = `monitoring:${monitoring}:${port ?? '*'}`;
  const meshSignature = `mesh:${name}:${monitoring}:${port ?? '*'}`;
  const wanted = (): boolean => port !== undefined || targets.size === 0;
  const ports: NetworkPolicyPort[] | undefined = port === undefined ? undefined : tcpPorts([port]);
  policies.whenDenied('Ingress', () => {
    if (!wanted()) return;
    policies.getOrCreate(scope, name, signature, () => createNetworkPolicy(scope, `NetworkPolicy-${name}`, {
      name,
      namespace: policies.namespace,
      component: 'network-policy',
      spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [namespacePeer(monitoring)], ...(ports ? { ports } : {}) }] },
    }), 'NetworkPolicy', false, prop);
  });
  allowNamespaceInMesh(scope, policies, name, monitoring, port, prop, wanted);
  targets.onTarget(target => {
    if (port === undefined) {
      policies.remove('NetworkPolicy', name, signature);
      policies.remove('AuthorizationPolicy', name, meshSignature);
    }
    allowScraping(scope, policies, monitoring, target);
  });
}

/** Opens one workload's metrics port to the monitoring namespace: `<name>-from-monitoring`. */
function allowScraping(scope: Construct, policies: NamespacePolicies, monitoring: string, target: MetricsTarget): void {
  const preferred = `${target.name}-from-monitoring`;
  const signature = `monitoring:${monitoring}:${target.namespace}/${target.name}:${target.port}`;
  policies.whenDenied('Ingress', () => policies.getOrCreate(scope, preferred, signature, name => createNetworkPolicy(scope, `NetworkPolicy-${name}`, {
    name,
    namespace: policies.namespace,
    component: 'network-policy',
    spec: {
      podSelector: { matchLabels: target.podSelector },
      policyTypes: ['Ingress'],
      ingress: [{ from: [namespacePeer(monitoring)], ports: tcpPorts([target.port]) }],
    },
  }), 'NetworkPolicy', true));
  // A Prometheus outside the mesh scrapes in plain text (the metrics port accepts it, see
  // PeerAuthentication `<name>-metrics`), so its requests carry no identity to match: the ALLOW
  // rule admits the metrics port only, and the NetworkPolicy above admits the monitoring
  // namespace only. Metrics on the app's own port keep the identity check.
  policies.whenMeshDeniesByDefault(() => policies.getOrCreate(scope, preferred, `mesh:${signature}`, name => createAuthorizationPolicy(scope, `AuthorizationPolicy-${name}`, {
    name,
    namespace: policies.namespace,
    labels: recommendedLabels({ name: policies.namespace, instance: name, component: 'authorization-policy', partOf: policies.namespace }),
    spec: {
      selector: { matchLabels: target.podSelector },
      action: 'ALLOW',
      rules: [{
        from: target.sharesAppPort ? [{ source: { namespaces: [monitoring] } }] : undefined,
        to: [{ operation: { ports: [String(target.port)] } }],
      }],
    },
  }), 'AuthorizationPolicy', true));
}
