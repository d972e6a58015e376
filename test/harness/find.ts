import { describe, Manifest } from './types';

/** The object of `kind` named `name`; throws naming every object that exists when not found. */
export function findObject(objects: Manifest[], kind: string, name: string): Manifest {
  const hits = objects.filter((o) => o.kind === kind && o.metadata?.name === name);
  if (hits.length === 1) return hits[0];
  const all = objects.map(describe).join(', ') || 'none';
  throw new Error(hits.length === 0
    ? `no ${kind} named "${name}"; objects: ${all}`
    : `${hits.length} objects are ${kind} "${name}" (in several namespaces?); objects: ${all}`);
}
