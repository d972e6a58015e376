import { Construct } from 'constructs';
import { createMeshAllowance } from './mesh-allowance';
import { NamespacePolicies } from './namespace-policies';
import { createNetworkPolicy, namespacePeer, NetworkPolicyPort, tcpPorts } from './network-policy';

/** The cluster DNS pods (CoreDNS keeps the historical kube-dns label). */
export const DNS_NAMESPACE = 'kube-system';
export const DNS_POD_LABELS = { 'k8s-app': 'kube-dns' };
/** The port sidecars fetch their configuration and certificates from istiod on (XDS and CA). */
export const ISTIOD_PORT = 15012;
export const ISTIOD_POD_LABELS = { app: 'istiod' };

/** Once egress is denied in the namespace, allows DNS lookups (UDP and TCP 53) to kube-dns: `allow-dns`. */
export function allowDns(scope: Construct, policies: NamespacePolicies): void {
  policies.whenDenied('Egress', () => policies.getOrCreate(scope, 'allow-dns', 'dns', () => createNetworkPolicy(scope, 'NetworkPolicy-allow-dns', {
    name: 'allow-dns',
    namespace: policies.namespace,
    component: 'network-policy',
    spec: {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [namespacePeer(DNS_NAMESPACE, DNS_POD_LABELS)], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] }],
    },
  })));
}

/** Once egress is denied, allows the sidecars to reach istiod on 15012: `allow-istiod`. */
export function allowIstiod(scope: Construct, policies: NamespacePolicies, controlPlaneNamespace: string): void {
  policies.whenDenied('Egress', () => policies.getOrCreate(scope, 'allow-istiod', `istiod:${controlPlaneNamespace}`, () => createNetworkPolicy(scope, 'NetworkPolicy-allow-istiod', {
    name: 'allow-istiod',
    namespace: policies.namespace,
    component: 'network-policy',
    spec: {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [namespacePeer(controlPlaneNamespace, ISTIOD_POD_LABELS)], ports: tcpPorts([ISTIOD_PORT]) }],
    },
  })));
}

/** Allows every pod of the namespace to reach every other, in each denied direction. */
export function allowSameNamespace(scope: Construct, policies: NamespacePolicies): void {
  policies.whenDenied('Ingress', () => policies.getOrCreate(scope, 'allow-same-namespace', 'same-namespace-ingress', () => createNetworkPolicy(scope, 'NetworkPolicy-allow-same-namespace', {
    name: 'allow-same-namespace',
    namespace: policies.namespace,
    component: 'network-policy',
    spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] },
  })));
  policies.whenDenied('Egress', () => policies.getOrCreate(scope, 'allow-same-namespace-egress', 'same-namespace-egress', () => createNetworkPolicy(scope, 'NetworkPolicy-allow-same-namespace-egress', {
    name: 'allow-same-namespace-egress',
    namespace: policies.namespace,
    component: 'network-policy',
    spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: {} }] }] },
  }))); allowNamespaceInMesh(scope, policies, 'allow-same-namespace', policies.namespace);
}

/** Once ingress is denied, allows scraping from `namespace` on `port` (any port when omitted): `allow-monitoring`. */
export function allowMonitoring(scope: Construct, policies: NamespacePolicies, namespace: string, port?: number): void {
  const ports: NetworkPolicyPort[] | undefined = port === undefined ? undefined : tcpPorts([port]);
  policies.whenDenied('Ingress', () => policies.getOrCreate(scope, 'allow-monitoring', `monitoring:${namespace}:${port ?? '*'}`, () => createNetworkPolicy(scope, 'NetworkPolicy-allow-monitoring', {
    name: 'allow-monitoring',
    namespace: policies.namespace,
    component: 'network-policy',
    spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [namespacePeer(namespace)], ...(ports ? { ports } : {}) }] },
  }))); allowNamespaceInMesh(scope, policies, 'allow-monitoring', namespace, port);
}

/**
 * Once the namespace's mesh denies by default, allows every workload of `source` (the namespace's
 * own, or the monitoring one) at L7 too: an ALLOW AuthorizationPolicy `name` for all pods.
 */
function allowNamespaceInMesh(scope: Construct, policies: NamespacePolicies, name: string, source: string, port?: number): void {
  policies.whenMeshDeniesByDefault(() => policies.getOrCreate(scope, name, `mesh:${name}:${source}:${port ?? '*'}`, () => createMeshAllowance(scope, `AuthorizationPolicy-${name}`, {
    name, namespace: policies.namespace, source: { namespaces: [source] }, ports: port === undefined ? undefined : [String(port)],
  }), 'AuthorizationPolicy'));
}
