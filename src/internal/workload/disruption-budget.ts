import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { DisruptionBudgetOptions } from '../../workload-options';
import { propError } from '../core/errors';
import { claimName } from '../core/name-registry';
import { INT32_MAX } from '../core/validate';

/** The budget as written to the manifest: exactly one of the two fields. */
export type BudgetSpec = { minAvailable: number | string } | { maxUnavailable: number | string };

const PERCENT = /^([0-9]{1,3})%$/;

/**
 * Validates the budget against the smallest number of pods the app runs with, so that it can
 * never block every eviction: `minAvailable` must stay below it and `maxUnavailable` above 0.
 */
export function resolveBudget(scope: Construct, options: DisruptionBudgetOptions | undefined, minPods: number): BudgetSpec {
  const { minAvailable, maxUnavailable } = options ?? {};
  if (minAvailable !== undefined && maxUnavailable !== undefined) {
    throw propError(scope, 'disruptionBudget', options, 'give either minAvailable or maxUnavailable, not both');
  }
  if (minAvailable !== undefined) {
    const pods = budgetPods(scope, 'disruptionBudget.minAvailable', minAvailable, minPods);
    if (pods >= minPods) {
      throw propError(scope, 'disruptionBudget.minAvailable', minAvailable,
        `must be below the ${minPods} replicas the app runs with, otherwise no pod can ever be evicted and node drains block; use at most ${minPods - 1} or maxUnavailable`);
    }
    return { minAvailable };
  }
  const max = maxUnavailable ?? 1;
  if (budgetPods(scope, 'disruptionBudget.maxUnavailable', max, minPods) === 0) {
    throw propError(scope, 'disruptionBudget.maxUnavailable', max,
      'must let at least one pod be evicted, otherwise node drains block; use 1 or a percentage that rounds up to at least one pod');
  }
  return { maxUnavailable: max };
}

function budgetPods(scope: Construct, prop: string, value: number | string, replicas: number): number {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > INT32_MAX) throw propError(scope, prop, value, `must be a non-negative integer (at most ${INT32_MAX}, the API server's 32-bit limit) or a percentage such as "50%"`);
    return value;
  }
  const match = PERCENT.exec(String(value));
  if (!match || Number(match[1]) > 100) throw propError(scope, prop, value, 'must be a non-negative integer or a percentage between "0%" and "100%"');
  return Math.ceil((Number(match[1]) / 100) * replicas);
}

/** Creates the policy/v1 PodDisruptionBudget `<name>` selecting the app's pods. */
export function createDisruptionBudget(scope: Construct, name: string, labels: Record<string, string>,
  selector: Record<string, string>, budget: BudgetSpec): ApiObject {
  claimName(scope, 'name', 'PodDisruptionBudget', name);
  return new ApiObject(scope, 'DisruptionBudget', {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, labels },
    spec: { ...budget, selector: { matchLabels: selector } },
  });
}
