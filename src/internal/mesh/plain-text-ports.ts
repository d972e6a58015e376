import { Construct } from 'constructs';
import { createPeerAuthentication } from '../../istio/peer-authentication';
import { recommendedLabels } from '../core/labels';
import { claimName, namespaceOf } from '../core/name-registry';
import { NamespacePolicies } from '../network/namespace-policies';

/** A container port of a workload that clients outside the mesh (without a sidecar) reach. */
export interface PlainTextPort {
  readonly port: number;
  /** Why: it names the PeerAuthentication (`<name>-metrics`, `<name>-external`). */
  readonly purpose: 'metrics' | 'external';
}

/** The workload whose ports accept plain text. */
export interface PlainTextWorkload {
  readonly name: string;
  readonly labels: Record<string, string>;
  /** Labels selecting every pod of the workload. */
  readonly selector: Record<string, string>;
}

/**
 * Once the namespace's mesh requires mutual TLS (STRICT), lets `ports` of the workload's pods
 * accept plain text as well (PERMISSIVE), and no other port: one PeerAuthentication per workload
 * (Istio applies only the oldest of several workload-level policies selecting the same pods),
 * named `<name>-<purposes>` (`web-metrics`, `web-external`, `web-metrics-external`). Clients
 * outside the mesh (Prometheus, a cloud load balancer) have no sidecar certificate; what may
 * reach those ports stays the NetworkPolicies' decision.
 */
export function acceptPlainText(scope: Construct, workload: PlainTextWorkload, ports: readonly PlainTextPort[]): void {
  if (ports.length === 0) return;
  const namespace = namespaceOf(scope);
  const purposes = [...new Set(ports.map(p => p.purpose))];
  const numbers = [...new Set(ports.map(p => p.port))].sort((a, b) => a - b);
  NamespacePolicies.of(scope, namespace).whenMeshRequiresMtls(() => {
    const name = `${workload.name}-${purposes.join('-')}`;
    claimName(scope, purposes.includes('metrics') ? 'metrics' : 'loadBalancer', 'PeerAuthentication', name, namespace);
    createPeerAuthentication(scope, `PeerAuthentication-${purposes.join('-')}`, {
      name,
      labels: recommendedLabels({ name: workload.name, instance: name, component: 'mesh-security', partOf: workload.labels['app.kubernetes.io/part-of'] }),
      spec: {
        selector: { matchLabels: workload.selector },
        portLevelMtls: Object.fromEntries(numbers.map(port => [String(port), { mode: 'PERMISSIVE' as const }])),
      },
    });
  });
}
