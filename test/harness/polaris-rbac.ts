import { groupOf } from './pod-specs';
import { polarisExempt, PolarisFinding, polarisSeverity } from './polaris';
import { nsOf } from './selectors';
import { Manifest, problem } from './types';

// The Polaris RBAC binding checks need Go templating against the bound role, so they are
// re-stated here in code, mirroring their schemas: a binding fails when the role it references
// allows pods/exec or pods/attach (apiGroups ""/*, resources */pods/exec/pods/attach, verbs
// */get/create), or has wildcard permissions (apiGroups *, resources *, verbs * or all seven
// verbs). The role is looked up in the set (a Role in the binding's namespace, a ClusterRole
// anywhere) or among Kubernetes' built-in ClusterRoles below; a role found nowhere is external
// and skipped. Bindings named `system:*` are exempt, as in Polaris.

type Rule = { apiGroups?: string[]; resources?: string[]; verbs?: string[] };
const ALL_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/** Built-in ClusterRoles (Kubernetes 1.28), reduced to the rules these checks look at. */
const BUILT_IN: Record<string, Rule[]> = {
  'cluster-admin': [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
  'admin': [{ apiGroups: [''], resources: ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], verbs: ['get', 'list', 'watch', 'create', 'delete', 'deletecollection', 'patch', 'update'] }],
  'edit': [{ apiGroups: [''], resources: ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], verbs: ['get', 'list', 'watch', 'create', 'delete', 'deletecollection', 'patch', 'update'] }],
  'view': [{ apiGroups: [''], resources: ['pods', 'services', 'configmaps'], verbs: ['get', 'list', 'watch'] }],
};

const has = (list: string[] | undefined, ...values: string[]) => (list ?? []).some((v) => values.includes(v));

/** A rule that allows exec into or attach to pods. */
export function allowsExecAttach(rule: Rule): boolean {
  return has(rule.apiGroups, '', '*') && has(rule.resources, '*', 'pods/exec', 'pods/attach') && has(rule.verbs, '*', 'get', 'create');
}

/** A rule with wildcard permissions. */
export function isWildcard(rule: Rule): boolean {
  return has(rule.apiGroups, '*') && has(rule.resources, '*') && (has(rule.verbs, '*') || ALL_VERBS.every((v) => has(rule.verbs, v)));
}

const isRbac = (o: Manifest, kind: string) => o.kind === kind && groupOf(o.apiVersion) === 'rbac.authorization.k8s.io';

function rulesOf(objects: Manifest[], binding: Manifest): Rule[] | undefined {
  const ref = binding.roleRef ?? {};
  const role = ref.kind === 'Role'
    ? objects.find((o) => isRbac(o, 'Role') && nsOf(o) === nsOf(binding) && o.metadata?.name === ref.name)
    : objects.find((o) => isRbac(o, 'ClusterRole') && o.metadata?.name === ref.name);
  if (role) return role.rules ?? [];
  return ref.kind === 'ClusterRole' ? BUILT_IN[ref.name] : undefined;
}

/** Polaris's RoleBinding / ClusterRoleBinding checks over a whole set of objects. */
export function polarisRbacFindings(objects: Manifest[]): PolarisFinding[] {
  const out: PolarisFinding[] = [];
  for (const b of objects.filter((o) => isRbac(o, 'RoleBinding') || isRbac(o, 'ClusterRoleBinding'))) {
    if (String(b.metadata?.name).startsWith('system:')) continue;
    const rules = rulesOf(objects, b);
    if (!rules) continue;
    const refKind = b.roleRef?.kind;
    const exec = rules.some(allowsExecAttach);
    const wildcard = rules.some(isWildcard) || (refKind === 'ClusterRole' && b.roleRef?.name === 'cluster-admin');
    const checks: Array<[string, boolean, string]> = b.kind === 'RoleBinding'
      ? [
        ['rolebindingRolePodExecAttach', refKind === 'Role' && exec, 'references a Role that allows pods/exec or pods/attach'],
        ['rolebindingClusterRolePodExecAttach', refKind === 'ClusterRole' && exec, 'references a ClusterRole that allows pods/exec or pods/attach'],
        ['rolebindingClusterAdminRole', refKind === 'Role' && wildcard, 'references a Role with wildcard permissions'],
        ['rolebindingClusterAdminClusterRole', refKind === 'ClusterRole' && wildcard, 'references cluster-admin or a ClusterRole with wildcard permissions'],
      ]
      : [
        ['clusterrolebindingPodExecAttach', exec, 'references a ClusterRole that allows pods/exec or pods/attach'],
        ['clusterrolebindingClusterAdmin', wildcard && b.roleRef?.name !== 'view', 'references cluster-admin or a ClusterRole with wildcard permissions'],
      ];
    for (const [id, failed, message] of checks) {
      if (!failed || polarisExempt(b, id)) continue;
      const severity = polarisSeverity(id);
      out.push({ checkId: id, severity, problem: problem(b, 'roleRef', `polaris/${id} (${severity}): ${b.kind} ${message} ("${b.roleRef?.name}")`) });
    }
  }
  return out;
}
