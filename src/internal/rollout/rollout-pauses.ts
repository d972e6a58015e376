import { IConstruct } from 'constructs';
import { AnalysisTiming } from './rollout-analysis';
import { checkRolloutDuration, formatDuration } from './rollout-duration';
import { INDEFINITE } from './rollout-steps';
import { ProgressiveStep } from '../../progressive-release-options';
import { propError } from '../core/errors';

/**
 * The pause rule: an analysis can always abort a failing release before every request reaches
 * it. The background analysis starts at the first weight, measures first after `initialDelay`,
 * then every `interval`, and aborts at the `failureLimit + 1`-th failed measurement; Argo Rollouts
 * stops it once the last step is done. So the pauses of the steps below weight 100 must add up to
 * at least `initialDelay + (failureLimit + 1) × interval` (the last measurement that can abort
 * falls one interval before their end); an indefinite pause always does. Fails naming the minimum.
 * @see https://argo-rollouts.readthedocs.io/en/stable/features/analysis/#background-analysis
 */
export function checkAnalysisCanAbort(scope: IConstruct, steps: readonly ProgressiveStep[], timing: AnalysisTiming): void {
  const before100 = steps.filter(step => step.weight < 100 && step.pause !== undefined);
  if (before100.some(step => step.pause === INDEFINITE)) return;
  const paused = before100.reduce((sum, step) => sum + checkRolloutDuration(scope, 'steps', step.pause!), 0);
  const minimum = timing.initialDelay + (timing.failureLimit + 1) * timing.interval;
  if (paused >= minimum) return;
  const first = steps[0];
  const fix = first.weight < 100
    ? `e.g. { weight: ${first.weight}, pause: "${formatDuration(minimum)}" } first`
    : `e.g. [{ weight: 10, pause: "${formatDuration(minimum)}" }, { weight: 100 }]`;
  throw propError(scope, 'steps', steps,
    `pause ${paused === 0 ? 'nowhere' : `${formatDuration(paused)} in all`} before weight 100, but the analysis needs at least ${formatDuration(minimum)} there to abort a failing release:`
    + ` it first measures ${formatDuration(timing.initialDelay)} after the first weight (once the new pods have data), then every ${formatDuration(timing.interval)},`
    + ` and aborts at failed measurement ${timing.failureLimit + 1}, which must come before Argo Rollouts stops it at the last step`
    + ` (${formatDuration(timing.initialDelay)} + (failureLimit + 1) × ${formatDuration(timing.interval)});`
    + ` pause at least ${formatDuration(minimum)} in all below weight 100 (${fix}), pause "${INDEFINITE}", or lower analysis.interval or analysis.failureLimit`);
}
