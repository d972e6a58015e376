import { Construct, IConstruct } from 'constructs';
import { createMeshAllowance } from './mesh-allowance';
import { NamespacePolicies } from './namespace-policies';
import { createNetworkPolicy, namespacePeer, NetworkPolicyPeer, tcpPorts } from './network-policy';
import { serviceAccountPrincipal } from '../../istio/authorization-policy';
import { INetworkPeer } from '../../network-peer';
import { lazy } from '../core/lazy';

/** One declared flow between two workloads, with every port declared for it so far. */
interface Flow {
  readonly from: INetworkPeer;
  readonly to: INetworkPeer;
  readonly ports: Set<number>;
}

const FLOWS = new WeakMap<IConstruct, Map<string, Flow>>();

/** The NetworkPolicy and AuthorizationPolicy names of a flow, in the receiver's and the sender's namespace. */
export function flowPolicyNames(from: INetworkPeer, to: INetworkPeer): { ingress: string; egress: string } {
  const same = from.namespace === to.namespace;
  return {
    ingress: `${to.name}-from-${same ? '' : `${from.namespace}-`}${from.name}`,
    egress: `${from.name}-to-${same ? '' : `${to.namespace}-`}${to.name}`,
  };
}

function peerOf(peer: INetworkPeer, relativeTo: string): NetworkPolicyPeer {
  return peer.namespace === relativeTo ? { podSelector: { matchLabels: peer.selector } } : namespacePeer(peer.namespace, peer.selector);
}

/**
 * Declares that `from` may open connections to `to` on the container port `port`. The objects
 * appear where they have an effect: the ingress NetworkPolicy once the receiver's namespace denies
 * ingress, the egress one once the sender's namespace denies egress, and the ALLOW
 * AuthorizationPolicy for the sender's ServiceAccount once the receiver's mesh denies by default —
 * whichever construct is created first. Declaring the same flow again only adds the port.
 */
export function allowFlow(scope: Construct, from: INetworkPeer, to: INetworkPeer, port: number): void {
  const root = scope.node.root;
  let flows = FLOWS.get(root);
  if (!flows) {
    flows = new Map();
    FLOWS.set(root, flows);
  }
  const key = `${from.namespace}/${from.name}->${to.namespace}/${to.name}`;
  const existing = flows.get(key);
  if (existing) {
    existing.ports.add(port);
    return;
  }
  const flow: Flow = { from, to, ports: new Set([port]) };
  flows.set(key, flow);

  const names = flowPolicyNames(from, to);
  const ports = lazy(() => tcpPorts(flow.ports));
  const receiver = NamespacePolicies.of(scope, to.namespace);
  const sender = NamespacePolicies.of(scope, from.namespace);

  receiver.whenDenied('Ingress', () => receiver.getOrCreate(scope, names.ingress, `flow:${key}`, name => createNetworkPolicy(scope, `NetworkPolicy-${to.namespace}-${name}`, {
    name,
    namespace: to.namespace,
    component: 'network-policy',
    spec: { podSelector: { matchLabels: to.selector }, policyTypes: ['Ingress'], ingress: [{ from: [peerOf(from, to.namespace)], ports }] },
  }), 'NetworkPolicy', true));
  sender.whenDenied('Egress', () => sender.getOrCreate(scope, names.egress, `flow:${key}`, name => createNetworkPolicy(scope, `NetworkPolicy-${from.namespace}-${name}`, {
    name,
    namespace: from.namespace,
    component: 'network-policy',
    spec: { podSelector: { matchLabels: from.selector }, policyTypes: ['Egress'], egress: [{ to: [peerOf(to, from.namespace)], ports }] },
  }), 'NetworkPolicy', true));
  receiver.whenMeshDeniesByDefault(() => receiver.getOrCreate(scope, names.ingress, `flow:${key}`, name => createMeshAllowance(scope, `AuthorizationPolicy-${to.namespace}-${name}`, {
    name,
    namespace: to.namespace,
    selector: to.selector,
    source: { principals: [serviceAccountPrincipal(from.namespace, from.serviceAccountName)] },
    ports: lazy(() => [...flow.ports].sort((a, b) => a - b).map(String)),
  }), 'AuthorizationPolicy', true));
}
