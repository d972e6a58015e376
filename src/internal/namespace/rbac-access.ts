import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { propError } from '../core/errors';
import { recommendedLabels } from '../core/labels';
import { claimName } from '../core/name-registry';

const RBAC_API_GROUP = 'rbac.authorization.k8s.io';
const WRITE = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];
const READ = ['get', 'list', 'watch'];

/**
 * The rules of the `editor` Role: what the built-in `edit` ClusterRole allows for deploying and
 * operating apps, without `pods/exec`, `pods/attach`, `pods/portforward`, `pods/proxy`,
 * `services/proxy`, ServiceAccount impersonation and Secrets, and with NetworkPolicies read-only
 * (the namespace's isolation is managed from Git, not by hand).
 */
export const EDITOR_RULES: ReadonlyArray<{ apiGroups: string[]; resources: string[]; verbs: string[] }> = [
  { apiGroups: [''], resources: ['configmaps', 'persistentvolumeclaims', 'services', 'serviceaccounts'], verbs: WRITE },
  { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch', 'delete', 'deletecollection'] },
  { apiGroups: [''], resources: ['pods/log', 'pods/status', 'endpoints', 'events', 'limitranges', 'resourcequotas', 'services/status', 'persistentvolumeclaims/status'], verbs: READ },
  { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
  { apiGroups: ['apps'], resources: ['deployments', 'deployments/scale', 'statefulsets', 'statefulsets/scale', 'daemonsets', 'replicasets', 'replicasets/scale'], verbs: WRITE },
  { apiGroups: ['apps'], resources: ['controllerrevisions', 'deployments/status', 'statefulsets/status', 'daemonsets/status', 'replicasets/status'], verbs: READ },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: WRITE },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: WRITE },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: WRITE },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: WRITE },
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: READ },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: READ },
];

/** Polaris's RoleBinding checks, by the kind of role they judge. */
const POLARIS_CHECKS: Record<'Role' | 'ClusterRole', readonly string[]> = {
  Role: ['rolebindingRolePodExecAttach', 'rolebindingClusterAdminRole'],
  ClusterRole: ['rolebindingClusterRolePodExecAttach', 'rolebindingClusterAdminClusterRole'],
};

/** The reason an `admins` binding may allow exec and attach. */
export const ADMIN_EXEC_REASON = 'Namespace admins are bound to the built-in admin ClusterRole, which grants pods/exec and pods/attach for break-glass debugging; the waiver is declared in SecureNamespace.access.admins and reviewed with it.';

function otherKindReason(refKind: 'Role' | 'ClusterRole', check: string): string {
  const other = refKind === 'Role' ? 'ClusterRole' : 'Role';
  return `This binding references a ${refKind}, not a ${other}: ${check} judges ${other}s, and Polaris fails it whenever no ${other} `
    + `${other === 'Role' ? 'exists in the namespace' : 'is in the audited set'}, whatever the binding grants.`;
}

/**
 * The Polaris exemption annotations of a RoleBinding, each with its reason
 * (`polaris.fairwinds.com/<check>-exempt` and `cloudnative-constructs/<check>-exempt-reason`):
 * the checks about the other kind of role (Polaris looks for any such role and fails when there
 * is none, see pkg/config/schema.go CheckAdditionalObjects) and the waivers given in `extra`.
 */
export function polarisWaivers(refKind: 'Role' | 'ClusterRole', extra: Record<string, string> = {}): Record<string, string> {
  const reasons: Record<string, string> = {};
  for (const check of POLARIS_CHECKS[refKind === 'Role' ? 'ClusterRole' : 'Role']) reasons[check] = otherKindReason(refKind, check);
  Object.assign(reasons, extra);
  const annotations: Record<string, string> = {};
  for (const check of Object.keys(reasons).sort()) {
    annotations[`polaris.fairwinds.com/${check}-exempt`] = 'true';
    annotations[`cloudnative-constructs/${check}-exempt-reason`] = reasons[check];
  }
  return annotations;
}

/** Validates a list of group names: non-empty, no blank or repeated names. */
export function checkGroups(scope: Construct, prop: string, groups: readonly string[]): readonly string[] {
  if (!Array.isArray(groups) || groups.length === 0) {
    throw propError(scope, prop, groups, 'must be a non-empty list of group names as your identity provider sends them (e.g. ["shop-developers"]); omit it to bind nobody');
  }
  groups.forEach((group, index) => {
    if (typeof group !== 'string' || group.trim() === '' || group !== group.trim()) {
      throw propError(scope, `${prop}[${index}]`, group, 'group names must be non-empty strings without leading or trailing spaces');
    }
    if (groups.indexOf(group) !== index) throw propError(scope, `${prop}[${index}]`, group, 'lists this group twice');
  });
  return groups;
}

interface BindingOptions {
  readonly name: string;
  readonly namespace: string;
  readonly groups: readonly string[];
  readonly roleRef: { kind: 'Role' | 'ClusterRole'; name: string };
  /** Polaris checks waived for this binding (check id → reason), beyond those about the other kind of role. */
  readonly polarisWaivers?: Record<string, string>;
}

/** Creates a RoleBinding of `groups` to a Role or ClusterRole in `namespace`. */
export function createRoleBinding(scope: Construct, id: string, options: BindingOptions): ApiObject {
  claimName(scope, 'access', 'RoleBinding', options.name, options.namespace);
  return new ApiObject(scope, id, {
    apiVersion: `${RBAC_API_GROUP}/v1`,
    kind: 'RoleBinding',
    metadata: {
      name: options.name,
      namespace: options.namespace,
      labels: recommendedLabels({ name: options.namespace, instance: options.name, component: 'access', partOf: options.namespace }),
      annotations: polarisWaivers(options.roleRef.kind, options.polarisWaivers),
    },
    subjects: options.groups.map(group => ({ kind: 'Group', apiGroup: RBAC_API_GROUP, name: group })),
    roleRef: { apiGroup: RBAC_API_GROUP, ...options.roleRef },
  });
}

/** Creates the `editor` Role (see {@link EDITOR_RULES}). */
export function createEditorRole(scope: Construct, id: string, name: string, namespace: string): ApiObject {
  claimName(scope, 'access.editors', 'Role', name, namespace);
  return new ApiObject(scope, id, {
    apiVersion: `${RBAC_API_GROUP}/v1`,
    kind: 'Role',
    metadata: {
      name,
      namespace,
      labels: recommendedLabels({ name: namespace, instance: name, component: 'access', partOf: namespace }),
    },
    rules: EDITOR_RULES,
  });
}
