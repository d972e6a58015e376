import { Construct } from 'constructs';
import { NamespacePolicies } from './namespace-policies';
import { NetworkPolicyPeer } from './network-policy';
import type { ExternalHostProtocol } from '../../external-host-protocol';
import { createServiceEntry } from '../../istio/service-entry';
import { propError } from '../core/errors';
import { recommendedLabels } from '../core/labels';
import { writtenNamespace } from '../core/name-registry';
import { checkHostname } from '../core/validate';

const PROTOCOLS: readonly ExternalHostProtocol[] = ['HTTP', 'HTTP2', 'GRPC', 'TLS', 'TCP'];

/**
 * What a NetworkPolicy opens for egress to DNS names, which it cannot select: every address
 * except the private, shared (CGNAT), link-local and unique-local ranges, where pods, Services,
 * nodes and the cloud metadata endpoint (169.254.169.254) live. A name that resolves to a private
 * address (a VPC endpoint) needs a `cidr` allowance of its own.
 */
export const EXTERNAL_ADDRESSES: readonly NetworkPolicyPeer[] = [
  { ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '100.64.0.0/10', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16'] } },
  { ipBlock: { cidr: '::/0', except: ['fc00::/7', 'fe80::/10'] } },
];

/** External hosts after validation: exact names and wildcard ones, with the protocol of each port. */
export interface ResolvedExternalHosts {
  readonly hosts: readonly string[];
  readonly ports: ReadonlyArray<{ readonly number: number; readonly protocol: ExternalHostProtocol }>;
}

/**
 * Validates the `hosts` of an egress allowance and the Istio protocol of its ports: `protocol`
 * when given, else TLS on 443 (the app speaks TLS; Istio routes by SNI), HTTP on 80, TCP otherwise.
 * Wildcard hosts need a protocol that names the host (HTTP, TLS…): over plain TCP the proxy
 * could only match the port, which would open it to every host.
 */
export function resolveExternalHosts(scope: Construct, prop: string, hosts: readonly string[], ports: readonly number[],
  protocol: ExternalHostProtocol | undefined): ResolvedExternalHosts {
  if (!Array.isArray(hosts) || hosts.length === 0) throw propError(scope, `${prop}.hosts`, hosts, 'must be a non-empty list of DNS names such as ["api.stripe.com", "*.googleapis.com"]');
  const names = hosts.map((host, i) => checkHostname(scope, `${prop}.hosts[${i}]`, host));
  const duplicate = names.find((host, i) => names.indexOf(host) !== i);
  if (duplicate !== undefined) throw propError(scope, `${prop}.hosts`, hosts, `lists ${JSON.stringify(duplicate)} twice`);
  if (protocol !== undefined && !PROTOCOLS.includes(protocol)) {
    throw propError(scope, `${prop}.hostProtocol`, protocol, `must be one of ${PROTOCOLS.map(p => JSON.stringify(p)).join(', ')}`);
  }
  const resolved = ports.map(number => ({ number, protocol: protocol ?? (number === 443 ? 'TLS' : number === 80 ? 'HTTP' : 'TCP') as ExternalHostProtocol }));
  const wildcard = names.find(host => host.startsWith('*.'));
  const tcp = resolved.find(p => p.protocol === 'TCP');
  if (wildcard !== undefined && tcp !== undefined) {
    throw propError(scope, `${prop}.hosts`, wildcard,
      `a wildcard host over plain TCP (port ${tcp.number}) cannot be told from any other host: the proxy would match the port alone; list the exact hosts, or give hostProtocol "TLS" or "HTTP" if the app speaks it on that port`);
  }
  return { hosts: names, ports: resolved };
}

/**
 * Adds the hosts to the mesh's registry for the namespace: the ServiceEntries `egress-<host>`
 * (`MESH_EXTERNAL`, exported to the namespace only), one with `resolution: DNS` for exact names
 * and one with `NONE` for wildcard names (Istio refuses DNS resolution of a wildcard). Under an
 * outbound policy `REGISTRY_ONLY` the proxies refuse every other external host. The same hosts
 * and ports declared twice in a namespace share their entries.
 * @see https://istio.io/latest/docs/tasks/traffic-management/egress/egress-control/
 */
export function declareExternalHosts(scope: Construct, namespace: string, external: ResolvedExternalHosts): void {
  const policies = NamespacePolicies.of(scope, namespace);
  const ports = external.ports.map(p => ({ number: p.number, name: `${p.protocol.toLowerCase()}-${p.number}`, protocol: p.protocol }));
  const groups = [
    { hosts: external.hosts.filter(h => !h.startsWith('*.')), resolution: 'DNS' as const },
    { hosts: external.hosts.filter(h => h.startsWith('*.')), resolution: 'NONE' as const },
  ];
  for (const { hosts, resolution } of groups.filter(g => g.hosts.length > 0)) {
    const preferred = `egress-${hosts[0].replace(/^\*\./, 'wildcard.')}`.slice(0, 240).replace(/[.-]+$/, '');
    const signature = `external-hosts:${JSON.stringify([hosts, ports])}`;
    policies.getOrCreate(scope, preferred, signature, name => createServiceEntry(scope, `ServiceEntry-${namespace}-${name}`, {
      name,
      namespace: writtenNamespace(scope, namespace),
      labels: recommendedLabels({ name, instance: name, component: 'mesh-egress', partOf: writtenNamespace(scope, namespace) }),
      spec: { hosts, exportTo: ['.'], location: 'MESH_EXTERNAL', resolution, ports },
    }), 'ServiceEntry', true);
  }
}
