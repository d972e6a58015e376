import { groupOf } from './pod-specs';
import { join, Manifest, Problem, problem } from './types';

/**
 * A Service lists each port name once and each port number once per protocol, as the API server
 * requires (`Duplicate value`).
 */
export function servicePortProblems(objects: Manifest[]): Problem[] {
  const out: Problem[] = [];
  for (const svc of objects.filter((o) => o.kind === 'Service' && groupOf(o.apiVersion) === '')) {
    const names = new Set<string>();
    const numbers = new Set<string>();
    (svc.spec?.ports ?? []).forEach((p: any, i: number) => {
      const at = join('spec.ports', i);
      if (p?.name !== undefined) {
        if (names.has(p.name)) out.push(problem(svc, join(at, 'name'), `duplicate port name "${p.name}"`));
        names.add(p.name);
      }
      const key = `${p?.port}/${p?.protocol ?? 'TCP'}`;
      if (numbers.has(key)) out.push(problem(svc, join(at, 'port'), `duplicate port ${key}`));
      numbers.add(key);
    });
  }
  return out;
}
