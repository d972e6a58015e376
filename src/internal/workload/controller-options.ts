import { IConstruct } from 'constructs';
import { DeploymentOptions } from '../../workload-options';
import { propError } from '../core/errors';
import { checkInteger } from '../core/validate';

/** The rollout settings of a pod controller, validated; the unset ones are not written. */
export interface ResolvedControllerOptions {
  readonly minReadySeconds?: number;
  readonly progressDeadlineSeconds?: number;
  readonly revisionHistoryLimit: number;
}

/**
 * Validates `minReadySeconds`, `progressDeadlineSeconds` and `revisionHistoryLimit` (default 5),
 * with the API server's rule that a progress deadline exceeds the minimum ready time.
 */
export function resolveControllerOptions(scope: IConstruct, props: DeploymentOptions): ResolvedControllerOptions {
  const minReadySeconds = props.minReadySeconds === undefined ? undefined : checkInteger(scope, 'minReadySeconds', props.minReadySeconds, 0);
  const progressDeadlineSeconds = props.progressDeadlineSeconds === undefined
    ? undefined : checkInteger(scope, 'progressDeadlineSeconds', props.progressDeadlineSeconds, 1);
  if (progressDeadlineSeconds !== undefined && progressDeadlineSeconds <= (minReadySeconds ?? 0)) {
    throw propError(scope, 'progressDeadlineSeconds', progressDeadlineSeconds,
      `must exceed minReadySeconds (${minReadySeconds}): a rollout whose pods need longer to count as available than the deadline allows always fails`);
  }
  return { minReadySeconds, progressDeadlineSeconds, revisionHistoryLimit: checkInteger(scope, 'revisionHistoryLimit', props.revisionHistoryLimit ?? 5, 0) };
}
