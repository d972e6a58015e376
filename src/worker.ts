import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { recommendedLabels, selectorLabels } from './internal/core/labels';
import { claimName, namespaceOf } from './internal/core/name-registry';
import { checkInteger } from './internal/core/validate';
import { monitorWorkload } from './internal/observability/workload-metrics';
import { validateProps } from './internal/validation/validate-props';
import { checkPinnedImage, imageVersionLabel } from './internal/workload/image';
import { resolveOptionalPortWorkload } from './internal/workload/optional-port';
import { WorkloadDeployment } from './internal/workload/workload-deployment';
import { createWorkloadSupport } from './internal/workload/workload-support';
import { INetworkPeer } from './network-peer';
import { IScalableWorkload, ResourceRequests, ScaleTargetRef } from './scalable';
import { DeploymentOptions, Probes, WorkloadOptions } from './workload-options';

const WORKER_BRAND = Symbol.for('cloudnative-constructs.Worker');

/**
 * Properties of a {@link Worker}.
 */
export interface WorkerProps extends WorkloadOptions, DeploymentOptions {
  /**
   * The container image, pinned by a release tag (with a version number, not a channel such as `latest`, `stable` or `lts`) or a digest.
   * @example 'ghcr.io/acme/worker:0.9.1'
   */
  readonly image: string;
  /**
   * Number of pods. Ignored in favour of the autoscaler's count once an `Autoscaled` targets
   * the worker (the Deployment then omits `spec.replicas`).
   * @default 2
   */
  readonly replicas?: number;
  /**
   * A container port the worker listens on (health checks, metrics). A worker has no Service;
   * peers allowed to it by a `NetworkPolicyBundle` reach its pods directly on this port.
   * @default - no port: the container declares none
   */
  readonly port?: number;
  /**
   * Readiness, liveness and startup probes. A worker gets none by default: without a port there
   * is nothing a default could check, and a consumer's health is best told by a command. A path
   * string is an HTTP GET on `port`.
   * @default - no probes
   */
  readonly probes?: Probes;
}

/**
 * A hardened background workload (a queue consumer, a stream processor): a Deployment whose pods
 * meet the Pod Security Standards restricted profile, its own ServiceAccount without a token and
 * a PodDisruptionBudget when it runs two or more pods, but no Service. `Autoscaled` can scale it
 * and `NetworkPolicyBundle.allow()` can name it (typically as the sender).
 */
export class Worker extends Construct implements IScalableWorkload, INetworkPeer {
  /** Whether `x` is a Worker (works across copies of this package). */
  public static isWorker(x: unknown): x is Worker {
    return typeof x === 'object' && x !== null && WORKER_BRAND in x;
  }

  /** The name of the Deployment and the other objects. */
  public readonly name: string;
  /** The namespace the objects are created in. */
  public readonly namespace: string;
  /** The container port, when the worker declares one. */
  public readonly port?: number;
  /** The container ports the pods listen on (`port`, `ports` and the sidecars'; none by default). */
  public readonly containerPorts: readonly number[];
  /** The named container ports: name → number. */
  public readonly portNames: Readonly<Record<string, number>>;
  /** The pinned container image. */
  public readonly image: string;
  /** The labels that select the worker's pods. */
  public readonly selector: Record<string, string>;
  /** The name of the worker's ServiceAccount (its identity for network and mesh policies). */
  public readonly serviceAccountName: string;
  /** The Deployment. */
  public readonly deployment: ApiObject;
  /** The worker's own ServiceAccount. */
  public readonly serviceAccount: ApiObject;
  /** The ConfigMap `<name>-config`, when `config` is given. */
  public readonly configMap?: ApiObject;
  /** The ConfigMap `<name>-files`, when `files` is given. */
  public readonly filesConfigMap?: ApiObject;
  /** The container port serving Prometheus metrics, when `metrics` is given. */
  public readonly metricsPort?: number;
  /** The PodMonitor `<name>` (a worker has no Service to monitor), when `metrics` is given. */
  public readonly podMonitor?: ApiObject;
  /** @see IScalableWorkload.scaleTargetRef */
  public readonly scaleTargetRef: ScaleTargetRef;
  /** Every container requests cpu and memory. */
  public readonly requestsResources: ResourceRequests = { cpu: true, memory: true };

  private readonly pods: WorkloadDeployment;

  constructor(scope: Construct, id: string, props: WorkerProps) {
    super(scope, id);
    Object.defineProperty(this, WORKER_BRAND, { value: true });
    validateProps(this, 'WorkerProps', props);

    const { workload, hasPort } = resolveOptionalPortWorkload(this, props, 'Worker');
    claimName(this, 'name', 'Deployment', workload.name);
    const image = checkPinnedImage(this, 'image', props.image);
    const replicas = checkInteger(this, 'replicas', props.replicas ?? 2, 0);
    const identity = { name: workload.name, instance: workload.name, component: 'worker', partOf: workload.partOf, version: imageVersionLabel(image) };

    this.name = workload.name;
    this.namespace = namespaceOf(this);
    this.port = hasPort ? workload.port : undefined;
    this.containerPorts = workload.ports.map(p => p.port);
    this.portNames = Object.fromEntries(workload.ports.map(p => [p.name, p.port]));
    this.image = props.image;
    const labels = recommendedLabels(identity);
    this.selector = selectorLabels(identity);
    this.serviceAccountName = workload.serviceAccountName;

    const { env, resources, serviceAccount, configMap, configMapName, filesConfigMap } = createWorkloadSupport(this, workload, props, labels);
    this.serviceAccount = serviceAccount;
    this.configMap = configMap;
    this.filesConfigMap = filesConfigMap;

    this.pods = new WorkloadDeployment(this, {
      workload,
      name: workload.name,
      image: props.image,
      env,
      resources,
      labels,
      selector: this.selector,
      replicas,
      disruptionBudget: props.disruptionBudget,
      configMapName,
    });
    this.deployment = this.pods.deployment;
    this.scaleTargetRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: workload.name };
    this.metricsPort = workload.metrics?.port;
    if (workload.metrics) {
      this.podMonitor = monitorWorkload(this, {
        name: workload.name, labels, selector: this.selector, metrics: workload.metrics, appPort: hasPort ? workload.port : 0, hasService: false,
      });
    }
    this.pods.updateDisruptionBudget();
    this.node.addValidation({ validate: () => this.pods.budgetProblems(this) });
  }

  /** The PodDisruptionBudget, present when the worker can run two or more pods. */
  public get disruptionBudget(): ApiObject | undefined {
    return this.pods.disruptionBudget;
  }

  /** The autoscaler that owns the replica count, if any. */
  public get autoscaler(): IConstruct | undefined {
    return this.pods.autoscaler;
  }

  /** @see IScalableWorkload.attachAutoscaler */
  public attachAutoscaler(autoscaler: IConstruct, minReplicas: number, maxReplicas: number): void {
    this.pods.attachAutoscaler(autoscaler, minReplicas, maxReplicas);
  }
}
