import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { AppProtocol } from './container-basics';
import { allowApiServer } from './internal/network/api-server-access';
import { monitorOwnPods, OwnMetricsOptions } from './internal/observability/workload-metrics';
import { WorkloadFoundation } from './internal/workload/workload-foundation';
import { INetworkPeer } from './network-peer';

/**
 * What every workload construct of this library is: hardened pods with their own identity (a
 * ServiceAccount without a token), their labels and ports, and the ConfigMaps of `config` and
 * `files`. `WebApp`, `Worker`, `StatefulApp`, `ScheduledJob`, `CanaryRelease` (and its tracks)
 * and `ProgressiveRelease` extend it; network policies, objectives and reports can name any of
 * them. Not constructed directly.
 */
export abstract class HardenedWorkload extends Construct implements INetworkPeer {
  /**
   * The name of the workload's objects: the object owning its pods (Deployment, StatefulSet,
   * CronJob, Rollout), its Service and ServiceAccount; a `CanaryRelease` track's is `<release>-<track>`.
   */
  public readonly name: string;
  /** The namespace the objects are created in. */
  public readonly namespace: string;
  /** The main container port, when the workload declares one. */
  public readonly port?: number;
  /** The container ports the pods listen on (the main port, `ports` and the sidecars'). */
  public readonly containerPorts: readonly number[];
  /** The named container ports: name → number. */
  public readonly portNames: Readonly<Record<string, number>>;
  /** The protocol of the main port, and of the ports whose name names none. */
  public readonly appProtocol: AppProtocol;
  /** The labels that select the workload's pods. */
  public readonly selector: Record<string, string>;
  /** The name of the pods' ServiceAccount (their identity for network and mesh policies). */
  public readonly serviceAccountName: string;
  /** The pods' own ServiceAccount (a `CanaryRelease`'s, shared by its tracks). */
  public readonly serviceAccount: ApiObject;
  /** The ConfigMap `<name>-config`, when `config` is given. */
  public readonly configMap?: ApiObject;
  /** The ConfigMap `<name>-files` the pods mount, when `files` is given. */
  public readonly filesConfigMap?: ApiObject;
  /**
   * The container port serving Prometheus metrics, when `metrics` is given (a `CanaryRelease`
   * track has none of its own: its series are the release's, labelled `track`).
   */
  public readonly metricsPort?: number;

  /** @internal What the workload was built from: its resolved options, labels and shared objects. */
  protected readonly _foundation: WorkloadFoundation;

  private monitors: { readonly serviceMonitor?: ApiObject; readonly podMonitor?: ApiObject } = {};

  /**
   * Marks the instance with `brand` (for the `is<Construct>()` checks across package copies) and
   * takes the first steps every workload takes: `found` resolves the props and creates the
   * shared objects in the new construct.
   */
  protected constructor(scope: Construct, id: string, brand: symbol, found: (self: Construct) => WorkloadFoundation) {
    super(scope, id);
    Object.defineProperty(this, brand, { value: true });
    const foundation = found(this);
    this._foundation = foundation;
    this.name = foundation.name;
    this.namespace = foundation.namespace;
    this.port = foundation.port;
    this.appProtocol = foundation.workload.appProtocol;
    this.containerPorts = foundation.workload.ports.map(p => p.port);
    this.portNames = Object.fromEntries(foundation.workload.ports.map(p => [p.name, p.port]));
    this.selector = foundation.selector;
    this.serviceAccountName = foundation.workload.serviceAccountName;
    this.serviceAccount = foundation.serviceAccount;
    this.configMap = foundation.configMap;
    this.filesConfigMap = foundation.filesConfigMap;
    this.metricsPort = foundation.metricsPort;
  }

  /**
   * The ServiceMonitor `<name>` scraping the pods through the Service `<name>`, when `metrics` is
   * given to a workload with a Service (unless `metrics.service` is false).
   */
  public get serviceMonitor(): ApiObject | undefined {
    return this.monitors.serviceMonitor;
  }

  /**
   * The PodMonitor `<name>` scraping the pods, when `metrics` is given to a workload without a
   * Service (a `Worker`, a `ScheduledJob`'s runs) or with `metrics.service: false`.
   */
  public get podMonitor(): ApiObject | undefined {
    return this.monitors.podMonitor;
  }

  /**
   * @internal Creates the monitor of `metrics`, and makes the ports Prometheus and other
   * plain-text clients scrape or call accept plain text under STRICT mTLS.
   */
  protected _monitor(options: OwnMetricsOptions): void {
    this.monitors = monitorOwnPods(this, this._foundation, options);
  }

  /**
   * @internal Lets the pods reach the API server (`serviceAccount.apiServer`) wherever their
   * namespace denies egress: the NetworkPolicy `<name>-to-api-server`.
   */
  protected _allowApiServer(): void {
    if (this._foundation.apiServer) allowApiServer(this, this, this._foundation.apiServer);
  }
}
