import { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { createMeshAllowance } from './mesh-allowance';
import { NamespacePolicies } from './namespace-policies';
import { createNetworkPolicy, namespacePeer, NetworkPolicyPeer, tcpPorts } from './network-policy';
import { checkStrictPort } from './strict-ports';
import { serviceAccountPrincipal } from '../../istio/authorization-policy';
import { INetworkPeer } from '../../network-peer';
import { getOrInsert } from '../core/get-or-insert';
import { lazy } from '../core/lazy';
import { checkNamedNamespace } from '../core/name-registry';

/** One declared flow between two workloads, with every port declared for it so far. */
interface Flow {
  readonly from: INetworkPeer;
  readonly to: INetworkPeer;
  readonly ports: Set<number>;
  /** Writes (once) the receiver's ingress NetworkPolicy. */
  writeIngress: () => void;
  /** Writes (once) the sender's egress NetworkPolicy. */
  writeEgress: () => void;
}

const FLOWS = new WeakMap<IConstruct, Map<string, Flow>>();
const CLUSTER_CALLERS = new WeakMap<IConstruct, Map<string, Set<number>>>();

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
 * Where the policies protecting `peer`'s namespace are written: its chart (so that the
 * Application syncing that namespace owns them), in a `NetworkFlows` construct of its own.
 */
export function placementOf(peer: INetworkPeer): Construct {
  const chart = Chart.of(peer);
  return (chart.node.tryFindChild('NetworkFlows') as Construct | undefined) ?? new Construct(chart, 'NetworkFlows');
}

/**
 * Declares that `from` may open connections to `to` on the container port `port`. The objects
 * appear where they have an effect: the ingress NetworkPolicy once the receiver's namespace denies
 * ingress, the egress one once the sender's namespace denies egress, and the ALLOW
 * AuthorizationPolicy for the sender's ServiceAccount once the receiver's mesh denies by default —
 * whichever construct is created first. Declaring the same flow again only adds the port.
 */
export function allowFlow(scope: Construct, from: INetworkPeer, to: INetworkPeer, port: number,
  assumeDenied: { readonly ingress: boolean; readonly egress: boolean } = { ingress: false, egress: false }): void {
  const flows = getOrInsert(FLOWS, scope.node.root, () => new Map());
  if (from.namespace !== to.namespace) {
    checkNamedNamespace(scope, 'allow.from', from, from.namespace, `${to.node.path}'s policies in namespace "${to.namespace}" must name the namespace of ${from.node.path}`);
    checkNamedNamespace(scope, 'allow.to', to, to.namespace, `${from.node.path}'s policies in namespace "${from.namespace}" must name the namespace of ${to.node.path}`);
  }
  checkStrictPort(scope, from, to, port);
  const key = `${from.namespace}/${from.name}->${to.namespace}/${to.name}`;
  const existing = flows.get(key);
  if (existing) {
    existing.ports.add(port);
    if (assumeDenied.ingress) existing.writeIngress();
    if (assumeDenied.egress) existing.writeEgress();
    return;
  }
  const flow: Flow = { from, to, ports: new Set([port]), writeIngress: () => undefined, writeEgress: () => undefined };
  flows.set(key, flow);

  const [senderPolicies, receiverPolicies] = [NamespacePolicies.of(scope, from.namespace), NamespacePolicies.of(scope, to.namespace)];
  scope.node.addValidation({ validate: () => sidecarProblems(from, to, senderPolicies, receiverPolicies) });

  const names = flowPolicyNames(from, to);
  const ports = lazy(() => tcpPorts(flow.ports));
  const receiver = NamespacePolicies.of(scope, to.namespace);
  const sender = NamespacePolicies.of(scope, from.namespace);
  // each policy is written into the chart of the namespace it protects: the receiver's ingress side
  // into the receiver's chart, the sender's egress side into the sender's
  const atReceiver = placementOf(to);
  const atSender = placementOf(from);

  flow.writeIngress = () => receiver.getOrCreate(scope, names.ingress, `flow:${key}`, name => createNetworkPolicy(atReceiver, `NetworkPolicy-${to.namespace}-${name}`, {
    name,
    namespace: to.namespace,
    component: 'network-policy',
    spec: { podSelector: { matchLabels: to.selector }, policyTypes: ['Ingress'], ingress: [{ from: [peerOf(from, to.namespace)], ports }] },
  }), 'NetworkPolicy', true);
  flow.writeEgress = () => sender.getOrCreate(scope, names.egress, `flow:${key}`, name => createNetworkPolicy(atSender, `NetworkPolicy-${from.namespace}-${name}`, {
    name,
    namespace: from.namespace,
    component: 'network-policy',
    spec: { podSelector: { matchLabels: from.selector }, policyTypes: ['Egress'], egress: [{ to: [peerOf(to, from.namespace)], ports }] },
  }), 'NetworkPolicy', true);
  receiver.whenDenied('Ingress', flow.writeIngress);
  sender.whenDenied('Egress', flow.writeEgress);
  if (assumeDenied.ingress) flow.writeIngress();
  if (assumeDenied.egress) flow.writeEgress();
  receiver.whenMeshDeniesByDefault(() => receiver.getOrCreate(scope, names.ingress, `flow:${key}`, name => createMeshAllowance(atReceiver, `AuthorizationPolicy-${to.namespace}-${name}`, {
    name,
    namespace: to.namespace,
    selector: to.selector,
    source: { principals: [serviceAccountPrincipal(from.namespace, from.serviceAccountName)] },
    ports: lazy(() => [...flow.ports].sort((a, b) => a - b).map(String)),
  }), 'AuthorizationPolicy', true));
}

/**
 * A sender without a sidecar presents no mesh identity and speaks plain text: a receiver whose
 * mesh denies by default (ALLOW policies name SPIFFE principals) or enforces STRICT mTLS refuses
 * it, although the NetworkPolicies let it through. Known only when both namespaces' constructs
 * are in the App.
 */
function sidecarProblems(from: INetworkPeer, to: INetworkPeer, sender: NamespacePolicies, receiver: NamespacePolicies): string[] {
  const senderMesh = sender.meshSettings;
  const receiverMesh = receiver.meshSettings;
  // Without sidecars on the receiver nothing enforces its AuthorizationPolicies or mTLS; a
  // sender that is a proxy itself (an Istio gateway's pods) presents its identity without one.
  if (senderMesh === undefined || senderMesh.sidecars || from.meshProxy === true || !receiverMesh?.sidecars || (!receiver.meshDeniesByDefault && receiverMesh.mtls !== 'STRICT')) return [];
  const flow = `allow(${from.node.path}, ${to.node.path})`;
  const why = `${JSON.stringify(from.name)} runs in namespace ${JSON.stringify(from.namespace)} without Istio sidecars (${senderMesh.path}), so it has no mesh identity and speaks plain text`;
  const receiverPath = ` (${receiverMesh.path})`;
  if (receiver.meshDeniesByDefault) {
    return [`${flow}: ${why}, but namespace ${JSON.stringify(to.namespace)}${receiverPath} is Istio deny-by-default and its ALLOW AuthorizationPolicy admits only the principal ${JSON.stringify(serviceAccountPrincipal(from.namespace, from.serviceAccountName))}, which a pod without a sidecar never presents: the NetworkPolicies let the flow through but every request would be refused (403). Inject sidecars into ${JSON.stringify(from.namespace)} (its SecureNamespace istio: { injection: true }), or drop istio.denyByDefault in ${JSON.stringify(to.namespace)} (a policy can admit a client without a sidecar only by IP address, which pods do not keep)`];
  }
  return [`${flow}: ${why}, but namespace ${JSON.stringify(to.namespace)}${receiverPath} enforces STRICT mTLS, which refuses plain-text connections: the NetworkPolicies let the flow through but every connection would be reset. Inject sidecars into ${JSON.stringify(from.namespace)} (its SecureNamespace istio: { injection: true }), or set istio.mtls: 'PERMISSIVE' in ${JSON.stringify(to.namespace)}`];
}

/**
 * Lets the pods of every namespace open connections to `to` on `port`: the receiver's ingress
 * NetworkPolicy `<to>-from-cluster` from `namespaceSelector: {}` once its namespace denies
 * ingress, and the ALLOW AuthorizationPolicy of the same name for any mesh identity once its mesh
 * denies by default, each in the receiver's chart. Declaring it again only adds the port.
 */
export function allowFromEveryNamespace(scope: Construct, to: INetworkPeer, port: number): void {
  const registry = getOrInsert(CLUSTER_CALLERS, scope.node.root, () => new Map());
  const key = `${to.namespace}/${to.name}`;
  const existing = registry.get(key);
  if (existing) {
    existing.add(port);
    return;
  }
  const ports = new Set([port]);
  registry.set(key, ports);
  const receiver = NamespacePolicies.of(scope, to.namespace);
  const atReceiver = placementOf(to);
  const name = `${to.name}-from-cluster`;
  const signature = `from-cluster:${key}`;
  receiver.whenDenied('Ingress', () => receiver.getOrCreate(scope, name, signature, n => createNetworkPolicy(atReceiver, `NetworkPolicy-${to.namespace}-${n}`, {
    name: n,
    namespace: to.namespace,
    component: 'network-policy',
    spec: { podSelector: { matchLabels: to.selector }, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: {} }], ports: lazy(() => tcpPorts(ports)) }] },
  }), 'NetworkPolicy', true));
  receiver.whenMeshDeniesByDefault(() => receiver.getOrCreate(scope, name, signature, n => createMeshAllowance(atReceiver, `AuthorizationPolicy-${to.namespace}-${n}`, {
    name: n,
    namespace: to.namespace,
    selector: to.selector,
    source: { principals: ['*'] },
    ports: lazy(() => [...ports].sort((a, b) => a - b).map(String)),
  }), 'AuthorizationPolicy', true));
}
