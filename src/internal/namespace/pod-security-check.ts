import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { isPlusWorkload } from '../../plus-workload';
import { podSecurityProblems } from '../../testing/pod-security';
import { Manifest } from '../../testing/problems';
import { finalPodTemplate, POD_OWNER_KINDS } from '../workload/pod-templates';

/** The namespace whose Pod Security level the pods must meet. */
export interface PodSecuritySource {
  readonly namespace: string;
  /** The SecureNamespace's path (for messages). */
  readonly path: string;
  readonly level: 'restricted' | 'baseline' | 'privileged';
}

/**
 * Every pod-owning object of the App in the namespace whose pods its Pod Security admission
 * (`enforce` label) would refuse: cdk8s-plus workloads of any 2.x major (which do not drop
 * capabilities or set a seccomp profile by default), objects written by hand, and the library's
 * own after JSON patches. The Pod Security Standards are checked by the one implementation the
 * test kit (`toPassPodSecurity`) and the test harness use. Each problem names the object, what
 * fails and the fix.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
 */
export function podSecurityLevelProblems(source: PodSecuritySource, objects: readonly IConstruct[]): string[] {
  if (source.level === 'privileged') return [];
  const problems: string[] = [];
  for (const object of objects) {
    if (!ApiObject.isApiObject(object) || object.metadata.namespace !== source.namespace) continue;
    const pod = podOf(object);
    if (!pod) continue;
    const failures = podSecurityProblems(pod, source.level);
    if (failures.length === 0) continue;
    const owner = object.node.scope ?? object;
    const plus = isPlusWorkload(owner) ? ' (a cdk8s-plus workload: set its containers\' securityContext and the pod\'s, or patch them with ApiObject.of(workload).addJsonPatch)' : '';
    problems.push(`${owner.node.path}: ${object.kind} ${JSON.stringify(object.name)} runs pods that the Pod Security level "${source.level}" of namespace ${JSON.stringify(source.namespace)} (${source.path}) refuses at admission: ${failures.map(p => `${p.path}: ${p.message.replace(/^Pod Security Standards: /, '')}`).join('; ')}. Harden the pods${plus}, or lower the SecureNamespace's podSecurity`);
  }
  return problems;
}

/** The object's pods as a Pod manifest (the template after JSON patches), or undefined when it owns none. */
function podOf(object: ApiObject): Manifest | undefined {
  if (object.kind === 'Pod' && object.apiVersion === 'v1') {
    const json = object.toJson() as Manifest;
    return { apiVersion: 'v1', kind: 'Pod', metadata: json.metadata, spec: json.spec };
  }
  if (!POD_OWNER_KINDS.includes(object.kind)) return undefined;
  const template = finalPodTemplate(object) as { metadata?: Record<string, unknown>; spec?: unknown } | undefined;
  if (!template) return undefined;
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: object.name, ...template.metadata }, spec: template.spec };
}
