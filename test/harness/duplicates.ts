import { groupOf } from './pod-specs';
import { Manifest, Problem, problem } from './types';

/** Built-in cluster-scoped kinds: their (ignored) metadata.namespace does not separate names. */
const CLUSTER_SCOPED = ['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass', 'PriorityClass',
  'IngressClass', 'RuntimeClass', 'CustomResourceDefinition', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'];

/** Reports objects sharing API group + kind + namespace + name (one would overwrite the other). */
export function duplicateProblems(objects: Manifest[]): Problem[] {
  const seen = new Map<string, Manifest>();
  const out: Problem[] = [];
  for (const o of objects) {
    const ns = CLUSTER_SCOPED.includes(o.kind) ? '' : o.metadata?.namespace ?? '';
    const key = `${groupOf(o.apiVersion ?? '')}/${o.kind}/${ns}/${o.metadata?.name}`;
    const first = seen.get(key);
    if (first) out.push(problem(o, 'metadata.name', `duplicate object: another ${o.kind} with this name exists${ns ? ' in the same namespace' : ''} (${first.apiVersion})`));
    else seen.set(key, o);
  }
  return out;
}
