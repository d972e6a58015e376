import { IConstruct } from 'constructs';

/**
 * A workload that network and mesh policies can name as a sender or receiver: a `WebApp`, a
 * `CanaryRelease`, a `Worker`, a `StatefulApp`, a `ScheduledJob`, or another workload of this
 * library.
 */
export interface INetworkPeer extends IConstruct {
  /** The workload's name (its Service name), used in reports and errors. */
  readonly name: string;
  /** The namespace its pods run in. */
  readonly namespace: string;
  /** Labels that select every pod of the workload. */
  readonly selector: Record<string, string>;
  /**
   * The container port a peer reaches by default.
   * @default - none: the workload listens on no port (a `Worker` or `ScheduledJob` without `port`)
   */
  readonly port?: number;
  /** Every container port the pods listen on (NetworkPolicy ports are container ports). */
  readonly containerPorts: readonly number[];
  /**
   * The named container ports (name → number), so that policies can name a port.
   * @default - ports can only be given by number
   */
  readonly portNames?: Readonly<Record<string, number>>;
  /** The pods' ServiceAccount: their identity in the mesh. */
  readonly serviceAccountName: string;
  /**
   * The pods are Istio proxies themselves (an Istio gateway's): they have a mesh identity and
   * speak mTLS whatever their namespace's sidecar injection.
   * @default false
   */
  readonly meshProxy?: boolean;
}

/** Whether `x` is a workload that policies can name. */
export function isNetworkPeer(x: unknown): x is INetworkPeer {
  const peer = x as INetworkPeer;
  return typeof x === 'object' && x !== null && typeof peer.namespace === 'string' && typeof peer.selector === 'object'
    && Array.isArray(peer.containerPorts) && typeof peer.serviceAccountName === 'string';
}
