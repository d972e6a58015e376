import { groupOf } from './pod-specs';
import { polarisExempt, PolarisFinding, polarisSeverity } from './polaris';
import { nsOf } from './selectors';
import { Manifest, problem } from './types';

// The Polaris RBAC binding checks need Go templating against the bound role, so they are
// re-stated here in code, mirroring their schemas: a binding fails when the role it references
// allows pods/exec or pods/attach (apiGroups ""/*, resources */pods/exec/pods/attach, verbs
// */get/create), or has wildcard permissions (apiGroups *, resources *, verbs * or all seven
// verbs). Bindings named `system:*` are exempt, as in Polaris.
//
// How Polaris evaluates them (pkg/validator/schema.go, pkg/config/schema.go
// CheckAdditionalObjects): each RoleBinding check has an "additional schema" for Roles or for
// ClusterRoles, templated with the binding, and passes only when SOME object of that kind in the
// binding's namespace (or cluster-scoped) passes it. For the checks about the other kind of role
// the template is empty, so any object passes, but none fails: a binding to a ClusterRole fails
// `rolebindingClusterAdminRole` and `rolebindingRolePodExecAttach` in a namespace without Roles.
// Modelled here as a cluster audit: the namespace's Roles are those of the set (the library
// writes whole namespaces); ClusterRoles are those of the set plus Kubernetes' built-in ones
// below. A binding to a ClusterRole found nowhere (defined elsewhere in the cluster) is not
// judged by the ClusterRole checks. A manifest-only audit (`polaris audit --audit-path`) also
// lacks the built-in ClusterRoles, so there every binding to `view` or `admin` fails
// `rolebindingClusterAdminClusterRole` and `rolebindingClusterRolePodExecAttach` ("or that does
// not exist"): run Polaris against the cluster for RBAC.

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

type RoleKind = 'Role' | 'ClusterRole';

/** The roles of `kind` Polaris would see for a binding: the namespace's Roles, or every ClusterRole. */
function rolesOf(objects: Manifest[], binding: Manifest, kind: RoleKind): Array<{ name: string; rules: Rule[] }> {
  const found = objects.filter((o) => isRbac(o, kind) && (kind === 'ClusterRole' || nsOf(o) === nsOf(binding)))
    .map((o) => ({ name: String(o.metadata?.name), rules: (o.rules ?? []) as Rule[] }));
  const builtIn = kind === 'ClusterRole' ? Object.entries(BUILT_IN).filter(([n]) => !found.some((f) => f.name === n)).map(([name, rules]) => ({ name, rules })) : [];
  return [...found, ...builtIn];
}

/**
 * One binding check as Polaris evaluates it: the check is about roles of `kind`; when the binding
 * references such a role, that role must exist and have no rule `bad`; otherwise some role of
 * `kind` must merely exist. `undefined` means "not judged" (a ClusterRole defined elsewhere).
 */
function bindingCheckFails(objects: Manifest[], binding: Manifest, kind: RoleKind, bad: (r: Rule) => boolean): boolean | undefined {
  const roles = rolesOf(objects, binding, kind);
  const ref = binding.roleRef ?? {};
  if (ref.kind !== kind) return roles.length === 0;
  const role = roles.find((r) => r.name === ref.name);
  if (!role) return kind === 'Role' ? true : undefined;
  return role.rules.some(bad);
}

/** Polaris's RoleBinding / ClusterRoleBinding checks over a whole set of objects. */
export function polarisRbacFindings(objects: Manifest[]): PolarisFinding[] {
  const out: PolarisFinding[] = [];
  for (const b of objects.filter((o) => isRbac(o, 'RoleBinding') || isRbac(o, 'ClusterRoleBinding'))) {
    if (String(b.metadata?.name).startsWith('system:')) continue;
    const refKind = b.roleRef?.kind;
    const refName = b.roleRef?.name;
    const checks: Array<[string, boolean | undefined, string]> = [];
    if (b.kind === 'RoleBinding') {
      const missing = (kind: RoleKind) => (refKind === kind ? '' : ` (the check looks for a ${kind} in ${kind === 'Role' ? `namespace ${nsOf(b)}` : 'the cluster'} and finds none)`);
      checks.push(
        ['rolebindingRolePodExecAttach', bindingCheckFails(objects, b, 'Role', allowsExecAttach), `references a Role that allows pods/exec or pods/attach, or that does not exist${missing('Role')}`],
        ['rolebindingClusterRolePodExecAttach', bindingCheckFails(objects, b, 'ClusterRole', allowsExecAttach), `references a ClusterRole that allows pods/exec or pods/attach, or that does not exist${missing('ClusterRole')}`],
        ['rolebindingClusterAdminRole', bindingCheckFails(objects, b, 'Role', isWildcard), `references a Role with wildcard permissions${missing('Role')}`],
        ['rolebindingClusterAdminClusterRole', refKind === 'ClusterRole' && refName === 'cluster-admin' ? true : bindingCheckFails(objects, b, 'ClusterRole', isWildcard),
          `references cluster-admin or a ClusterRole with wildcard permissions${missing('ClusterRole')}`],
      );
    } else {
      const rules = rolesOf(objects, b, 'ClusterRole').find((r) => r.name === refName)?.rules;
      if (!rules) continue;
      checks.push(
        ['clusterrolebindingPodExecAttach', rules.some(allowsExecAttach), 'references a ClusterRole that allows pods/exec or pods/attach'],
        ['clusterrolebindingClusterAdmin', (rules.some(isWildcard) || refName === 'cluster-admin') && refName !== 'view', 'references cluster-admin or a ClusterRole with wildcard permissions'],
      );
    }
    for (const [id, failed, message] of checks) {
      if (!failed || polarisExempt(b, id)) continue;
      const severity = polarisSeverity(id);
      out.push({ checkId: id, severity, problem: problem(b, 'roleRef', `polaris/${id} (${severity}): ${b.kind} ${message} ("${refName}")`) });
    }
  }
  return out;
}
