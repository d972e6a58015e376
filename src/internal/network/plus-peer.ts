import { INetworkPeer } from '../../network-peer';
import { IPlusWorkload, plusNamespace } from '../../plus-workload';

/**
 * A cdk8s-plus Deployment or StatefulSet seen as a network peer: its name, namespace, pod
 * selector, container ports and ServiceAccount (`default` when it sets none), read when it is
 * named in a policy.
 */
export function plusPeer(workload: IPlusWorkload): INetworkPeer {
  const tcp = workload.containers.flatMap(c => c.ports.filter(p => (p.protocol ?? 'TCP') === 'TCP'));
  const containerPorts = [...new Set(tcp.map(p => p.number))];
  const portNames = Object.fromEntries(tcp.filter(p => p.name !== undefined).map(p => [p.name!, p.number]));
  return {
    node: workload.node,
    with: (...mixins) => workload.with(...mixins),
    name: workload.name,
    namespace: plusNamespace(workload),
    selector: { ...workload.matchLabels },
    port: containerPorts[0],
    containerPorts,
    portNames,
    serviceAccountName: workload.serviceAccount?.name ?? 'default',
  };
}
