import { Construct } from 'constructs';
import { LABEL_TRACK } from './canary-track';
import { monitorFields, monitorWorkload } from '../observability/workload-metrics';
import { ResolvedWorkload } from '../workload/workload';

/**
 * The monitor of a release whose tracks share one Service (CanaryRelease, ProgressiveRelease): its
 * series carry the pods' track, so objectives and analyses can tell stable from canary. None
 * without `metrics`.
 */
export function monitorTrackedRelease(scope: Construct, workload: ResolvedWorkload, labels: Record<string, string>,
  selector: Record<string, string>): ReturnType<typeof monitorFields> {
  if (!workload.metrics) return {};
  return monitorFields(monitorWorkload(scope, {
    name: workload.name,
    labels,
    selector,
    metrics: workload.metrics,
    appPort: workload.port,
    hasService: true,
    trackPodLabel: LABEL_TRACK,
  }));
}
