import { App } from 'cdk8s';
import { applicationOwners } from './internal/plan/application-owners';
import { diffFields, FieldChange, showChange } from './internal/plan/field-diff';
import { committedAt } from './internal/plan/git-output';
import { refusedChanges } from './internal/plan/immutable-fields';
import { lostReplicas } from './internal/plan/lost-replicas';
import { describeObject, groupOf, isManifestObject, ManifestObject, objectKey } from './internal/plan/object-key';
import { readManifests } from './internal/plan/read-manifests';
import { sourceOf } from './internal/plan/source-files';
import { synthObjects } from './synth';

export { FieldChange } from './internal/plan/field-diff';

/** How bad a {@link PlanFinding} is: errors fail `cloudnative-constructs plan` (exit code 1). */
export type PlanSeverity = 'error' | 'warning';

/** A change the cluster refuses, one that makes ArgoCD delete live objects, or one that disrupts. */
export interface PlanFinding {
  /** `error` fails the plan; `warning` is reported only. */
  readonly severity: PlanSeverity;
  /** The object, as `Kind namespace/name`. */
  readonly object: string;
  /**
   * The field concerned, e.g. `spec.selector`.
   * @default - the whole object (a removal or a rename)
   */
  readonly field?: string;
  /** What happens and how to proceed. */
  readonly message: string;
}

/** One object whose fields change. */
export interface PlanChange {
  /** The object, as `Kind namespace/name`. */
  readonly object: string;
  /** The changed leaf fields, in document order. */
  readonly fields: FieldChange[];
}

/** What a synthesis changes against the committed output: see {@link plan}. */
export interface PlanResult {
  /** Objects that do not exist in the committed output, as `Kind namespace/name`. */
  readonly added: string[];
  /** Objects whose fields change. */
  readonly changed: PlanChange[];
  /** Committed objects the synthesis no longer writes (ArgoCD prunes them). */
  readonly removed: string[];
  /** How many objects are identical. */
  readonly unchanged: number;
  /** Refused and destructive changes (errors, or warnings with `allowPrune`) and disruptive ones (warnings). */
  readonly findings: PlanFinding[];
  /** Whether no finding is an error. */
  readonly ok: boolean;
}

/** Options of {@link plan} and {@link planManifests}. */
export interface PlanOptions {
  /**
   * Report removed and renamed objects as warnings instead of errors, when pruning them is intended.
   * @default false
   */
  readonly allowPrune?: boolean;
}

/** Objects whose removal deletes more than the object itself. */
const PRUNE_CONSEQUENCES: Record<string, string> = {
  '/Namespace': ' and everything in the namespace, its PersistentVolumeClaims (and, with a Delete reclaim policy, their data) included',
  '/PersistentVolumeClaim': ' and, with a Delete reclaim policy, its volume and data',
  'apps/Deployment': ' and its pods',
  'apps/DaemonSet': ' and its pods',
  'apiextensions.k8s.io/CustomResourceDefinition': ' and every custom resource of that kind',
};

/**
 * Compares two sets of Kubernetes objects: `committed` (what the cluster runs, as committed for
 * ArgoCD) and `next` (what the code synthesises now). Objects are matched by API group, kind,
 * namespace and name. Documents that are not Kubernetes objects are ignored. Objects read from
 * files on both sides (as the command line reads them) are also checked for moving to another
 * ArgoCD Application, by the Applications among them.
 */
export function planManifests(committed: readonly unknown[], next: readonly unknown[], options: PlanOptions = {}): PlanResult {
  const before = indexByKey(committed.filter(isManifestObject));
  const after = indexByKey(next.filter(isManifestObject));
  const added: ManifestObject[] = [];
  const changed: PlanChange[] = [];
  const findings: PlanFinding[] = [];
  const moved = applicationMoves(committed, next, options);
  let unchanged = 0;

  for (const [key, obj] of after) {
    const old = before.get(key);
    if (!old) {
      added.push(obj);
      continue;
    }
    const move = moved(old, obj);
    if (move) findings.push(move);
    const fields = diffFields(old, obj);
    if (fields.length === 0) {
      unchanged++;
      continue;
    }
    changed.push({ object: describeObject(obj), fields });
    for (const refused of refusedChanges(old, obj)) {
      findings.push({ severity: 'error', object: describeObject(obj), field: refused.field, message: refused.reason });
    }
    const replicas = lostReplicas(old, obj);
    if (replicas) findings.push({ severity: 'warning', object: describeObject(obj), field: 'spec.replicas', message: replicas });
  }

  const removed = [...before].filter(([key]) => !after.has(key)).map(([, obj]) => obj);
  const renamedTo = pairRenames(removed, added);
  for (const obj of removed) {
    const consequence = PRUNE_CONSEQUENCES[`${groupOf(obj.apiVersion)}/${obj.kind}`] ?? statefulSetPrune(obj);
    const target = renamedTo.get(obj);
    const what = target
      ? `renamed to ${target.metadata?.name}: ArgoCD creates the new object and prunes the live ${obj.metadata?.name}${consequence}`
      : `removed: ArgoCD prunes the live object${consequence} (automated prune), or leaves it running unmanaged`;
    findings.push({
      severity: options.allowPrune ? 'warning' : 'error',
      object: describeObject(obj),
      message: `${what}; keep the name, or accept the prune (plan --allow-prune)`,
    });
  }

  return {
    added: added.map(describeObject),
    changed,
    removed: removed.map(describeObject),
    unchanged,
    findings,
    ok: findings.every(f => f.severity !== 'error'),
  };
}

/**
 * The finding of an object that another ArgoCD Application syncs after the change: the two sync
 * on their own, so the old one may prune the live object before the new one applies it. Only for
 * objects read from files on both sides (the Applications read files).
 */
function applicationMoves(committed: readonly unknown[], next: readonly unknown[], options: PlanOptions) {
  const ownerBefore = applicationOwners(committed.filter(isManifestObject));
  const ownerAfter = applicationOwners(next.filter(isManifestObject));
  return (old: ManifestObject, obj: ManifestObject): PlanFinding | undefined => {
    if (sourceOf(old) === undefined || sourceOf(obj) === undefined) return undefined;
    const from = ownerBefore(old);
    const to = ownerAfter(obj);
    // an object no Application synced before is only adopted
    if (from === undefined || from === to) return undefined;
    const consequence = PRUNE_CONSEQUENCES[`${groupOf(obj.apiVersion)}/${obj.kind}`] ?? statefulSetPrune(obj);
    const target = to === undefined ? 'a file no Application syncs' : `Application ${to}`;
    const race = to === undefined ? '' : `, while ${to} creates it again: whichever syncs first wins`;
    return {
      severity: options.allowPrune ? 'warning' : 'error',
      object: describeObject(obj),
      message: `moves from Application ${from} to ${target}: ${from} no longer holds it, so its sync prunes the live object${consequence} (automated prune)${race}; `
        + `annotate it argocd.argoproj.io/sync-options: Prune=false and sync ${from} before moving it, or accept the prune (plan --allow-prune)`,
    };
  };
}

/**
 * What synthesising `app` would change against the YAML committed in `committedDir` (read
 * recursively, every `*.yaml`/`*.yml` file): objects added, changed (with a field diff) and
 * removed, and as errors the changes the API server refuses on update (immutable fields such as
 * a Deployment's `spec.selector`, a StatefulSet's `volumeClaimTemplates`, a RoleBinding's
 * `roleRef`) and the removals and renames that make ArgoCD prune live objects (moves between
 * Applications are seen by `cloudnative-constructs plan` only, which reads both sides from files); as warnings the
 * changes that disrupt (a Deployment, StatefulSet or Rollout losing `spec.replicas`). The app is
 * synthesised in memory; nothing is written.
 *
 * `committedDir` must hold the output as committed — a checkout of the base — not the folder
 * `synth(app)` writes into (after a synthesis it holds the new output, and the plan sees no
 * change). To compare with git directly, use `planManifests(committedObjects({ outdir: 'dist' }),
 * synthObjects(app))`, as `cloudnative-constructs plan` does.
 *
 * @example
 * const result = plan(app, 'base-checkout/dist');
 * if (!result.ok) throw new Error(formatPlan(result));
 */
export function plan(app: App, committedDir: string, options: PlanOptions = {}): PlanResult {
  return planManifests(readManifests(committedDir), synthObjects(app), options);
}

/** Options of {@link committedObjects}. */
export interface CommittedObjectsOptions {
  /** The output folder, relative to `cwd` (e.g. `dist`). */
  readonly outdir: string;
  /**
   * The commit, branch or tag whose committed output is read, e.g. `origin/main`.
   * @default 'HEAD'
   */
  readonly base?: string;
  /**
   * A folder inside the git work tree.
   * @default - the current working directory
   */
  readonly cwd?: string;
}

/**
 * The Kubernetes objects of every YAML file under `outdir` as committed in git at `base`, read
 * from git itself (`git ls-tree`, `git cat-file`), never from the working tree: files a
 * synthesis wrote, changed or left there are not seen. Fails when `base` is not a commit of the
 * repository or nothing is committed under `outdir` there.
 */
export function committedObjects(options: CommittedObjectsOptions): unknown[] {
  return committedAt(options.cwd ?? process.cwd(), options.base ?? 'HEAD', options.outdir);
}

/**
 * A plan as text (`'text'`, for terminals) or Markdown (`'markdown'`, e.g. for a GitHub job
 * summary): counts, then errors and warnings, then the added, changed (field by field) and
 * removed objects.
 */
export function formatPlan(result: PlanResult, format: 'text' | 'markdown' = 'text'): string {
  const md = format === 'markdown';
  const code = (s: string) => (md ? `\`${s.replace(/`/g, "'")}\`` : s);
  const lines: string[] = [];
  const errors = result.findings.filter(f => f.severity === 'error').length;
  const warnings = result.findings.length - errors;
  lines.push(`${md ? '### ' : ''}Plan: ${result.added.length} to add, ${result.changed.length} to change, ${result.removed.length} to remove, ${result.unchanged} unchanged; ${errors} error(s), ${warnings} warning(s)`);
  if (result.findings.length > 0) {
    lines.push('');
    for (const f of result.findings) {
      const where = f.field ? `${code(f.object)} ${code(f.field)}` : code(f.object);
      lines.push(`${md ? '- ' : ''}${f.severity === 'error' ? (md ? '**error**' : 'ERROR') : (md ? 'warning' : 'WARNING')} ${where}: ${f.message}`);
    }
  }
  const section = (title: string, items: string[]) => {
    if (items.length === 0) return;
    lines.push('', md ? `#### ${title}` : `${title}:`);
    lines.push(...items);
  };
  section('Added', result.added.map(o => `${md ? '- ' : '  + '}${code(o)}`));
  section('Changed', result.changed.flatMap(c => [
    `${md ? '- ' : '  ~ '}${code(c.object)}`,
    ...c.fields.map(f => {
      const [before, after] = showChange(f.before, f.after);
      return `${md ? '  - ' : '      '}${code(f.path)}: ${code(before)} → ${code(after)}`;
    }),
  ]));
  section('Removed', result.removed.map(o => `${md ? '- ' : '  - '}${code(o)}`));
  return `${lines.join('\n')}\n`;
}

/**
 * What pruning a StatefulSet deletes: its pods, and its claims only when its
 * `persistentVolumeClaimRetentionPolicy.whenDeleted` is `Delete`.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#persistentvolumeclaim-retention
 */
function statefulSetPrune(obj: ManifestObject): string {
  if (`${groupOf(obj.apiVersion)}/${obj.kind}` !== 'apps/StatefulSet') return '';
  type ClaimTemplate = { metadata?: { name?: string }; spec?: { resources?: { requests?: { storage?: unknown } } } };
  const spec = (obj.spec ?? {}) as { volumeClaimTemplates?: ClaimTemplate[]; persistentVolumeClaimRetentionPolicy?: { whenDeleted?: string } };
  const claims = (spec.volumeClaimTemplates ?? []).map(t => `${t.metadata?.name}-${obj.metadata?.name}-<ordinal> (${String(t.spec?.resources?.requests?.storage ?? '?')} each)`);
  if (claims.length === 0) return ' and its pods';
  return spec.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete'
    ? ` and its pods, and its claims ${claims.join(', ')} with them (persistentVolumeClaimRetentionPolicy.whenDeleted: Delete)`
    : ` and its pods (its claims ${claims.join(', ')} stay)`;
}

function indexByKey(objects: readonly ManifestObject[]): Map<string, ManifestObject> {
  const map = new Map<string, ManifestObject>();
  for (const obj of objects) map.set(objectKey(obj), obj);
  return map;
}

/**
 * Pairs each removed object with the one added object of the same group, kind and namespace,
 * when there is exactly one on each side (a rename).
 */
function pairRenames(removed: readonly ManifestObject[], added: readonly ManifestObject[]): Map<ManifestObject, ManifestObject> {
  const bucket = (o: ManifestObject) => `${groupOf(o.apiVersion)}/${o.kind}/${o.metadata?.namespace ?? ''}`;
  const count = (list: readonly ManifestObject[]) => {
    const m = new Map<string, ManifestObject[]>();
    for (const o of list) m.set(bucket(o), [...(m.get(bucket(o)) ?? []), o]);
    return m;
  };
  const gone = count(removed);
  const fresh = count(added);
  const out = new Map<ManifestObject, ManifestObject>();
  for (const [key, list] of gone) {
    const candidates = fresh.get(key);
    if (list.length === 1 && candidates?.length === 1) out.set(list[0], candidates[0]);
  }
  return out;
}
