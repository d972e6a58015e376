import { containersOf, groupOf, podTemplateOf } from './pod-specs';
import { matches, nsOf, templatesIn } from './selectors';
import { join, Manifest, Problem, problem } from './types';

// Cross-reference rules. References are resolved only within the object's own namespace
// (an unset namespace counts as one namespace of its own). A reference is skipped when its
// target is clearly outside the set: an HPA target whose kind has no object in the set, or a
// Service without a selector (endpoints managed elsewhere) / of type ExternalName.

function exposes(t: ReturnType<typeof podTemplateOf>, target: number | string): boolean {
  return containersOf(t!).some(({ container, list }) => list === 'containers'
    && (container?.ports ?? []).some((p: any) => (typeof target === 'number' ? p?.containerPort === target : p?.name === target)));
}

/** Every Service selector matches a workload whose containers expose each targetPort. */
export function serviceProblems(objects: Manifest[]): Problem[] {
  const out: Problem[] = [];
  for (const svc of objects.filter((o) => o.kind === 'Service' && groupOf(o.apiVersion) === '')) {
    const selector = svc.spec?.selector;
    if (!selector || Object.keys(selector).length === 0 || svc.spec?.type === 'ExternalName') continue;
    const selected = templatesIn(objects, nsOf(svc)).filter((t) => matches({ matchLabels: selector }, t.metadata?.labels));
    if (selected.length === 0) {
      out.push(problem(svc, 'spec.selector', `selects no pod template in the set (selector ${JSON.stringify(selector)})`));
      continue;
    }
    (svc.spec?.ports ?? []).forEach((p: any, i: number) => {
      const target = p?.targetPort ?? p?.port;
      if (!selected.some((t) => exposes(t, target))) {
        out.push(problem(svc, join(join('spec.ports', i), 'targetPort'), `no selected pod (${selected.map((t) => t.owner.metadata.name).join(', ')}) has a container port ${typeof target === 'number' ? target : `named "${target}"`}`));
      }
    });
  }
  return out;
}

/** Every Ingress backend names a Service of the set with that port. */
export function ingressProblems(objects: Manifest[]): Problem[] {
  const out: Problem[] = [];
  for (const ing of objects.filter((o) => o.kind === 'Ingress' && groupOf(o.apiVersion) === 'networking.k8s.io')) {
    const backends: Array<[string, any]> = [];
    if (ing.spec?.defaultBackend) backends.push(['spec.defaultBackend', ing.spec.defaultBackend]);
    (ing.spec?.rules ?? []).forEach((r: any, i: number) => (r?.http?.paths ?? []).forEach((p: any, j: number) => backends.push([`spec.rules[${i}].http.paths[${j}].backend`, p?.backend])));
    for (const [path, b] of backends) {
      if (!b?.service) continue; // resource backends are out of scope
      const svc = objects.find((o) => o.kind === 'Service' && groupOf(o.apiVersion) === '' && nsOf(o) === nsOf(ing) && o.metadata?.name === b.service.name);
      if (!svc) {
        out.push(problem(ing, join(path, 'service.name'), `Service "${b.service.name}" does not exist in the set`));
        continue;
      }
      const port = b.service.port ?? {};
      const ok = (svc.spec?.ports ?? []).some((p: any) => (port.number !== undefined ? p?.port === port.number : p?.name === port.name));
      if (!ok) out.push(problem(ing, join(path, 'service.port'), `Service "${svc.metadata.name}" has no port ${JSON.stringify(port)}`));
    }
  }
  return out;
}

/** An HPA's target exists (when its kind is in the set) and requests the resources it scales on. */
export function hpaProblems(objects: Manifest[]): Problem[] {
  const out: Problem[] = [];
  for (const hpa of objects.filter((o) => o.kind === 'HorizontalPodAutoscaler')) {
    const ref = hpa.spec?.scaleTargetRef ?? {};
    const sameKind = objects.filter((o) => o.kind === ref.kind && groupOf(o.apiVersion) === groupOf(ref.apiVersion ?? '') && nsOf(o) === nsOf(hpa));
    if (sameKind.length === 0) continue; // target kind managed elsewhere
    const target = sameKind.find((o) => o.metadata?.name === ref.name);
    if (!target) {
      out.push(problem(hpa, 'spec.scaleTargetRef.name', `${ref.kind} "${ref.name}" does not exist in the set (found: ${sameKind.map((o) => o.metadata.name).join(', ')})`));
      continue;
    }
    const t = podTemplateOf(target);
    (hpa.spec?.metrics ?? []).forEach((m: any, i: number) => {
      const res = m?.type === 'Resource' ? m.resource : m?.type === 'ContainerResource' ? m.containerResource : undefined;
      if (!t || !res || res.target?.type !== 'Utilization') return;
      const missing = containersOf(t).filter(({ container, list }) => list === 'containers' && (m.type === 'Resource' || container?.name === res.container) && container?.resources?.requests?.[res.name] === undefined);
      for (const c of missing) out.push(problem(hpa, join(join('spec.metrics', i), 'resource'), `scales on ${res.name} utilisation but ${target.kind} "${target.metadata.name}" container "${c.container?.name}" has no ${res.name} request`));
    });
  }
  return out;
}

/** A PodDisruptionBudget selects a workload of the set and does not block every eviction. */
export function pdbProblems(objects: Manifest[]): Problem[] {
  const out: Problem[] = [];
  for (const pdb of objects.filter((o) => o.kind === 'PodDisruptionBudget')) {
    const selected = templatesIn(objects, nsOf(pdb)).filter((t) => matches(pdb.spec?.selector, t.metadata?.labels));
    if (selected.length === 0) out.push(problem(pdb, 'spec.selector', 'selects no pod template in the set'));
    const { maxUnavailable, minAvailable } = pdb.spec ?? {};
    if (maxUnavailable === 0 || maxUnavailable === '0%') out.push(problem(pdb, 'spec.maxUnavailable', 'maxUnavailable 0 blocks every voluntary eviction'));
    if (minAvailable === '100%') out.push(problem(pdb, 'spec.minAvailable', 'minAvailable 100% blocks every voluntary eviction'));
    if (typeof minAvailable === 'number') {
      const replicas = selected.reduce((n, t) => n + (typeof t.owner.spec?.replicas === 'number' ? t.owner.spec.replicas : NaN), 0);
      if (!Number.isNaN(replicas) && selected.length > 0 && minAvailable >= replicas) {
        out.push(problem(pdb, 'spec.minAvailable', `minAvailable ${minAvailable} >= ${replicas} selected replicas blocks every voluntary eviction`));
      }
    }
  }
  return out;
}

/**
 * A StatefulSet's `serviceName` names a headless Service (`clusterIP: None`) of the set that
 * selects its pods: the Service that gives each pod its stable DNS name.
 */
export function statefulSetProblems(objects: Manifest[]): Problem[] {
  const out: Problem[] = [];
  for (const sts of objects.filter((o) => o.kind === 'StatefulSet' && groupOf(o.apiVersion) === 'apps')) {
    const name = sts.spec?.serviceName;
    if (typeof name !== 'string' || name === '') continue; // the schema reports a missing one
    const svc = objects.find((o) => o.kind === 'Service' && groupOf(o.apiVersion) === '' && nsOf(o) === nsOf(sts) && o.metadata?.name === name);
    if (!svc) {
      out.push(problem(sts, 'spec.serviceName', `Service "${name}" does not exist in the set`));
      continue;
    }
    if (svc.spec?.clusterIP !== 'None') out.push(problem(sts, 'spec.serviceName', `Service "${name}" is not headless (clusterIP must be "None")`));
    const selector = svc.spec?.selector ?? {};
    if (Object.keys(selector).length === 0 || !matches({ matchLabels: selector }, sts.spec?.template?.metadata?.labels)) {
      out.push(problem(sts, 'spec.serviceName', `Service "${name}" does not select the StatefulSet's pods`));
    }
  }
  return out;
}
