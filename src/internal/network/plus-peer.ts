import { INetworkPeer } from '../../network-peer';
import { IPlusWorkload, plusNamespace } from '../../plus-workload';

/**
 * A cdk8s-plus Deployment or StatefulSet seen as a network peer: its name, namespace, pod
 * selector, container ports and ServiceAccount (`default` when it sets none), read when it is
 * named in a policy.
 */
export function plusPeer(workload: IPlusWorkload): INetworkPeer {
  const containerPorts = [...new Set(workload.containers.flatMap(c => c.ports.filter(p => (p.protocol ?? 'TCP') === 'TCP').map(p => p.number)))];
  return {
    node: workload.node,
    with: (...mixins) => workload.with(...mixins),
    name: workload.name,
    namespace: plusNamespace(workload),
    selector: { ...workload.matchLabels },
    port: containerPorts[0],
    containerPorts,
    serviceAccountName: workload.serviceAccount?.name ?? 'default',
  };
}
