import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { brandCheck } from './internal/core/brand';
import { checkInteger } from './internal/core/validate';
import { resolveOptionalPortWorkload } from './internal/workload/optional-port';
import { foundWorkload, WorkloadKind } from './internal/workload/workload-foundation';
import { ReplicatedWorkload } from './replicated-workload';
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

/** What sets a Worker apart in the steps every workload takes first. */
const WORKER: WorkloadKind<WorkerProps> = {
  propsType: 'WorkerProps',
  component: 'worker',
  version: 'objects',
  controllerKind: 'Deployment',
  resolve: (scope, props) => resolveOptionalPortWorkload(scope, props, 'Worker'),
};

/**
 * A hardened background workload (a queue consumer, a stream processor): a Deployment whose pods
 * meet the Pod Security Standards restricted profile, its own ServiceAccount without a token and
 * a PodDisruptionBudget when it runs two or more pods, but no Service. `Autoscaled` can scale it
 * and `NetworkPolicyBundle.allow()` can name it (typically as the sender).
 */
export class Worker extends ReplicatedWorkload {
  /** Whether `x` is a Worker (works across copies of this package). */
  public static readonly isWorker = brandCheck<Worker>(WORKER_BRAND);

  /** The Deployment. */
  public readonly deployment: ApiObject;

  constructor(scope: Construct, id: string, props: WorkerProps) {
    super(scope, id, WORKER_BRAND, self => foundWorkload(self, props, WORKER));
    const replicas = checkInteger(this, 'replicas', props.replicas ?? 2, 0);
    this.deployment = this._runPods({ replicas, disruptionBudget: props.disruptionBudget });
    this._monitor({ hasService: false });
    this._allowApiServer();
    this._guardPods('app');
  }
}
