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

/** The Polaris check the `admin` binding is exempted from, and why. */
export const ADMIN_POLARIS_CHECK = 'rolebindingClusterRolePodExecAttach';
export const EXEMPTION_REASON_ANNOTATION = 'cloudnative-constructs/polaris-exemption-reason';
export const ADMIN_EXEMPTION_REASON = 'Namespace admins are bound to the built-in admin ClusterRole, which grants pods/exec and pods/attach for break-glass debugging; the waiver is declared in SecureNamespace.access.admins and reviewed with it.';

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
  readonly annotations?: Record<string, string>;
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
      annotations: options.annotations,
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
