import { apiServerProblems } from './apiserver-rules';
import { ARGOCD_GROUP, validateArgoCdObject } from './argocd-schema';
import { duplicateProblems } from './duplicates';
import { gatewayRouteProblems } from './gateway-refs';
import { hardeningProblems } from './hardening';
import { istioRouteProblems } from './istio-refs';
import { ISTIO_GROUPS, validateIstioObject } from './istio-schema';
import { validateKubernetesObject } from './k8s-schema';
import { metadataProblems } from './metadata';
import { podMonitorProblems, serviceMonitorProblems } from './monitor-refs';
import { groupOf } from './pod-specs';
import { polarisFindings } from './polaris';
import { polarisRbacFindings } from './polaris-rbac';
import { promqlProblems } from './promql';
import { podSecurityProblems } from './pss';
import { quantityProblems } from './quantities';
import { rolloutProblems } from './rollout-refs';
import { servicePortProblems } from './service-ports';
import { hpaProblems, ingressProblems, pdbProblems, serviceProblems, statefulSetProblems } from './service-refs';
import { HarnessOptions, Manifest, Problem, problem } from './types';
import { upstreamCrds } from './upstream-crd-schema';
import { formatProblems } from '../../src/testing/problems';

/** Schema validation of one object, dispatched on its API group. */
function schemaProblems(obj: Manifest): Problem[] {
  if (typeof obj?.apiVersion !== 'string' || typeof obj?.kind !== 'string') return [problem(obj, '', 'apiVersion and kind are required strings')];
  if (typeof obj.metadata?.name !== 'string' || obj.metadata.name === '') return [problem(obj, 'metadata.name', 'metadata.name is required')];
  const group = groupOf(obj.apiVersion);
  if (ISTIO_GROUPS.includes(group)) return validateIstioObject(obj);
  if (upstreamCrds.has(obj.apiVersion, obj.kind)) {
    const crdProblems = upstreamCrds.validate(obj);
    return group === ARGOCD_GROUP && ['Application', 'AppProject'].includes(obj.kind) ? [...crdProblems, ...validateArgoCdObject(obj)] : crdProblems;
  }
  if (group === ARGOCD_GROUP) return validateArgoCdObject(obj);
  return validateKubernetesObject(obj) ?? [problem(obj, 'apiVersion', `unknown apiVersion/kind ${obj.apiVersion} ${obj.kind} (not a Kubernetes type nor a kind of the CRDs in test/schemas)`)];
}

/**
 * Every problem of a set of objects: schemas with unknown-field rejection, object metadata
 * (names, label keys and values, annotation keys), API-server rules (port names,
 * selector/template agreement, volume references, restart policies), canonical quantities, Pod Security
 * Standards (restricted), our hardening rules, Polaris danger checks, and whole-set consistency.
 */
export function manifestProblems(objects: Manifest[], options: HarnessOptions = {}): Problem[] {
  const out: Problem[] = [];
  for (const obj of objects) {
    const schema = schemaProblems(obj);
    out.push(...schema);
    if (schema.length > 0 && (typeof obj?.kind !== 'string' || !obj?.metadata)) continue;
    out.push(...metadataProblems(obj));
    out.push(...apiServerProblems(obj));
    out.push(...podSecurityProblems(obj));
    out.push(...promqlProblems(obj));
    out.push(...hardeningProblems(obj, options.skipHardening));
    out.push(...quantityProblems(obj));
    out.push(...polarisFindings(obj).filter((f) => f.severity === 'danger').map((f) => f.problem));
  }
  out.push(...duplicateProblems(objects), ...serviceProblems(objects), ...ingressProblems(objects));
  out.push(...hpaProblems(objects), ...pdbProblems(objects), ...statefulSetProblems(objects));
  out.push(...istioRouteProblems(objects), ...gatewayRouteProblems(objects), ...rolloutProblems(objects));
  out.push(...serviceMonitorProblems(objects), ...podMonitorProblems(objects), ...servicePortProblems(objects));
  out.push(...polarisRbacFindings(objects).filter((f) => f.severity === 'danger').map((f) => f.problem));
  return out;
}

export { formatProblems };

/** Validates every object and the set as a whole; throws one Error listing every problem. */
export function validateManifests(objects: Manifest[], options: HarnessOptions = {}): void {
  const problems = manifestProblems(objects, options);
  if (problems.length > 0) throw new Error(formatProblems(problems));
}
