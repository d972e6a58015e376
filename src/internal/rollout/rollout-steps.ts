import { IConstruct } from 'constructs';
import { checkRolloutDuration } from './rollout-duration';
import { ProgressiveStep } from '../../progressive-release-options';
import { propError } from '../core/errors';

/** The pause keyword that waits for a manual promotion. */
export const INDEFINITE = 'indefinite';

/** One step of an Argo Rollouts canary strategy, as written. */
export type CanaryStepJson = { setWeight: number } | { pause: { duration?: string } };

/**
 * Validates the steps (at least one; integer weights 1–100 rising strictly from step to step;
 * pauses that parse; the last step reaching 100 or waiting indefinitely for a promotion, which
 * only an indefinite pause may do) and returns them as Argo Rollouts steps: `setWeight`
 * followed by its `pause`.
 */
export function resolveSteps(scope: IConstruct, steps: readonly ProgressiveStep[]): CanaryStepJson[] {
  if (!Array.isArray(steps) || steps.length === 0) {
    throw propError(scope, 'steps', steps, 'must list at least one step, e.g. [{ weight: 10, pause: "5m" }, { weight: 50, pause: "10m" }, { weight: 100 }]');
  }
  const out: CanaryStepJson[] = [];
  let previous = 0;
  steps.forEach((step, i) => {
    const prop = `steps[${i}]`;
    if (typeof step !== 'object' || step === null || Array.isArray(step)) throw propError(scope, prop, step, 'must be an object { weight, pause? }, e.g. { weight: 10, pause: "5m" }');
    const unknown = Object.keys(step).filter(k => k !== 'weight' && k !== 'pause');
    if (unknown.length > 0) throw propError(scope, `${prop}.${unknown[0]}`, (step as unknown as Record<string, unknown>)[unknown[0]], 'is not a step option; a step has only weight and pause');
    const weight = step.weight;
    if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 1 || weight > 100) {
      throw propError(scope, `${prop}.weight`, weight, 'must be an integer percentage between 1 and 100 (the share of requests sent to the new version)');
    }
    if (weight <= previous) {
      throw propError(scope, `${prop}.weight`, weight, `must be greater than the previous step's weight ${previous}: weights rise step by step (an abort, not a step, sends traffic back)`);
    }
    previous = weight;
    out.push({ setWeight: weight });
    if (step.pause === undefined) return;
    if (step.pause === INDEFINITE) {
      out.push({ pause: {} });
      return;
    }
    checkRolloutDuration(scope, `${prop}.pause`, step.pause, `, or "${INDEFINITE}" to wait for a manual promotion`);
    out.push({ pause: { duration: step.pause } });
  });
  const last = steps[steps.length - 1];
  if (last.weight !== 100 && last.pause !== INDEFINITE) {
    throw propError(scope, `steps[${steps.length - 1}]`, last,
      `must end the rollout: give the last step weight 100, or pause "${INDEFINITE}" so that someone promotes it (Argo Rollouts would otherwise jump from ${last.weight} to 100 percent on its own)`);
  }
  return out;
}
