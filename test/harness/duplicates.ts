import { groupOf } from './pod-specs';
import { Manifest, Problem, problem } from './types';

/** Reports objects sharing API group + kind + namespace + name (one would overwrite the other). */
export function duplicateProblems(objects: Manifest[]): Problem[] {
  const seen = new Map<string, Manifest>();
  const out: Problem[] = [];
  for (const o of objects) {
    const key = `${groupOf(o.apiVersion ?? '')}/${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
    const first = seen.get(key);
    if (first) out.push(problem(o, 'metadata.name', `duplicate object: another ${o.kind} with this name exists in the same namespace (${first.apiVersion})`));
    else seen.set(key, o);
  }
  return out;
}
