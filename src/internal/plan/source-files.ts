/**
 * The file each object of a plan was read from, relative to the repository root (`dist/shop.k8s.yaml`),
 * so that the plan can tell which ArgoCD Application syncs it. Objects synthesised in memory
 * have none.
 */
const SOURCES = new WeakMap<object, string>();

/** Records that `obj` was read from `file` (repository-relative, `/`-separated). */
export function recordSource(obj: object, file: string): void {
  SOURCES.set(obj, file);
}

/** The repository-relative file `obj` was read from, when it was read from one. */
export function sourceOf(obj: object): string | undefined {
  return SOURCES.get(obj);
}
