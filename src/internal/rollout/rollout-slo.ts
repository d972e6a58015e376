import { IConstruct } from 'constructs';
import { canarySource } from './rollout-queries';
import { AppProtocol } from '../../container-basics';
import type { ServiceLevelObjective } from '../../service-level-objective';
import { propError } from '../core/errors';
import { checkLatencyThreshold, checkObjectivePercent } from '../observability/objective';
import { errorRatio, slowRatio } from '../observability/promql';
import { sliSource } from '../observability/sli-source';

/** One analysis metric derived from an objective: its name, query and the largest good value. */
export interface SloMetric {
  readonly name: 'slo-availability' | 'slo-latency';
  readonly query: string;
  /** The objective's error budget as a fraction: the canary's bad ratio must stay at or below it. */
  readonly budget: string;
}

/** What the release tells the objective's queries. */
export interface SloRelease {
  readonly name: string;
  readonly namespace: string;
  /** Whether the release declares `metrics` (the objective's source `'app'` reads them). */
  readonly hasMetrics: boolean;
  /** The protocol of the release's requests. */
  readonly appProtocol: AppProtocol;
  /** The rate window, e.g. `2m`. */
  readonly window: string;
}

/**
 * The analysis metrics of a `ServiceLevelObjective` of this release: the new pods' error ratio
 * against the availability budget, and their share of requests slower than the latency threshold
 * against the latency budget, built by the same PromQL builders as the objective's rules.
 */
export function sloMetrics(scope: IConstruct, slo: ServiceLevelObjective, release: SloRelease): SloMetric[] {
  if (slo.target.name !== release.name || slo.target.namespace !== release.namespace) {
    throw propError(scope, 'analysis.slo', slo.node.path,
      `measures ${slo.target.namespace}/${slo.target.name}, not this release (${release.namespace}/${release.name}); give the objective of this release (target: the release, or { name: "${release.name}", namespace: "${release.namespace}" })`);
  }
  if (slo.source === 'app' && !release.hasMetrics) {
    throw propError(scope, 'analysis.slo', slo.node.path, 'reads the app\'s own metrics (source "app"), but the release declares no metrics; give the release metrics, or use source "istio"');
  }
  const source = sliSource(slo.source, slo.appProtocol);
  if (source !== sliSource(slo.source, release.appProtocol)) {
    throw propError(scope, 'analysis.slo', slo.node.path,
      `measures ${slo.appProtocol} requests, but the release speaks ${release.appProtocol}, whose failures are counted otherwise; give the objective target: the release (or appProtocol: "${release.appProtocol}")`);
  }
  const canary = canarySource(source);
  const target = { name: release.name, namespace: release.namespace };
  const metrics: SloMetric[] = [];
  if (slo.availability !== undefined) {
    metrics.push({
      name: 'slo-availability',
      query: errorRatio(canary, target, release.window),
      budget: checkObjectivePercent(scope, 'analysis.slo.availability', slo.availability),
    });
  }
  if (slo.latency !== undefined) {
    const seconds = checkLatencyThreshold(scope, 'analysis.slo.latency.threshold', slo.latency.threshold, source);
    metrics.push({
      name: 'slo-latency',
      query: slowRatio(canary, target, seconds, release.window),
      budget: checkObjectivePercent(scope, 'analysis.slo.latency.percent', slo.latency.percent),
    });
  }
  return metrics;
}
