import { Construct, IConstruct } from 'constructs';
import { NamespacePolicies } from './namespace-policies';
import { checkCidr } from './network-cidr';
import { createNetworkPolicy, tcpPorts } from './network-policy';
import { INetworkPeer } from '../../network-peer';
import { ServiceAccountOptions } from '../../workload-options';
import { propError } from '../core/errors';
import { checkOptionalObject, checkPort } from '../core/validate';

/** The API server endpoint a workload may reach, validated. */
export interface ResolvedApiServer {
  readonly cidr: string;
  readonly port: number;
}

/** Validates `serviceAccount.apiServer`: only with a mounted token, a CIDR and a port. */
export function resolveApiServer(scope: IConstruct, serviceAccount: ServiceAccountOptions | undefined,
  automountToken: boolean): ResolvedApiServer | undefined {
  const endpoint = serviceAccount?.apiServer;
  if (endpoint === undefined) return undefined;
  checkOptionalObject(scope, 'serviceAccount.apiServer', endpoint, '{ cidr: "10.0.0.10/32", port: 443 }');
  if (!automountToken) {
    throw propError(scope, 'serviceAccount.apiServer', endpoint, 'needs serviceAccount.automountToken: true: without a token the pods cannot call the API server, so the egress would only widen what an attacker can reach');
  }
  return {
    cidr: checkCidr(scope, 'serviceAccount.apiServer.cidr', endpoint.cidr),
    port: checkPort(scope, 'serviceAccount.apiServer.port', endpoint.port ?? 443),
  };
}

/** Once the namespace of `peer` denies egress, lets its pods reach the API server: `<name>-to-api-server`. */
export function allowApiServer(scope: Construct, peer: INetworkPeer, endpoint: ResolvedApiServer): void {
  const policies = NamespacePolicies.of(scope, peer.namespace);
  const name = `${peer.name}-to-api-server`;
  policies.whenDenied('Egress', () => policies.getOrCreate(scope, name, `api-server:${peer.namespace}/${peer.name}:${endpoint.cidr}:${endpoint.port}`, finalName => createNetworkPolicy(scope, `NetworkPolicy-${finalName}`, {
    name: finalName,
    namespace: peer.namespace,
    component: 'network-policy',
    spec: { podSelector: { matchLabels: peer.selector }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: endpoint.cidr } }], ports: tcpPorts([endpoint.port]) }] },
  }), 'NetworkPolicy', true));
}
