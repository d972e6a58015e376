import { diffFields, sameValue, showValue } from './field-diff';
import { groupOf, ManifestObject } from './object-key';

/** A change the API server refuses on update (or silently does not apply). */
export interface RefusedChange {
  /** The field, e.g. `spec.selector`. */
  readonly field: string;
  /** Why, and what to do instead. */
  readonly reason: string;
}

type Rule = (before: ManifestObject, after: ManifestObject) => RefusedChange[];

const RECREATE = 'delete and recreate the object (ArgoCD sync option Replace=true, or a new name)';

function get(obj: unknown, path: readonly string[]): unknown {
  let cur = obj;
  for (const key of path) cur = typeof cur === 'object' && cur !== null ? (cur as Record<string, unknown>)[key] : undefined;
  return cur;
}

function changed(before: ManifestObject, after: ManifestObject, path: readonly string[]): boolean {
  return !sameValue(get(before, path), get(after, path));
}

/** A rule refusing any change of the given fields. */
function immutable(paths: ReadonlyArray<readonly string[]>, why: string): Rule {
  return (before, after) => paths.filter(p => changed(before, after, p)).map(p => ({
    field: p.join('.'),
    reason: `${p.join('.')} is immutable${why}: ${showValue(get(before, p))} → ${showValue(get(after, p))}; the API server refuses the update; ${RECREATE}`,
  }));
}

/** A rule refusing a change of any `spec` field except the mutable ones. */
function onlyMutable(mutable: readonly string[], kind: string): Rule {
  return (before, after) => {
    const a = (get(before, ['spec']) ?? {}) as Record<string, unknown>;
    const b = (get(after, ['spec']) ?? {}) as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(k => !mutable.includes(k));
    return keys.filter(k => !sameValue(a[k], b[k])).map(k => ({
      field: `spec.${k}`,
      reason: `a ${kind}'s spec.${k} cannot be changed (only ${mutable.join(', ')} can): ${showValue(a[k])} → ${showValue(b[k])}; ${RECREATE}`,
    }));
  };
}

const statefulSet = onlyMutable(['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'], 'StatefulSet');

function service(before: ManifestObject, after: ManifestObject): RefusedChange[] {
  const out: RefusedChange[] = [];
  for (const field of ['clusterIP', 'clusterIPs']) {
    const a = get(before, ['spec', field]);
    const b = get(after, ['spec', field]);
    if (!sameValue(a, b)) {
      out.push({
        field: `spec.${field}`,
        reason: `spec.${field} is immutable once allocated: ${showValue(a)} → ${showValue(b)}; the API server refuses the update (or keeps the live value when the field is dropped, e.g. a headless Service stays headless); ${RECREATE}`,
      });
    }
  }
  const typeBefore = get(before, ['spec', 'type']) ?? 'ClusterIP';
  const typeAfter = get(after, ['spec', 'type']) ?? 'ClusterIP';
  const headless = get(before, ['spec', 'clusterIP']) === 'None';
  if (typeBefore !== typeAfter && headless && (typeAfter === 'NodePort' || typeAfter === 'LoadBalancer')) {
    out.push({ field: 'spec.type', reason: `a headless Service (clusterIP None) cannot become ${typeAfter}; ${RECREATE}` });
  }
  return out;
}

function persistentVolumeClaim(before: ManifestObject, after: ManifestObject): RefusedChange[] {
  const strip = (o: ManifestObject) => {
    const spec = { ...((get(o, ['spec']) ?? {}) as Record<string, unknown>) };
    const resources = { ...((spec.resources ?? {}) as Record<string, unknown>) };
    delete resources.requests;
    spec.resources = resources;
    delete spec.volumeAttributesClassName;
    return spec;
  };
  return diffFields(strip(before), strip(after), 'spec').map(c => ({
    field: c.path,
    reason: `a PersistentVolumeClaim's spec is immutable after creation except resources.requests: ${c.path} ${showValue(c.before)} → ${showValue(c.after)}; create a new claim and migrate the data`,
  }));
}

function immutableData(before: ManifestObject, after: ManifestObject): RefusedChange[] {
  if (before.immutable !== true) return [];
  const out: RefusedChange[] = [];
  for (const field of ['data', 'binaryData', 'stringData']) {
    if (!sameValue(before[field], after[field])) {
      out.push({ field, reason: `the committed ${before.kind} is immutable: true, so its ${field} cannot change; give the changed content a new name (e.g. a content hash suffix)` });
    }
  }
  if (after.immutable !== true) out.push({ field: 'immutable', reason: `an immutable ${before.kind} cannot be made mutable again; ${RECREATE}` });
  return out;
}

/** The update rules of the kinds whose fields the API server protects, by `group/kind`. */
const RULES: Record<string, Rule> = {
  'apps/Deployment': immutable([['spec', 'selector']], ' in apps/v1'),
  'apps/ReplicaSet': immutable([['spec', 'selector']], ' in apps/v1'),
  'apps/DaemonSet': immutable([['spec', 'selector']], ' in apps/v1'),
  'apps/StatefulSet': statefulSet,
  'batch/Job': immutable([['spec', 'selector'], ['spec', 'template'], ['spec', 'completionMode']], ' for a Job'),
  '/Service': service,
  '/PersistentVolumeClaim': persistentVolumeClaim,
  '/ConfigMap': immutableData,
  '/Secret': immutableData,
  'rbac.authorization.k8s.io/RoleBinding': immutable([['roleRef']], ' (a binding cannot point at another role)'),
  'rbac.authorization.k8s.io/ClusterRoleBinding': immutable([['roleRef']], ' (a binding cannot point at another role)'),
};

/** The changes from `before` to `after` (the same object) that the API server refuses. */
export function refusedChanges(before: ManifestObject, after: ManifestObject): RefusedChange[] {
  const rule = RULES[`${groupOf(after.apiVersion)}/${after.kind}`];
  return rule ? rule(before, after) : [];
}
