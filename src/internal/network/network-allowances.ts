import { Construct, IConstruct } from 'constructs';
import { createMeshAllowance } from './mesh-allowance';
import { NamespacePolicies } from './namespace-policies';
import { checkCidr } from './network-cidr';
import { createNetworkPolicy, namespacePeer, tcpPorts } from './network-policy';
import { DnsOptions } from '../../dns-options';
import { propError } from '../core/errors';
import { checkLabelMap } from '../core/label-check';
import { checkDnsLabel, checkOptionalObject, checkPort } from '../core/validate';

/** The cluster DNS pods (CoreDNS keeps the historical kube-dns label). */
export const DNS_NAMESPACE = 'kube-system';
export const DNS_POD_LABELS = { 'k8s-app': 'kube-dns' };
/** The port sidecars fetch their configuration and certificates from istiod on (XDS and CA). */
export const ISTIOD_PORT = 15012;
export const ISTIOD_POD_LABELS = { app: 'istiod' };

/** Where DNS is answered, validated. */
export interface ResolvedDns {
  readonly namespace: string;
  readonly podLabels: Record<string, string>;
  readonly ports: readonly number[];
  readonly cidrs: readonly string[];
}

/** Validates the `dns` prop of a SecureNamespace or NetworkPolicyBundle and applies its defaults. */
export function resolveDns(scope: IConstruct, prop: string, dns: DnsOptions | undefined): ResolvedDns {
  checkOptionalObject(scope, prop, dns, '{ namespace: "openshift-dns", podLabels: { "dns.operator.openshift.io/daemonset-dns": "default" }, ports: [5353] }');
  const podLabels = checkLabelMap(scope, `${prop}.podLabels`, dns?.podLabels ?? DNS_POD_LABELS, '{ "k8s-app": "kube-dns" } (the DNS pods\' labels)', true)!;
  const ports = dns?.ports ?? [53];
  if (!Array.isArray(ports) || ports.length === 0) throw propError(scope, `${prop}.ports`, ports, 'must list at least one port, e.g. [53]');
  const cidrs = dns?.cidrs ?? [];
  if (!Array.isArray(cidrs)) throw propError(scope, `${prop}.cidrs`, cidrs, 'must be a list of CIDR blocks, e.g. ["169.254.20.10/32"]');
  return {
    namespace: checkDnsLabel(scope, `${prop}.namespace`, dns?.namespace ?? DNS_NAMESPACE),
    podLabels: { ...podLabels },
    ports: [...new Set(ports.map((p, i) => checkPort(scope, `${prop}.ports[${i}]`, p)))].sort((a, b) => a - b),
    cidrs: cidrs.map((c, i) => checkCidr(scope, `${prop}.cidrs[${i}]`, c)),
  };
}

/** The default DNS: kube-dns in kube-system on port 53. */
export const DEFAULT_DNS: ResolvedDns = { namespace: DNS_NAMESPACE, podLabels: DNS_POD_LABELS, ports: [53], cidrs: [] };

/**
 * Once egress is denied in the namespace, allows DNS lookups (UDP and TCP) to the DNS pods (and
 * addresses) of `dns`: `allow-dns`. Two constructs of one namespace asking for different DNS
 * servers fail (one object would silently replace the other).
 */
export function allowDns(scope: Construct, policies: NamespacePolicies, dns: ResolvedDns = DEFAULT_DNS, prop = 'dns'): void {
  const signature = `dns:${dns.namespace}:${JSON.stringify(dns.podLabels)}:${dns.ports.join(',')}:${dns.cidrs.join(',')}`;
  policies.whenDenied('Egress', () => policies.getOrCreate(scope, 'allow-dns', signature, () => createNetworkPolicy(scope, 'NetworkPolicy-allow-dns', {
    name: 'allow-dns',
    namespace: policies.namespace,
    component: 'network-policy',
    spec: {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [namespacePeer(dns.namespace, dns.podLabels), ...dns.cidrs.map(cidr => ({ ipBlock: { cidr } }))],
        ports: dns.ports.flatMap(port => [{ port, protocol: 'UDP' as const }, { port, protocol: 'TCP' as const }]),
      }],
    },
  }), 'NetworkPolicy', false, prop));
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

/**
 * Once the namespace's mesh denies by default, allows every workload of `source` (the namespace's
 * own, or the monitoring one) at L7 too: an ALLOW AuthorizationPolicy `name` for all pods.
 */
export function allowNamespaceInMesh(scope: Construct, policies: NamespacePolicies, name: string, source: string, port?: number, prop = 'name',
  wanted: () => boolean = () => true): void {
  policies.whenMeshDeniesByDefault(() => wanted() && policies.getOrCreate(scope, name, `mesh:${name}:${source}:${port ?? '*'}`, () => createMeshAllowance(scope, `AuthorizationPolicy-${name}`, {
    name, namespace: policies.namespace, source: { namespaces: [source] }, ports: port === undefined ? undefined : [String(port)],
  }), 'AuthorizationPolicy', false, prop));
}
