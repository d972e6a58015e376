import { IConstruct } from 'constructs';

/** The object an autoscaler scales (`scaleTargetRef`). */
export interface ScaleTargetRef {
  /** API version of the scaled object, e.g. `apps/v1`. */
  readonly apiVersion: string;
  /** Kind of the scaled object, e.g. `Deployment`. */
  readonly kind: string;
  /** Name of the scaled object. */
  readonly name: string;
}

/** Which resources every container of a workload requests. */
export interface ResourceRequests {
  /** Every container requests cpu. */
  readonly cpu: boolean;
  /** Every container requests memory. */
  readonly memory: boolean;
}

/**
 * A workload of this library that `Autoscaled` can scale: a `WebApp`, a `CanaryRelease`
 * track or a `ProgressiveRelease`.
 */
export interface IScalableWorkload extends IConstruct {
  /** The object the autoscaler scales (a Deployment, or an Argo Rollouts Rollout). */
  readonly scaleTargetRef: ScaleTargetRef;
  /** Whether every container requests cpu and memory (utilisation is a percentage of it). */
  readonly requestsResources: ResourceRequests;
  /**
   * The autoscaler attached to this workload.
   * @default - none until an `Autoscaled` targets the workload
   */
  readonly autoscaler?: IConstruct | undefined;
  /**
   * Hands the replica count to `autoscaler`: the Deployment (or Rollout) then omits `spec.replicas`.
   * Fails when the workload already has an autoscaler.
   */
  attachAutoscaler(autoscaler: IConstruct, minReplicas: number, maxReplicas: number): void;
}

/** Whether `x` is a workload of this library that an autoscaler can scale. */
export function isScalableWorkload(x: unknown): x is IScalableWorkload {
  return typeof x === 'object' && x !== null && typeof (x as IScalableWorkload).attachAutoscaler === 'function'
    && typeof (x as IScalableWorkload).scaleTargetRef === 'object';
}
