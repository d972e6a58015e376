// ArgoCD's directory sources, prune and apply modes, as its documentation states them, for the GitOps drills.
//
// - A directory source reads the `.yml`, `.yaml` and `.json` files of `spec.source.path` (not its
//   subfolders unless `directory.recurse`), narrowed by the `directory.include` glob:
//   https://argo-cd.readthedocs.io/en/stable/user-guide/directory/
// - What the files hold is the desired state; a live object the files no longer hold is
//   "OutOfSync, requires pruning": automated sync deletes it only with `prune: true`, otherwise it
//   stays live. While its file stays in the folder, nothing is pruned at all:
//   https://argo-cd.readthedocs.io/en/stable/user-guide/auto_sync/#automatic-pruning
// - Objects are applied with client-side `kubectl apply` unless the sync option
//   `ServerSideApply=true` is set: https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

export interface LiveObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly [key: string]: unknown;
}

export function keyOf(o: LiveObject): string {
  return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
}

/** Whether a file name matches a `directory.include` glob as this library writes them (`a`, `{a,b}`, `*`). */
function matchesInclude(name: string, include: string | undefined): boolean {
  if (include === undefined) return true;
  const alternatives = include.startsWith('{') && include.endsWith('}') ? include.slice(1, -1).split(',') : [include];
  return alternatives.some(a => new RegExp(`^${a.split('*').map(p => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`).test(name));
}

/** The files an Application's directory source reads, relative to the repository root. */
export function syncedFiles(repoRoot: string, application: any): string[] {
  const source = application.spec.source;
  const dir = path.join(repoRoot, source.path);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true })
    .filter(e => e.isFile() && /\.(ya?ml|json)$/.test(e.name) && matchesInclude(e.name, source.directory?.include))
    .map(e => path.posix.join(source.path, e.name))
    .sort();
}

/** The desired state of an Application: every object of the files it reads. */
export function desiredObjects(repoRoot: string, application: any): LiveObject[] {
  return syncedFiles(repoRoot, application).flatMap(f => parseAllDocuments(fs.readFileSync(path.join(repoRoot, f), 'utf8'))
    .map(d => d.toJS() as LiveObject).filter(o => o && typeof o.kind === 'string'));
}

/**
 * One sync of an Application: the desired objects are applied; live objects it managed that the
 * desired state no longer holds are pruned when `prune` is on (automated `prune: true`), and
 * stay live otherwise. Returns the live objects afterwards and those pruned.
 */
export function sync(live: readonly LiveObject[], desired: readonly LiveObject[], prune: boolean): { live: LiveObject[]; pruned: string[] } {
  const wanted = new Set(desired.map(keyOf));
  const stale = live.filter(o => !wanted.has(keyOf(o)));
  return {
    live: [...desired, ...(prune ? [] : stale)],
    pruned: prune ? stale.map(keyOf) : [],
  };
}

/** The ArgoCD Applications written into `<outdir>/argocd/`. */
export function applicationsIn(outdir: string): any[] {
  const dir = path.join(outdir, 'argocd');
  return fs.readdirSync(dir).flatMap(f => parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map(d => d.toJS()))
    .filter(o => o?.kind === 'Application');
}
