import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { NamespacePolicies } from './namespace-policies';
import { INetworkPeer } from '../../network-peer';
import { namespaceOf } from '../core/name-registry';
import { finalPodTemplate, POD_OWNER_KINDS } from '../workload/pod-templates';

/** One `allow(from, to, port)` to check once the whole App is known. */
interface StrictPortFlow {
  readonly scope: IConstruct;
  readonly from: INetworkPeer;
  readonly to: INetworkPeer;
  readonly port: number;
}

const FLOWS = new WeakMap<IConstruct, StrictPortFlow[]>();

/**
 * Records a flow to a container port, checked at synthesis: where the receiver's namespace
 * enforces STRICT mutual TLS, the port must be one a Service exposes (a Service selecting the
 * receiver's pods whose target is that port) or one a PeerAuthentication opens PERMISSIVE.
 * Otherwise the sender can only dial the pod IP; Istio's sidecar knows no service there and
 * passes the connection through in plain text, which the receiver's sidecar refuses under
 * STRICT — while the NetworkPolicies, the AuthorizationPolicies and the report say open.
 * @see https://istio.io/latest/docs/ops/configuration/traffic-management/traffic-routing/#unmatched-traffic
 */
export function checkStrictPort(scope: IConstruct, from: INetworkPeer, to: INetworkPeer, port: number): void {
  const root = scope.node.root;
  let flows = FLOWS.get(root);
  if (!flows) {
    flows = [];
    FLOWS.set(root, flows);
    const all = flows;
    // one validation for every flow of the App: the objects are read once
    scope.node.addValidation({ validate: () => strictPortProblems(root, all) });
  }
  flows.push({ scope, from, to, port });
}

function strictPortProblems(root: IConstruct, flows: readonly StrictPortFlow[]): string[] {
  const strict = flows.filter(f => {
    const mesh = NamespacePolicies.of(root, f.to.namespace).meshSettings;
    const sender = NamespacePolicies.of(root, f.from.namespace).meshSettings;
    // a sender without sidecars is reported by the flow's own check (it speaks plain text anyway)
    return mesh?.sidecars === true && mesh.mtls === 'STRICT' && sender?.sidecars !== false;
  });
  if (strict.length === 0) return [];
  const objects = root.node.findAll().filter(ApiObject.isApiObject);
  const problems: string[] = [];
  for (const flow of strict) {
    if (reachableThroughService(objects, flow.to, flow.port) || openedPermissive(objects, flow.to, flow.port)) continue;
    const mesh = NamespacePolicies.of(root, flow.to.namespace).meshSettings!;
    problems.push(`${flow.scope.node.path}: invalid allow.port ${flow.port}: allow(${flow.from.node.path}, ${flow.to.node.path}, ${flow.port}) opens a port that no Service of ${flow.to.node.path} exposes, and namespace ${JSON.stringify(flow.to.namespace)} (${mesh.path}) enforces STRICT mTLS: ${JSON.stringify(flow.from.name)} can only dial the pod IP, which Istio's sidecar passes through in plain text, and the receiver refuses it, although the policies say open. Expose the port on a Service (a port without expose: false on a workload with a Service), or accept plain text on it with a PeerAuthentication selecting the pods with portLevelMtls { "${flow.port}": { mode: "PERMISSIVE" } }, as metrics does`);
  }
  return problems;
}

/** The labels of the receiver's pods (its pod templates'), or its selector when it owns none here. */
function podLabels(to: INetworkPeer): Record<string, string> {
  const owner = to.node.findAll().filter(ApiObject.isApiObject).find(o => POD_OWNER_KINDS.includes(o.kind));
  return (owner && finalPodTemplate(owner)?.metadata?.labels) ?? to.selector;
}

function selects(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  return Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);
}

function namespaceOfObject(object: ApiObject): string {
  return object.metadata.namespace ?? namespaceOf(object);
}

function reachableThroughService(objects: readonly ApiObject[], to: INetworkPeer, port: number): boolean {
  const labels = podLabels(to);
  return objects.some(object => {
    if (object.kind !== 'Service' || object.apiVersion !== 'v1' || namespaceOfObject(object) !== to.namespace) return false;
    type ServiceSpec = { selector?: Record<string, string>; ports?: Array<{ port?: number; targetPort?: number | string }> };
    const spec = (object.toJson() as { spec?: ServiceSpec }).spec;
    if (!spec?.selector || Object.keys(spec.selector).length === 0 || !selects(spec.selector, labels)) return false;
    return (spec.ports ?? []).some(p => {
      const target = p.targetPort ?? p.port;
      return typeof target === 'string' ? to.portNames?.[target] === port : target === port;
    });
  });
}

function openedPermissive(objects: readonly ApiObject[], to: INetworkPeer, port: number): boolean {
  const labels = podLabels(to);
  return objects.some(object => {
    if (object.kind !== 'PeerAuthentication' || namespaceOfObject(object) !== to.namespace) return false;
    type PeerAuthenticationSpec = { selector?: { matchLabels?: Record<string, string> }; portLevelMtls?: Record<string, { mode?: string }> };
    const spec = (object.toJson() as { spec?: PeerAuthenticationSpec }).spec;
    if (spec?.selector && !selects(spec.selector.matchLabels, labels)) return false;
    const mode = spec?.portLevelMtls?.[String(port)]?.mode;
    return mode === 'PERMISSIVE' || mode === 'DISABLE';
  });
}
