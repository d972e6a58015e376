import { ConnectionVerdict, connectionVerdict, readManifests, Workload } from '../internal/network/network-reachability';
import { plusPeer } from '../internal/network/plus-peer';
import { isNetworkPeer, INetworkPeer } from '../network-peer';
import { IPlusWorkload, isPlusWorkload } from '../plus-workload';
import { Manifest } from './problems';

/**
 * One end of a connection: what `NetworkPolicyBundle.allow()` takes — a workload construct of
 * this library (`WebApp`, `CanaryRelease`, …) or a cdk8s-plus `Deployment`/`StatefulSet` — or a
 * name: `'<namespace>/<name>'` or `'<name>'` of a Deployment, StatefulSet, DaemonSet, Job or
 * CronJob, or of a Service (meaning every workload it selects, e.g. both tracks of a canary).
 */
export type TrafficEndpoint = string | INetworkPeer | IPlusWorkload;

/** One sender/receiver pair and what the NetworkPolicies say about it. */
export interface TrafficPair {
  /** `<namespace>/<workload>` of the sender. */
  readonly from: string;
  /** `<namespace>/<workload>` of the receiver. */
  readonly to: string;
  /** The receiver's container ports this pair was checked on. */
  readonly ports: readonly number[];
  /** The ports among `ports` on which the connection is allowed. */
  readonly allowedPorts: readonly number[];
  /**
   * The verdict on the first port that is denied.
   * @default - none: every port in `ports` is allowed
   */
  readonly denial?: TrafficDenial;
}

/** Why one connection is denied: the sides whose policies deny it, on which port. */
export interface TrafficDenial extends ConnectionVerdict {
  /** The receiver's container port. */
  readonly port: number;
}

/**
 * Checks, with the same model as `reachabilityReport()`, whether the workloads of `from` may
 * connect to the workloads of `to` on `port` (a container port's number or name, as `allow()`
 * takes it; without a port, each container port the receiver declares), from the synthesised
 * NetworkPolicies. Throws when an endpoint matches no
 * workload or when a receiver does not listen on `port`.
 */
export function trafficPairs(objects: readonly Manifest[], from: TrafficEndpoint, to: TrafficEndpoint, port?: number | string): TrafficPair[] {
  const model = readManifests(objects);
  const senders = resolveEndpoint(objects, model.workloads, from);
  const receivers = resolveEndpoint(objects, model.workloads, to);
  const pairs: TrafficPair[] = [];
  for (const receiver of receivers) {
    const declared = receiver.ports.filter((p) => p.protocol === 'TCP');
    const checked = port === undefined ? declared : declared.filter((p) => p.port === port || p.name === port);
    if (port !== undefined && checked.length === 0) {
      const listed = declared.map((p) => (p.name ? `${p.port} (${p.name})` : `${p.port}`)).join(', ') || 'none';
      throw new Error(`${receiver.id} does not listen on port ${JSON.stringify(port)} (its container ports: ${listed})`);
    }
    for (const sender of senders) {
      const verdicts = checked.map((p) => ({ ...connectionVerdict(model, sender, receiver, p), port: p.port }));
      pairs.push({
        from: sender.id,
        to: receiver.id,
        ports: checked.map((p) => p.port),
        allowedPorts: verdicts.filter((v) => v.ingress && v.egress).map((v) => v.port),
        denial: verdicts.find((v) => !(v.ingress && v.egress)),
      });
    }
  }
  return pairs;
}

/** Describes an endpoint for messages. */
export function endpointText(endpoint: TrafficEndpoint): string {
  if (typeof endpoint === 'string') return endpoint;
  const peer = asPeer(endpoint);
  return peer ? `${peer.namespace}/${peer.name}` : String(endpoint);
}

/** A construct endpoint as policies see it (a cdk8s-plus workload read as `allow()` reads it). */
function asPeer(endpoint: unknown): INetworkPeer | undefined {
  if (isNetworkPeer(endpoint)) return endpoint;
  return isPlusWorkload(endpoint) ? plusPeer(endpoint) : undefined;
}

function resolveEndpoint(objects: readonly Manifest[], workloads: readonly Workload[], given: TrafficEndpoint): Workload[] {
  const endpoint = asPeer(given) ?? given;
  if (isNetworkPeer(endpoint)) {
    const hits = workloads.filter((w) => w.namespace === endpoint.namespace
      && Object.entries(endpoint.selector).every(([k, v]) => w.labels[k] === v));
    if (hits.length === 0) throw new Error(`no synthesised workload runs the pods of ${endpoint.node.path} (${endpointText(endpoint)})`);
    return hits;
  }
  if (typeof endpoint !== 'string' || endpoint === '') {
    throw new Error(`a traffic endpoint is a workload construct of this library, a cdk8s-plus Deployment or StatefulSet, or a "<namespace>/<name>" string, received ${String(endpoint)}`);
  }
  const [ns, name] = endpoint.includes('/') ? endpoint.split('/', 2) : [undefined, endpoint];
  const inNs = (namespace: string) => ns === undefined || namespace === ns;
  const byName = workloads.filter((w) => inNs(w.namespace) && w.id === `${w.namespace}/${name}`);
  const hits = byName.length > 0 ? byName : workloadsOfService(objects, workloads, name, inNs);
  const namespaces = [...new Set(hits.map((w) => w.namespace))];
  if (namespaces.length > 1) throw new Error(`"${endpoint}" is ambiguous: it names workloads in namespaces ${namespaces.join(', ')}; write "<namespace>/${name}"`);
  if (hits.length === 0) {
    throw new Error(`no workload or Service named "${endpoint}" (workloads: ${workloads.map((w) => w.id).join(', ') || 'none'})`);
  }
  return hits;
}

function workloadsOfService(objects: readonly Manifest[], workloads: readonly Workload[], name: string, inNs: (ns: string) => boolean): Workload[] {
  const services = objects.filter((o) => o?.kind === 'Service' && o.metadata?.name === name && inNs(o.metadata.namespace ?? 'default'));
  return services.flatMap((svc) => {
    const selector: Record<string, string> = svc.spec?.selector ?? {};
    if (Object.keys(selector).length === 0) return [];
    return workloads.filter((w) => w.namespace === (svc.metadata.namespace ?? 'default')
      && Object.entries(selector).every(([k, v]) => w.labels[k] === v));
  });
}
