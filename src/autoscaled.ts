import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { propError } from './internal/core/errors';
import { recommendedLabels } from './internal/core/labels';
import { claimName, namespaceOf } from './internal/core/name-registry';
import { checkInteger } from './internal/core/validate';
import { ScalingBehavior, resolveBehavior } from './internal/scaling/scaling-behavior';
import { ScalingMetric, resolveMetrics } from './internal/scaling/scaling-metrics';
import { PLUS_KINDS, SCALABLE_KINDS } from './internal/validation/instance-kinds';
import { validateProps } from './internal/validation/validate-props';
import { IPlusWorkload, isPlusWorkload } from './plus-workload';
import { IScalableWorkload, ScaleTargetRef, isScalableWorkload } from './scalable';
import { ScheduledJob } from './scheduled-job';

export { ScalingBehavior } from './internal/scaling/scaling-behavior';
export { ScalingMetric, PodsMetric, ObjectMetric, ExternalMetric } from './internal/scaling/scaling-metrics';

/**
 * What `Autoscaled` can scale: a workload of this library (`WebApp`, a `CanaryRelease` track,
 * `Worker`, `StatefulApp`), or a cdk8s-plus 2.x `Deployment` or `StatefulSet` of any major
 * (recognised by its shape, {@link IPlusWorkload}).
 */
export type AutoscalingTarget = IScalableWorkload | IPlusWorkload;

/**
 * Properties of {@link Autoscaled}.
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
 */
export interface AutoscaledProps {
  /**
   * The workload to scale: a `WebApp`, a `CanaryRelease` track, a `Worker`, a `StatefulApp`, a
   * `ProgressiveRelease` (its Argo Rollouts Rollout), or a cdk8s-plus 2.x Deployment or StatefulSet.
   */
  readonly target: AutoscalingTarget;
  /**
   * The fewest replicas. Two by default so that one pod's failure or eviction never takes the
   * app down.
   * @default 2
   */
  readonly minReplicas?: number;
  /** The most replicas. */
  readonly maxReplicas: number;
  /**
   * Target average CPU utilisation, in percent of the containers' CPU request (above 100 is
   * allowed).
   * @default 70 when no other metric is given, otherwise none
   */
  readonly cpuUtilization?: number;
  /**
   * Target average memory utilisation, in percent of the containers' memory request.
   * @default - none
   */
  readonly memoryUtilization?: number;
  /**
   * Custom pod, object or external metrics.
   * @default - none
   */
  readonly metrics?: ScalingMetric[];
  /**
   * How fast to scale up.
   * @default - the Kubernetes default (no stabilisation; double or add 4 pods every 15 s)
   */
  readonly scaleUp?: ScalingBehavior;
  /**
   * How fast to scale down.
   * @default - the Kubernetes default (300 s stabilisation, then down to the recommendation)
   */
  readonly scaleDown?: ScalingBehavior;
}

/** A target seen the same way whatever its type. */
interface ResolvedTarget {
  readonly ref: ScaleTargetRef;
  readonly path: string;
  /** The namespace the target's pods run in. */
  readonly namespace: string;
  readonly requests: { readonly cpu: boolean; readonly memory: boolean };
  readonly attach: (minReplicas: number, maxReplicas: number) => void;
}

/**
 * An autoscaling/v2 HorizontalPodAutoscaler for a workload. The workload's Deployment then
 * omits `spec.replicas`, so that every GitOps sync does not reset the autoscaler's count.
 */
export class Autoscaled extends Construct {
  /** The HorizontalPodAutoscaler (named like its target). */
  public readonly horizontalPodAutoscaler: ApiObject;
  /** The fewest replicas. */
  public readonly minReplicas: number;
  /** The most replicas. */
  public readonly maxReplicas: number;

  constructor(scope: Construct, id: string, props: AutoscaledProps) {
    super(scope, id);
    validateProps(this, 'AutoscaledProps', props);
    const target = this.resolveTarget(props?.target);
    const namespace = namespaceOf(this);
    if (target.namespace !== namespace) {
      // An HPA only scales a workload of its own namespace: written here it would target nothing
      // while the target dropped spec.replicas.
      throw propError(this, 'target', target.path,
        `runs in namespace ${JSON.stringify(target.namespace)}, but this Autoscaled is in a chart of namespace ${JSON.stringify(namespace)}; a HorizontalPodAutoscaler scales only workloads of its own namespace: create the Autoscaled in the target's chart (e.g. new Autoscaled(Chart.of(target), ...))`);
    }
    this.minReplicas = checkInteger(this, 'minReplicas', props.minReplicas ?? 2, 1);
    this.maxReplicas = checkInteger(this, 'maxReplicas', props.maxReplicas, 1);
    if (this.minReplicas > this.maxReplicas) {
      throw propError(this, 'minReplicas', this.minReplicas, `must not exceed maxReplicas (${this.maxReplicas})`);
    }
    const metrics = resolveMetrics(this, props, target.requests, target.path);
    const behavior = {
      scaleUp: props.scaleUp === undefined ? undefined : resolveBehavior(this, 'scaleUp', props.scaleUp),
      scaleDown: props.scaleDown === undefined ? undefined : resolveBehavior(this, 'scaleDown', props.scaleDown),
    };
    target.attach(this.minReplicas, this.maxReplicas);

    claimName(this, 'target', 'HorizontalPodAutoscaler', target.ref.name);
    this.horizontalPodAutoscaler = new ApiObject(this, 'Resource', {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: {
        name: target.ref.name,
        labels: recommendedLabels({ name: target.ref.name, instance: target.ref.name, component: 'autoscaler' }),
      },
      spec: {
        scaleTargetRef: { apiVersion: target.ref.apiVersion, kind: target.ref.kind, name: target.ref.name },
        minReplicas: this.minReplicas,
        maxReplicas: this.maxReplicas,
        metrics,
        behavior: behavior.scaleUp || behavior.scaleDown ? behavior : undefined,
      },
    });
  }

  private resolveTarget(target: AutoscalingTarget | undefined): ResolvedTarget {
    if (isScalableWorkload(target)) {
      const declared = (target as { namespace?: unknown }).namespace;
      return {
        ref: target.scaleTargetRef,
        path: target.node.path,
        namespace: typeof declared === 'string' ? declared : namespaceOf(target),
        requests: target.requestsResources,
        attach: (min, max) => target.attachAutoscaler(this, min, max),
      };
    }
    if (isPlusWorkload(target)) return this.resolvePlusTarget(target);
    const path = target === undefined ? undefined : (target as Construct).node?.path ?? target;
    if (ScheduledJob.isScheduledJob(target)) {
      throw propError(this, 'target', path, `a ScheduledJob runs to completion on its schedule and cannot be scaled horizontally; scale ${SCALABLE_KINDS}`);
    }
    throw propError(this, 'target', path, `must be ${SCALABLE_KINDS}, or ${PLUS_KINDS}`);
  }

  private resolvePlusTarget(target: IPlusWorkload): ResolvedTarget {
    const scaling = target.toScalingTarget();
    const requests = (key: 'cpu' | 'memory') => scaling.containers.every(c => c.resources?.[key]?.request !== undefined);
    return {
      ref: { apiVersion: scaling.apiVersion, kind: scaling.kind, name: scaling.name },
      path: target.node.path,
      namespace: target.metadata.namespace ?? namespaceOf(target),
      requests: { cpu: requests('cpu'), memory: requests('memory') },
      attach: () => {
        if (target.hasAutoscaler) {
          throw propError(this, 'target', target.node.path, 'already has an autoscaler; a workload takes one autoscaler (two would fight over the replica count)');
        }
        target.markHasAutoscaler();
      },
    };
  }
}
