import { groupOf, ManifestObject } from './object-key';

/** The kinds whose `spec.replicas` defaults to 1 when the field is absent. */
const SCALED_KINDS = new Set(['apps/Deployment', 'apps/StatefulSet', 'argoproj.io/Rollout']);

function replicasOf(obj: ManifestObject): unknown {
  const spec = obj.spec as { replicas?: unknown } | undefined;
  return spec?.replicas;
}

/**
 * A warning when a Deployment, StatefulSet or Argo Rollout loses `spec.replicas` (typically
 * because an autoscaler now owns it). Kubernetes documents a one-time scale to the default, 1
 * replica: every pod but one terminates until the autoscaler scales up again. ArgoCD syncs with
 * client-side `kubectl apply` unless `ServerSideApply=true`, and under server-side apply the same
 * happens when the field is dropped before the autoscaler has taken it over.
 *
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#migrating-deployments-and-statefulsets-to-horizontal-autoscaling
 * @see https://kubernetes.io/docs/reference/using-api/server-side-apply/#transferring-ownership
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/#server-side-apply
 */
export function lostReplicas(before: ManifestObject, after: ManifestObject): string | undefined {
  if (!SCALED_KINDS.has(`${groupOf(after.apiVersion)}/${after.kind}`)) return undefined;
  const was = replicasOf(before);
  if (was === undefined || replicasOf(after) !== undefined) return undefined;
  const resource = `${after.kind?.toLowerCase()}/${after.metadata?.name}${after.metadata?.namespace ? ` -n ${after.metadata.namespace}` : ''}`;
  return `spec.replicas ${JSON.stringify(was)} → (none): the field defaults to 1, so applying the object without it scales it to 1 pod once `
    + '(every other pod terminates) until the autoscaler scales it up again — Kubernetes\' HPA migration note. ArgoCD applies client-side (kubectl apply) by default: '
    + `before syncing, remove spec.replicas from the live object's last-applied configuration (kubectl apply edit-last-applied ${resource}; no pod changes), then sync. `
    + 'With server-side apply (ArgoCD sync option ServerSideApply=true) the same happens while ArgoCD still owns the field: hand it to the autoscaler first '
    + `(kubectl apply --server-side --field-manager=handover-to-hpa of a manifest holding only ${after.kind} ${after.metadata?.name} with its current spec.replicas, `
    + 'Kubernetes\' server-side apply guide, "transferring ownership"), then sync';
}
