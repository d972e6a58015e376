import { Construct } from 'constructs';
import { createMeshAllowance } from './mesh-allowance';
import { NamespacePolicies } from './namespace-policies';
import { createNetworkPolicy, namespacePeer, tcpPorts } from './network-policy';
import { serviceAccountPrincipal } from '../../istio/authorization-policy';
import { INetworkPeer } from '../../network-peer';

/** The pods of an ingress gateway (e.g. Istio's) that must reach a routed workload. */
export interface GatewayPods {
  /** Namespace of the gateway pods. */
  readonly namespace: string;
  /** Labels of the gateway pods. */
  readonly labels: Record<string, string>;
  /** ServiceAccount the gateway pods run as (their mesh identity). */
  readonly serviceAccount: string;
}

/**
 * Lets the gateway pods reach `to` on its container port wherever the namespace of `to` shuts
 * them out: the ingress NetworkPolicy `<to>-from-ingress-gateway` once ingress is denied by
 * default, and the ALLOW AuthorizationPolicy of the same name for the gateway's identity once the
 * mesh denies by default — whichever construct decides that, created before or after `to`.
 */
export function allowFromGatewayPods(scope: Construct, to: INetworkPeer & { readonly port: number }, gateway: GatewayPods): void {
  const policies = NamespacePolicies.of(scope, to.namespace);
  const name = `${to.name}-from-ingress-gateway`;
  const signature = `gateway:${gateway.namespace}:${JSON.stringify(gateway.labels)}:${gateway.serviceAccount}:${to.namespace}/${to.name}:${to.port}`;
  policies.whenDenied('Ingress', () => policies.getOrCreate(scope, name, signature, finalName => createNetworkPolicy(scope, `NetworkPolicy-${finalName}`, {
    name: finalName,
    namespace: to.namespace,
    component: 'network-policy',
    spec: {
      podSelector: { matchLabels: to.selector },
      policyTypes: ['Ingress'],
      ingress: [{ from: [namespacePeer(gateway.namespace, gateway.labels)], ports: tcpPorts([to.port]) }],
    },
  }), 'NetworkPolicy', true));
  policies.whenMeshDeniesByDefault(() => policies.getOrCreate(scope, name, signature, finalName => createMeshAllowance(scope, `AuthorizationPolicy-${finalName}`, {
    name: finalName,
    namespace: to.namespace,
    selector: to.selector,
    source: { principals: [serviceAccountPrincipal(gateway.namespace, gateway.serviceAccount)] },
    ports: [String(to.port)],
  }), 'AuthorizationPolicy', true));
}
