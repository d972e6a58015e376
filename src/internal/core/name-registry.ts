import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { PropValidationError } from './errors';
import { getOrInsert } from './get-or-insert';
import { checkOutputFilesOnSynth } from '../output/file-collisions';

const REGISTRIES = new WeakMap<IConstruct, Map<string, string>>();

/** The namespace objects created under `scope` land in (`default` when the chart sets none). */
export function namespaceOf(scope: IConstruct): string {
  return Chart.of(scope).namespace ?? 'default';
}

/**
 * The `metadata.namespace` to write for an object in `namespace` created under `scope`: none when
 * it is the implicit namespace of a chart without one (its other objects carry none either, and
 * ArgoCD or kubectl place them all in the same destination namespace), else `namespace`.
 */
export function writtenNamespace(scope: IConstruct, namespace: string): string | undefined {
  return Chart.of(scope).namespace === undefined && namespace === namespaceOf(scope) ? undefined : namespace;
}

/**
 * Fails when `namespace` is the implicit namespace of `owner`'s chart without one and another
 * object must name it (a namespace selector, a mesh identity, a parentRef, a PromQL matcher):
 * the namespace is only chosen when the chart is applied, so any name written here (`default`)
 * would be a guess. Returns `namespace`.
 */
export function checkNamedNamespace(scope: IConstruct, prop: string, owner: IConstruct, namespace: string, use: string): string {
  if (writtenNamespace(owner, namespace) !== undefined) return namespace;
  throw new PropValidationError(scope.node.path, prop, owner.node.path,
    `${use}, but ${owner.node.path} is in chart ${Chart.of(owner).node.path || '(root)'}, which sets no namespace (it is chosen when the chart is applied), so no namespace can be written for it; give that chart a namespace (new Chart(app, id, { namespace }))`);
}

/**
 * Records that `scope` creates the object `kind`/`name` in its namespace, and fails when
 * another construct in the same app already did: two such objects would fail the apply.
 */
export function claimName(scope: IConstruct, prop: string, kind: string, name: string, namespace = namespaceOf(scope)): void {
  checkOutputFilesOnSynth(scope);
  const registry = getOrInsert(REGISTRIES, scope.node.root, () => new Map());
  const key = `${kind}/${namespace}/${name}`;
  const owner = registry.get(key);
  if (owner !== undefined && owner !== scope.node.path) {
    throw new PropValidationError(scope.node.path, prop, name,
      `a ${kind} named ${JSON.stringify(name)} already exists in namespace ${JSON.stringify(namespace)} (created by ${owner}); choose another name`);
  }
  registry.set(key, scope.node.path);
}

/** Forgets the claim on `kind`/`name` in `namespace` (its object was removed from the tree). */
export function releaseName(scope: IConstruct, kind: string, name: string, namespace: string): void {
  REGISTRIES.get(scope.node.root)?.delete(`${kind}/${namespace}/${name}`);
}
