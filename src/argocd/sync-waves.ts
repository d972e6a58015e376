import { ApiObject, Chart } from 'cdk8s';
import { groupOf } from '../internal/plan/object-key';

/** The annotation ArgoCD orders a sync by (lower waves first, each healthy before the next). */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/** API groups served by Kubernetes itself: their objects need no CustomResourceDefinition. */
const BUILT_IN_GROUPS = new Set([
  '', 'apps', 'batch', 'autoscaling', 'policy', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'storage.k8s.io',
  'scheduling.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io', 'node.k8s.io', 'admissionregistration.k8s.io',
  'apiextensions.k8s.io', 'apiregistration.k8s.io', 'certificates.k8s.io', 'events.k8s.io', 'flowcontrol.apiserver.k8s.io',
]);

/** What must exist before workloads are created: the namespace first, then its RBAC, quota, limits and network policies. */
const EARLY: Record<string, string> = {
  Namespace: '-2',
  CustomResourceDefinition: '-2',
  ServiceAccount: '-1',
  Role: '-1',
  ClusterRole: '-1',
  RoleBinding: '-1',
  ClusterRoleBinding: '-1',
  ResourceQuota: '-1',
  LimitRange: '-1',
  NetworkPolicy: '-1',
};

/**
 * Custom resources that secure the namespace or that pods need to start (Istio mTLS and
 * authorization, Kyverno admission policies, External Secrets' Secrets): applied with RBAC,
 * before any pod starts, so no workload runs unprotected or waits for a Secret that comes later.
 */
const SECURITY_GROUPS = new Set(['security.istio.io', 'kyverno.io', 'external-secrets.io']);

/**
 * The sync wave of an object: `-2` for Namespaces and CRDs, `-1` for RBAC, quota, limits (a
 * LimitRange must exist before the pods it defaults), NetworkPolicies, Istio security policies,
 * Kyverno policies (no pod runs unprotected) and ExternalSecrets (pods read their Secrets), none (wave 0)
 * for built-in objects, `1` for other custom resources (Istio routing, Gateway API, monitoring),
 * applied once the workloads they configure exist.
 */
export function syncWaveOf(apiVersion: string, kind: string): string | undefined {
  if (EARLY[kind] !== undefined && BUILT_IN_GROUPS.has(groupOf(apiVersion))) return EARLY[kind];
  if (SECURITY_GROUPS.has(groupOf(apiVersion))) return '-1';
  return BUILT_IN_GROUPS.has(groupOf(apiVersion)) ? undefined : '1';
}

/**
 * The wave of a Deployment scaled to zero pods, applied after the routing objects (wave 1): its
 * pods go only once no route sends them requests (a route moved in the same commit still does
 * until wave 1 is applied).
 */
export const AFTER_ROUTING_WAVE = '2';

const ANNOTATED = new WeakSet<Chart>();

/**
 * Gives every object of `chart` its sync wave (see {@link syncWaveOf}) when the app is
 * synthesised, so that objects added after this call get one too. An annotation set by the user
 * is kept.
 */
export function addSyncWaves(chart: Chart): void {
  if (ANNOTATED.has(chart)) return;
  ANNOTATED.add(chart);
  chart.node.addValidation({ validate: () => (annotateSyncWaves(chart), []) });
}

/**
 * Gives every object of `chart` its sync wave now: for a chart whose Application is made while
 * the app is validated (its own validation may already have run).
 */
export function annotateSyncWaves(chart: Chart): void {
  for (const obj of chart.node.findAll()) {
    if (!(obj instanceof ApiObject) || Chart.of(obj) !== chart) continue;
    const wave = syncWaveOf(obj.apiVersion, obj.kind);
    const annotations = (obj.metadata.toJson() as { annotations?: Record<string, string> }).annotations;
    if (wave !== undefined && annotations?.[SYNC_WAVE_ANNOTATION] === undefined) obj.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, wave);
  }
}
