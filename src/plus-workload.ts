import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';

/** A container of a cdk8s-plus workload, as far as this library reads it. */
export interface IPlusContainer {
  /** The container's ports. */
  readonly ports: ReadonlyArray<{ readonly number: number; readonly name?: string; readonly protocol?: string }>;
  /** Its requests and limits (each request is a cdk8s-plus `Cpu` or `Size` object). */
  readonly resources?: { readonly cpu?: { readonly request?: unknown }; readonly memory?: { readonly request?: unknown } };
}

/** What a cdk8s-plus workload says about itself to an autoscaler (`IScalable.toScalingTarget()`). */
export interface PlusScalingTarget {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
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
  readonly metadata: { readonly namespace?: string };
  /** The labels its pod selector matches. */
  readonly matchLabels: Record<string, string>;
  /** Its containers. */
  readonly containers: readonly IPlusContainer[];
  /** The ServiceAccount its pods run as, when one is set. */
  readonly serviceAccount?: { readonly name: string };
  /** Whether an autoscaler already scales it. */
  readonly hasAutoscaler: boolean;
  /** Records that an autoscaler now scales it (it then omits `spec.replicas`). */
  markHasAutoscaler(): void;
  /** Its kind, name and containers, for the autoscaler. */
  toScalingTarget(): PlusScalingTarget;
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
