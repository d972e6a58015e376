import { IConstruct } from 'constructs';
import { propError } from '../core/errors';
import { resolveLabelMap } from '../workload/scheduling';

const RECOMMENDED_PREFIX = 'app.kubernetes.io/';

/**
 * Validates labels a user adds to a monitoring object (a monitor's `metrics.labels`, an objective's
 * `ruleLabels`), typically for a Prometheus selector such as kube-prometheus-stack's
 * `release: <name>`: label keys and values, none of the recommended `app.kubernetes.io/*` labels
 * the library writes.
 */
export function resolveExtraLabels(scope: IConstruct, prop: string, labels: Record<string, string> | undefined): Record<string, string> {
  const resolved = resolveLabelMap(scope, prop, labels) ?? {};
  const owned = Object.keys(resolved).find(key => key.startsWith(RECOMMENDED_PREFIX));
  if (owned !== undefined) {
    throw propError(scope, `${prop}.${owned}`, resolved[owned], `${RECOMMENDED_PREFIX}* labels are written by the library from the workload; use another key, e.g. { release: "kube-prometheus-stack" }`);
  }
  return resolved;
}
