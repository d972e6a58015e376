import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';

/** A container of a cdk8s-plus workload, as far as this library reads it. */
export interface IPlusContainer {
  /** The container's ports. */
  readonly ports: ReadonlyArray<IPlusContainerPort>;
  /**
   * Its requests and limits (each request is a cdk8s-plus `Cpu` or `Size` object).
   * @default - none
   */
  readonly resources?: IPlusContainerResources;
}

/** A port of a cdk8s-plus container. */
export interface IPlusContainerPort {
  /** The port number. */
  readonly number: number;
  /**
   * The port's name.
   * @default - unnamed
   */
  readonly name?: string;
  /**
   * The port's protocol.
   * @default 'TCP'
   */
  readonly protocol?: string;
}

/** The requests of a cdk8s-plus container, as far as an autoscaler reads them. */
export interface IPlusContainerResources {
  /**
   * The cpu request and limit.
   * @default - none
   */
  readonly cpu?: IPlusResourceRequest;
  /**
   * The memory request and limit.
   * @default - none
   */
  readonly memory?: IPlusResourceRequest;
}

/** One resource's request of a cdk8s-plus container. */
export interface IPlusResourceRequest {
  /**
   * The request (a cdk8s-plus `Cpu` or `Size` object).
   * @default - none
   */
  readonly request?: unknown;
}

/** What a cdk8s-plus workload says about itself to an autoscaler (`IScalable.toScalingTarget()`). */
export interface PlusScalingTarget {
  /** API version of the workload, e.g. `apps/v1`. */
  readonly apiVersion: string;
  /** Kind of the workload, e.g. `Deployment`. */
  readonly kind: string;
  /** Name of the workload. */
  readonly name: string;
  /** The workload's containers, whose requests utilisation targets are a percentage of. */
  readonly containers: readonly IPlusContainer[];
}

/**
 * The minimal shape of a cdk8s-plus 2.x `Deployment` or `StatefulSet` (any major, plus-28
 * through plus-33) that `Autoscaled` and `NetworkPolicyBundle.allow()` accept. It is recognised
 * by this shape, not by `instanceof` of one major's class, so the library does not import
 * cdk8s-plus at all and works with whichever major an app installs.
 */
export interface IPlusWorkload extends IConstruct {
  /** The object's kind: `Deployment` or `StatefulSet`. */
  readonly kind: string;
  /** The object's name. */
  readonly name: string;
  /** Its metadata; `namespace` when set on the object. */
  readonly metadata: IPlusMetadata;
  /** The labels its pod selector matches. */
  readonly matchLabels: Record<string, string>;
  /** Its containers. */
  readonly containers: readonly IPlusContainer[];
  /**
   * The ServiceAccount its pods run as, when one is set.
   * @default - none
   */
  readonly serviceAccount?: IPlusServiceAccount;
  /** Whether an autoscaler already scales it. */
  readonly hasAutoscaler: boolean;
  /** Records that an autoscaler now scales it (it then omits `spec.replicas`). */
  markHasAutoscaler(): void;
  /** Its kind, name and containers, for the autoscaler. */
  toScalingTarget(): PlusScalingTarget;
}

/** The metadata of a cdk8s-plus workload that this library reads. */
export interface IPlusMetadata {
  /**
   * The namespace the workload is created in.
   * @default - its chart's namespace
   */
  readonly namespace?: string;
}

/** The ServiceAccount of a cdk8s-plus workload, by name. */
export interface IPlusServiceAccount {
  /** The ServiceAccount's name. */
  readonly name: string;
}

const PLUS_KINDS = ['Deployment', 'StatefulSet'];

/** Whether `x` has the shape of a cdk8s-plus 2.x Deployment or StatefulSet. */
export function isPlusWorkload(x: unknown): x is IPlusWorkload {
  if (typeof x !== 'object' || x === null) return false;
  const w = x as Partial<IPlusWorkload>;
  if (typeof w.toScalingTarget !== 'function' || typeof w.markHasAutoscaler !== 'function' || typeof w.hasAutoscaler !== 'boolean') return false;
  if (typeof w.matchLabels !== 'object' || !Array.isArray(w.containers) || typeof w.node?.path !== 'string') return false;
  return typeof w.kind === 'string' && PLUS_KINDS.includes(w.kind);
}

/** The namespace a cdk8s-plus workload's pods run in. */
export function plusNamespace(w: IPlusWorkload): string {
  return w.metadata.namespace ?? Chart.of(w).namespace ?? 'default';
}
