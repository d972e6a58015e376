/* Computes allowed flows from synthesised NetworkPolicy JSON, following the Kubernetes semantics:
 * a pod is isolated in a direction when a policy of that type selects it; then only the union of
 * the selecting policies' rules is allowed; a connection needs the sender's egress and the
 * receiver's ingress to allow it. */

/** The parts of a synthesised object the report reads. */
interface Obj {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
}
interface Selector { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> }
interface Peer { podSelector?: Selector; namespaceSelector?: Selector; ipBlock?: { cidr: string; except?: string[] } }
interface Port { port?: number | string; protocol?: string; endPort?: number }
interface Rule { peers?: Peer[]; ports?: Port[] }
interface Template {
  metadata?: { labels?: Record<string, string> };
  spec?: { containers?: Array<{ ports?: Array<{ containerPort: number; name?: string; protocol?: string }> }> };
}
interface PolicySpec {
  podSelector?: Selector;
  policyTypes?: string[];
  ingress?: Array<{ from?: Peer[]; ports?: Port[] }>;
  egress?: Array<{ to?: Peer[]; ports?: Port[] }>;
}
interface Policy { name: string; namespace: string; podSelector: Selector; types: string[]; ingress: Rule[]; egress: Rule[] }

/** A pod-owning workload found in the manifests. */
export interface Workload {
  readonly id: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly ports: ReadonlyArray<{ port: number; name?: string; protocol: string }>;
}

/** One allowed connection: `from → to:port/protocol`. */
export interface ComputedFlow {
  readonly from: string;
  readonly to: string;
  readonly port: string;
  readonly protocol: string;
}

const POD_OWNERS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Rollout'];
const NS_LABEL = 'kubernetes.io/metadata.name';
/** The label Istio's automated deployment puts on a Gateway API Gateway's pods. */
const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

/**
 * A Gateway API Gateway as the workload its implementation deploys: pods labelled with the
 * Gateway's name, listening on the listener ports. Its id says it is a gateway.
 */
function gatewayWorkload(o: Obj, ns: string): Workload {
  const listeners = ((o.spec as { listeners?: Array<{ port?: number }> } | undefined)?.listeners ?? []);
  const ports = [...new Set(listeners.map(l => l.port).filter((p): p is number => typeof p === 'number'))].sort((a, b) => a - b);
  return { id: `${ns}/${o.metadata?.name} (Gateway)`, namespace: ns, labels: { [GATEWAY_NAME_LABEL]: o.metadata?.name ?? '' }, ports: ports.map(port => ({ port, protocol: 'TCP' })) };
}

export function matches(selector: Selector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const value = labels[e.key];
    if (e.operator === 'In' && !(has && (e.values ?? []).includes(value))) return false;
    if (e.operator === 'NotIn' && has && (e.values ?? []).includes(value)) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

function selectorText(selector: Selector | undefined): string {
  const parts = Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector?.matchExpressions ?? []) parts.push(`${e.key} ${e.operator}${e.values ? ` (${e.values.join(',')})` : ''}`);
  return parts.length === 0 ? '*' : `{${parts.join(',')}}`;
}

function namespaceName(selector: Selector | undefined): string {
  const name = selector?.matchLabels?.[NS_LABEL];
  if (name && Object.keys(selector?.matchLabels ?? {}).length === 1 && !(selector?.matchExpressions?.length)) return name;
  return selectorText(selector) === '*' ? '*' : `ns${selectorText(selector)}`;
}

const isObject = (x: unknown): x is object => typeof x === 'object' && x !== null;

/**
 * The rules of a policy as the API server decodes them: a null rule is an empty one (every peer,
 * every port), a null port is every port; null peers select nothing, so a rule with only null
 * peers allows nothing.
 */
function rulesOf(rules: unknown, peersKey: 'from' | 'to'): Rule[] {
  if (!Array.isArray(rules)) return [];
  const out: Rule[] = [];
  for (const rule of rules as Array<Record<string, unknown> | null>) {
    if (!isObject(rule)) {
      out.push({});
      continue;
    }
    const rawPeers = rule[peersKey];
    const peers = Array.isArray(rawPeers) ? rawPeers.filter(isObject) as Peer[] : undefined;
    if (Array.isArray(rawPeers) && rawPeers.length > 0 && peers!.length === 0) continue;
    const ports = Array.isArray(rule.ports) ? (rule.ports as unknown[]).map(p => (isObject(p) ? p : {}) as Port) : undefined;
    out.push({ peers, ports });
  }
  return out;
}

/** What the report reads from the manifests. */
export interface ManifestModel {
  readonly workloads: Workload[];
  readonly policies: Policy[];
  readonly namespaceLabels: Map<string, Record<string, string>>;
}

/** Reads workloads, namespace labels and NetworkPolicies out of the manifests. */
export function readManifests(objects: readonly object[]): ManifestModel {
  const workloads: Workload[] = [];
  const policies: Policy[] = [];
  const namespaceLabels = new Map<string, Record<string, string>>();
  for (const o of objects as Obj[]) {
    if (typeof o !== 'object' || o === null) continue;
    const ns = o.metadata?.namespace ?? 'default';
    if (o.kind === 'Namespace' && o.metadata?.name) namespaceLabels.set(o.metadata.name, { ...o.metadata.labels, [NS_LABEL]: o.metadata.name });
    if (o.kind && POD_OWNERS.includes(o.kind)) {
      const spec = o.spec as { template?: Template; jobTemplate?: { spec?: { template?: Template } } } | undefined;
      const template = spec?.template ?? spec?.jobTemplate?.spec?.template;
      const ports = (template?.spec?.containers ?? []).flatMap(c => c.ports ?? []).map(p => ({ port: p.containerPort, name: p.name, protocol: p.protocol ?? 'TCP' }));
      workloads.push({ id: `${ns}/${o.metadata?.name}`, namespace: ns, labels: template?.metadata?.labels ?? {}, ports });
    }
    if (o.kind === 'Gateway' && o.apiVersion?.startsWith('gateway.networking.k8s.io/')) workloads.push(gatewayWorkload(o, ns));
    if (o.kind === 'NetworkPolicy') {
      const spec = (o.spec ?? {}) as PolicySpec;
      const types = spec.policyTypes ?? (spec.egress ? ['Ingress', 'Egress'] : ['Ingress']);
      policies.push({
        name: o.metadata?.name ?? '',
        namespace: ns,
        podSelector: spec.podSelector ?? {},
        types,
        ingress: rulesOf(spec.ingress, 'from'),
        egress: rulesOf(spec.egress, 'to'),
      });
    }
  }
  return { workloads, policies, namespaceLabels };
}

/** Whether one connection is allowed, and which side's policies decide. */
export interface ConnectionVerdict {
  /** The receiver's ingress allows it (true when no ingress policy selects the receiver). */
  readonly ingress: boolean;
  /** The sender's egress allows it (true when no egress policy selects the sender). */
  readonly egress: boolean;
  /** Names of the NetworkPolicies selecting the receiver for ingress. */
  readonly ingressPolicies: string[];
  /** Names of the NetworkPolicies selecting the sender for egress. */
  readonly egressPolicies: string[];
}

type WorkloadPort = { port: number; name?: string; protocol: string };

/** The Kubernetes NetworkPolicy semantics over one set of manifests. */
function policyChecks(model: ManifestModel) {
  const { policies, namespaceLabels } = model;
  const nsLabels = (ns: string) => namespaceLabels.get(ns) ?? { [NS_LABEL]: ns };
  const selected = new Map<string, Policy[]>();
  const selecting = (w: Workload, type: 'Ingress' | 'Egress') => {
    const key = `${type} ${w.id}`;
    let hit = selected.get(key);
    if (!hit) {
      hit = policies.filter(p => p.namespace === w.namespace && p.types.includes(type) && matches(p.podSelector, w.labels));
      selected.set(key, hit);
    }
    return hit;
  };
  const peerMatches = (peer: Peer, policyNs: string, w: Workload) => {
    if (peer.ipBlock) return false;
    if (peer.namespaceSelector) return matches(peer.namespaceSelector, nsLabels(w.namespace)) && matches(peer.podSelector, w.labels);
    return w.namespace === policyNs && matches(peer.podSelector, w.labels);
  };
  const portAllowed = (ports: Port[] | undefined, p: WorkloadPort) => !ports || ports.length === 0
    || ports.some(x => (x.protocol ?? 'TCP') === p.protocol && (x.port === undefined || x.port === p.port || x.port === p.name || (typeof x.port === 'number' && x.endPort !== undefined && p.port >= x.port && p.port <= x.endPort)));
  const allows = (rules: Rule[], policyNs: string, other: Workload, port: WorkloadPort) =>
    rules.some(r => (!r.peers || r.peers.length === 0 || r.peers.some(peer => peerMatches(peer, policyNs, other))) && portAllowed(r.ports, port));
  const verdict = (sender: Workload, receiver: Workload, port: WorkloadPort): ConnectionVerdict => {
    const ingress = selecting(receiver, 'Ingress');
    const egress = selecting(sender, 'Egress');
    return {
      ingress: ingress.length === 0 || ingress.some(p => allows(p.ingress, p.namespace, sender, port)),
      egress: egress.length === 0 || egress.some(p => allows(p.egress, p.namespace, receiver, port)),
      ingressPolicies: ingress.map(p => p.name),
      egressPolicies: egress.map(p => p.name),
    };
  };
  return { selecting, peerMatches, verdict };
}

/**
 * Whether `sender` may open a connection to `receiver` on one of the receiver's declared
 * container ports, by the same rules as {@link computeFlows}.
 */
export function connectionVerdict(model: ManifestModel, sender: Workload, receiver: Workload, port: WorkloadPort): ConnectionVerdict {
  return policyChecks(model).verdict(sender, receiver, port);
}

/** Every allowed flow between the workloads, and to/from the peers outside them. */
export function computeFlows(objects: readonly object[]): ComputedFlow[] {
  const model = readManifests(objects);
  const { workloads } = model;
  const { selecting, peerMatches, verdict } = policyChecks(model);
  const flows: ComputedFlow[] = [];
  const add = (from: string, to: string, port: string, protocol: string) => flows.push({ from, to, port, protocol });

  for (const receiver of workloads) {
    const ingress = selecting(receiver, 'Ingress');
    // a workload's pods reach each other (a StatefulApp's members, `allow(db, db)`) like any pair
    for (const sender of workloads) {
      for (const port of receiver.ports) {
        const v = verdict(sender, receiver, port);
        if (v.ingress && v.egress) add(sender.id, receiver.id, String(port.port), port.protocol);
      }
    }
    if (ingress.length === 0) {
      add('(anywhere)', receiver.id, '*', 'any');
      continue;
    }
    for (const policy of ingress) {
      for (const rule of policy.ingress) {
        for (const peer of externalPeers(rule.peers, policy.namespace, workloads, peerMatches)) {
          for (const port of rule.ports && rule.ports.length > 0 ? rule.ports : [{}]) add(peer, receiver.id, String(port.port ?? '*'), port.port === undefined ? 'any' : port.protocol ?? 'TCP');
        }
      }
    }
  }
  for (const sender of workloads) {
    const egress = selecting(sender, 'Egress');
    if (egress.length === 0) {
      add(sender.id, '(anywhere)', '*', 'any');
      continue;
    }
    for (const policy of egress) {
      for (const rule of policy.egress) {
        for (const peer of externalPeers(rule.peers, policy.namespace, workloads, peerMatches)) {
          for (const port of rule.ports && rule.ports.length > 0 ? rule.ports : [{}]) add(sender.id, peer, String(port.port ?? '*'), port.port === undefined ? 'any' : port.protocol ?? 'TCP');
        }
      }
    }
  }
  const seen = new Set<string>();
  return flows.filter(f => {
    const key = `${f.from}|${f.to}|${f.port}|${f.protocol}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }).sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to) || comparePorts(a.port, b.port) || a.protocol.localeCompare(b.protocol));
}

function comparePorts(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  return Number.isNaN(na) || Number.isNaN(nb) ? a.localeCompare(b) : na - nb;
}

/** The peers of a rule that select none of the known workloads, described for a reader. */
function externalPeers(peers: Peer[] | undefined, policyNs: string, workloads: Workload[],
  peerMatches: (peer: Peer, ns: string, w: Workload) => boolean): string[] {
  if (!peers || peers.length === 0) return ['(anywhere)'];
  // a namespace selector that names no single namespace (`{}`: every namespace) also selects pods
  // of namespaces outside the manifests
  const opensUnlisted = (peer: Peer) => peer.namespaceSelector !== undefined
    && namespaceName(peer.namespaceSelector) !== peer.namespaceSelector.matchLabels?.[NS_LABEL];
  return peers.filter(peer => opensUnlisted(peer) || !workloads.some(w => peerMatches(peer, policyNs, w))).map(peer => {
    if (peer.ipBlock) return `${peer.ipBlock.cidr}${peer.ipBlock.except?.length ? ` except ${peer.ipBlock.except.join(',')}` : ''}`;
    const ns = peer.namespaceSelector ? namespaceName(peer.namespaceSelector) : policyNs;
    return `${ns}/${selectorText(peer.podSelector)}`;
  });
}
