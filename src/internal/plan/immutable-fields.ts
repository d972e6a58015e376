import { diffFields, sameValue, showChange } from './field-diff';
import { groupOf, ManifestObject } from './object-key';
import { parseQuantity } from '../core/quantity';

/** A change the API server refuses on update (or silently does not apply). */
export interface RefusedChange {
  /** The field, e.g. `spec.selector`. */
  readonly field: string;
  /** Why, and what to do instead. */
  readonly reason: string;
}

type Rule = (before: ManifestObject, after: ManifestObject) => RefusedChange[];

/**
 * How to get an object with changed immutable fields onto the cluster, as ArgoCD documents its
 * sync options: the default sync (`kubectl apply`) and `Replace=true` (`kubectl replace`, or
 * `kubectl create` when the object is missing) both send an update the API server refuses; only
 * `Force=true,Replace=true` deletes and recreates the object.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/
 */
const RECREATE = 'ArgoCD\'s sync (kubectl apply) fails on it, and so does Replace=true (kubectl replace is an update too); '
  + 'to delete and recreate the object, annotate it argocd.argoproj.io/sync-options: Force=true,Replace=true '
  + '(it is gone until recreated; a workload\'s pods stop), or give it a new name (the old one is pruned)';

function shown(before: unknown, after: unknown): string {
  const [a, b] = showChange(before, after);
  return `${a} → ${b}`;
}

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
    reason: `${p.join('.')} is immutable${why}: ${shown(get(before, p), get(after, p))}; the API server refuses the update; ${RECREATE}`,
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
      reason: `a ${kind}'s spec.${k} cannot be changed (only ${mutable.join(', ')} can): ${shown(a[k], b[k])}; ${RECREATE}`,
    }));
  };
}

const statefulSetSpec = onlyMutable(['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'], 'StatefulSet');

function service(before: ManifestObject, after: ManifestObject): RefusedChange[] {
  const out: RefusedChange[] = [];
  for (const field of ['clusterIP', 'clusterIPs']) {
    const a = get(before, ['spec', field]);
    const b = get(after, ['spec', field]);
    if (!sameValue(a, b)) {
      out.push({
        field: `spec.${field}`,
        reason: `spec.${field} is immutable once allocated: ${shown(a, b)}; the API server refuses the update (or keeps the live value when the field is dropped, e.g. a headless Service stays headless); ${RECREATE}`,
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

/** The storage a claim (or a claim template) requests, in bytes. */
function storageOf(claim: unknown): { text: unknown; bytes?: number } {
  const text = get(claim, ['spec', 'resources', 'requests', 'storage']);
  return { text, bytes: typeof text === 'string' ? parseQuantity(text) : typeof text === 'number' ? text : undefined };
}

/** A claim's spec without its storage request (the only field that may change, and only upwards). */
function withoutStorage(claim: unknown): Record<string, unknown> {
  const spec = { ...((get(claim, ['spec']) ?? {}) as Record<string, unknown>) };
  const resources = { ...((spec.resources ?? {}) as Record<string, unknown>) };
  const requests = { ...((resources.requests ?? {}) as Record<string, unknown>) };
  delete requests.storage;
  resources.requests = requests;
  spec.resources = resources;
  delete spec.volumeAttributesClassName;
  return spec;
}

/** A smaller storage request: refused, claims never shrink. */
function shrinks(before: unknown, after: unknown): boolean {
  const a = storageOf(before).bytes;
  const b = storageOf(after).bytes;
  return a !== undefined && b !== undefined && b < a;
}

const SHRINK = 'the API server refuses a smaller request: a claim never shrinks; keep the size, or create a smaller claim under a new name and move the data';

function persistentVolumeClaim(before: ManifestObject, after: ManifestObject): RefusedChange[] {
  const out: RefusedChange[] = diffFields(withoutStorage(before), withoutStorage(after), 'spec').map(c => ({
    field: c.path,
    reason: `a PersistentVolumeClaim's spec is immutable after creation except its storage request: ${c.path} ${shown(c.before, c.after)}; `
      + 'create a new claim (a new name starts empty) and move the data',
  }));
  if (shrinks(before, after)) {
    out.push({ field: 'spec.resources.requests.storage', reason: `storage ${shown(storageOf(before).text, storageOf(after).text)}: ${SHRINK}` });
  }
  return out;
}

/**
 * A StatefulSet's `volumeClaimTemplates` cannot change. A template that only asks for more
 * storage is a resize: the claims grow by volume expansion, and the StatefulSet object alone is
 * recreated to take the new template (its pods and claims stay).
 * @see https://kubernetes.io/docs/concepts/storage/persistent-volumes/#expanding-persistent-volumes-claims
 */
function statefulSet(before: ManifestObject, after: ManifestObject): RefusedChange[] {
  const out = statefulSetSpec(before, after).filter(r => r.field !== 'spec.volumeClaimTemplates');
  const templates = (o: ManifestObject) => (get(o, ['spec', 'volumeClaimTemplates']) ?? []) as unknown[];
  const a = templates(before);
  const b = templates(after);
  if (sameValue(a, b)) return out;
  const name = (t: unknown) => get(t, ['metadata', 'name']);
  const resized = a.length === b.length && a.every((t, i) => name(t) === name(b[i]) && sameValue(withoutStorage(t), withoutStorage(b[i])));
  if (!resized) {
    return [...out, {
      field: 'spec.volumeClaimTemplates',
      reason: `a StatefulSet's volumeClaimTemplates cannot be changed: ${shown(a, b)}; ${RECREATE}; the pods' existing claims keep their old spec`,
    }];
  }
  const set = after.metadata?.name;
  const ns = after.metadata?.namespace ? ` -n ${after.metadata.namespace}` : '';
  for (const [i, template] of b.entries()) {
    if (sameValue(a[i], template)) continue;
    const field = `spec.volumeClaimTemplates[${name(template)}].spec.resources.requests.storage`;
    const sizes = shown(storageOf(a[i]).text, storageOf(template).text);
    out.push(shrinks(a[i], template)
      ? { field, reason: `storage ${sizes}: ${SHRINK}` }
      : {
        field,
        reason: `storage ${sizes}: a StatefulSet's volumeClaimTemplates cannot be changed, and a claim grows by volume expansion, not under a new name (a new claim starts empty): `
          + `raise spec.resources.requests.storage of each existing claim ${name(template)}-${set}-<ordinal> (its StorageClass must set allowVolumeExpansion: true), `
          + `then recreate the StatefulSet object alone so that it takes the new template: kubectl delete statefulset ${set}${ns} --cascade=orphan (its pods and claims stay), and sync; `
          + 'not Force=true,Replace=true, which deletes its pods too',
      });
  }
  return out;
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
