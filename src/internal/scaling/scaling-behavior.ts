import { IConstruct } from 'constructs';
import { checkInteger } from '../core/validate';

/**
 * How fast an autoscaler may change the replica count in one direction.
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#configurable-scaling-behavior
 */
export interface ScalingBehavior {
  /**
   * Seconds of past recommendations considered before changing the count, to avoid flapping.
   * @default - Kubernetes' default: 0 for scale-up, 300 for scale-down
   */
  readonly stabilizationSeconds?: number;
  /**
   * The most the count may change in one minute, in percent of the current count.
   * @default - no percent policy
   */
  readonly maxPercentPerMinute?: number;
  /**
   * The most pods added or removed in one minute.
   * @default - no pods policy
   */
  readonly maxPodsPerMinute?: number;
}

/** Builds one direction of `spec.behavior`, validating its numbers. */
export function resolveBehavior(scope: IConstruct, prop: string, behavior: ScalingBehavior): Record<string, unknown> {
  const policies: Array<{ type: string; value: number; periodSeconds: number }> = [];
  if (behavior.maxPercentPerMinute !== undefined) {
    policies.push({ type: 'Percent', value: checkInteger(scope, `${prop}.maxPercentPerMinute`, behavior.maxPercentPerMinute, 1), periodSeconds: 60 });
  }
  if (behavior.maxPodsPerMinute !== undefined) {
    policies.push({ type: 'Pods', value: checkInteger(scope, `${prop}.maxPodsPerMinute`, behavior.maxPodsPerMinute, 1), periodSeconds: 60 });
  }
  return {
    stabilizationWindowSeconds: behavior.stabilizationSeconds === undefined
      ? undefined
      : checkInteger(scope, `${prop}.stabilizationSeconds`, behavior.stabilizationSeconds, 0, 3600),
    selectPolicy: policies.length > 1 ? 'Max' : undefined,
    policies: policies.length > 0 ? policies : undefined,
  };
}
