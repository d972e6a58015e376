import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { NamespacePolicies } from './namespace-policies';
import { INetworkPeer } from '../../network-peer';
import { getOrInsert } from '../core/get-or-insert';
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
  const flows = getOrInsert(FLOWS, root, () => {
    const all: StrictPortFlow[] = [];
    // one validation for every flow of the App: the objects are read once
    scope.node.addValidation({ validate: () => strictPortProblems(root, all) });
    return all;
  });
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
  const index = indexObjects(root, new Set(strict.map(f => f.to.namespace)));
  const problems: string[] = [];
  for (const flow of strict) {
    const labels = podLabels(flow.to);
    const here = index.get(flow.to.namespace)!;
    if (here.services.some(svc => exposes(svc, labels, flow.to, flow.port)) || here.permissive.some(pa => opens(pa, labels, flow.port))) continue;
    const mesh = NamespacePolicies.of(root, flow.to.namespace).meshSettings!;
    problems.push(`${flow.scope.node.path}: invalid allow.port ${flow.port}: allow(${flow.from.node.path}, ${flow.to.node.path}, ${flow.port}) opens a port that no Service of ${flow.to.node.path} exposes, and namespace ${JSON.stringify(flow.to.namespace)} (${mesh.path}) enforces STRICT mTLS: ${JSON.stringify(flow.from.name)} can only dial the pod IP, which Istio's sidecar passes through in plain text, and the receiver refuses it, although the policies say open. Expose the port on a Service (a port without expose: false on a workload with a Service), or accept plain text on it with a PeerAuthentication selecting the pods with portLevelMtls { "${flow.port}": { mode: "PERMISSIVE" } }, as metrics does`);
  }
  return problems;
}

type ServiceSpec = { selector?: Record<string, string>; ports?: Array<{ port?: number; targetPort?: number | string }> };
type PeerAuthenticationSpec = { selector?: { matchLabels?: Record<string, string> }; portLevelMtls?: Record<string, { mode?: string }> };

interface NamespaceObjects { readonly services: ServiceSpec[]; readonly permissive: PeerAuthenticationSpec[] }

/** The Services and PeerAuthentications of the namespaces, each read once. */
function indexObjects(root: IConstruct, namespaces: ReadonlySet<string>): Map<string, NamespaceObjects> {
  const index = new Map<string, NamespaceObjects>([...namespaces].map(ns => [ns, { services: [], permissive: [] }]));
  for (const object of root.node.findAll()) {
    if (!ApiObject.isApiObject(object) || (object.kind !== 'Service' && object.kind !== 'PeerAuthentication')) continue;
    const entry = index.get(object.metadata.namespace ?? namespaceOf(object));
    if (!entry) continue;
    const spec = (object.toJson() as { spec?: ServiceSpec & PeerAuthenticationSpec }).spec ?? {};
    if (object.kind === 'Service' && object.apiVersion === 'v1') entry.services.push(spec);
    if (object.kind === 'PeerAuthentication') entry.permissive.push(spec);
  }
  return index;
}

/** The labels of the receiver's pods (its pod templates'), or its selector when it owns none here. */
function podLabels(to: INetworkPeer): Record<string, string> {
  const owner = to.node.findAll().filter(ApiObject.isApiObject).find(o => POD_OWNER_KINDS.includes(o.kind));
  return (owner && finalPodTemplate(owner)?.metadata?.labels) ?? to.selector;
}

function selects(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  return Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);
}

/** Whether the Service selects the pods and forwards to `port` (by number or by the port's name). */
function exposes(spec: ServiceSpec, labels: Record<string, string>, to: INetworkPeer, port: number): boolean {
  if (!spec.selector || Object.keys(spec.selector).length === 0 || !selects(spec.selector, labels)) return false;
  return (spec.ports ?? []).some(p => {
    const target = p.targetPort ?? p.port;
    return typeof target === 'string' ? to.portNames?.[target] === port : target === port;
  });
}

/** Whether the PeerAuthentication selects the pods and accepts plain text on `port`. */
function opens(spec: PeerAuthenticationSpec, labels: Record<string, string>, port: number): boolean {
  if (spec.selector && !selects(spec.selector.matchLabels, labels)) return false;
  const mode = spec.portLevelMtls?.[String(port)]?.mode;
  return mode === 'PERMISSIVE' || mode === 'DISABLE';
}
