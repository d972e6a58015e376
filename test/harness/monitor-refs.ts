import { containersOf, groupOf } from './pod-specs';
import { matches, nsOf, templatesIn } from './selectors';
import { join, Manifest, Problem, problem } from './types';

// Prometheus Operator monitors, resolved within their own namespace (they select there unless a
// namespaceSelector says otherwise). A monitor is skipped when nothing it could select is in the
// set (no Service, or no pod template, in its namespace): its targets are managed elsewhere.

const MONITORING_GROUP = 'monitoring.coreos.com';

function monitors(objects: Manifest[], kind: string): Manifest[] {
  return objects.filter((o) => o.kind === kind && groupOf(o.apiVersion) === MONITORING_GROUP && !o.spec?.namespaceSelector);
}

/** A ServiceMonitor's selector matches a Service (by the Service's labels) that has each endpoint's named port. */
export function serviceMonitorProblems(objects: Manifest[]): Problem[] {
  const out: Problem[] = [];
  for (const monitor of monitors(objects, 'ServiceMonitor')) {
    const services = objects.filter((o) => o.kind === 'Service' && groupOf(o.apiVersion) === '' && nsOf(o) === nsOf(monitor));
    if (services.length === 0) continue;
    const selected = services.filter((s) => matches(monitor.spec?.selector, s.metadata?.labels));
    if (selected.length === 0) {
      out.push(problem(monitor, 'spec.selector', `selects no Service of the set by its labels (selector ${JSON.stringify(monitor.spec?.selector)})`));
      continue;
    }
    (monitor.spec?.endpoints ?? []).forEach((e: any, i: number) => {
      if (e?.port === undefined) return;
      if (!selected.some((s) => (s.spec?.ports ?? []).some((p: any) => p?.name === e.port))) {
        out.push(problem(monitor, join(join('spec.endpoints', i), 'port'), `no selected Service (${selected.map((s) => s.metadata.name).join(', ')}) has a port named "${e.port}"`));
      }
    });
  }
  return out;
}

/** A PodMonitor's selector matches pod templates, each exposing every endpoint's named container port. */
export function podMonitorProblems(objects: Manifest[]): Problem[] {
  const out: Problem[] = [];
  for (const monitor of monitors(objects, 'PodMonitor')) {
    const templates = templatesIn(objects, nsOf(monitor));
    if (templates.length === 0) continue;
    const selected = templates.filter((t) => matches(monitor.spec?.selector, t.metadata?.labels));
    if (selected.length === 0) {
      out.push(problem(monitor, 'spec.selector', `selects no pod template of the set (selector ${JSON.stringify(monitor.spec?.selector)})`));
      continue;
    }
    (monitor.spec?.podMetricsEndpoints ?? []).forEach((e: any, i: number) => {
      if (e?.port === undefined) return;
      for (const t of selected) {
        const exposed = containersOf(t).some(({ container, list }) => list === 'containers' && (container?.ports ?? []).some((p: any) => p?.name === e.port));
        if (!exposed) out.push(problem(monitor, join(join('spec.podMetricsEndpoints', i), 'port'), `selected pods of ${t.owner.kind} "${t.owner.metadata.name}" have no container port named "${e.port}"`));
      }
    });
  }
  return out;
}
