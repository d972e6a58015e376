import { Construct } from 'constructs';
import { createMeshAllowance } from './mesh-allowance';
import { NamespacePolicies } from './namespace-policies';
import { ISTIOD_POD_LABELS, ISTIOD_PORT } from './network-allowances';
import { createNetworkPolicy, namespacePeer, tcpPorts } from './network-policy';
import { serviceAccountPrincipal } from '../../istio/authorization-policy';
import { INetworkPeer } from '../../network-peer';
import { lazy } from '../core/lazy';

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

/**
 * Once egress is denied in the gateway's namespace, lets the gateway's pods reach istiod on port
 * 15012 (their configuration and certificates): `<gateway>-to-istiod`. Istio deploys a gateway's
 * pods as full proxies whatever the namespace's sidecar injection, so the namespace's own
 * `allow-istiod` (written only with injection) cannot be relied on. The control plane's namespace
 * is the one the namespace's SecureNamespace names, else `fallbackControlPlane`, read at synthesis.
 */
export function allowGatewayToIstiod(scope: Construct, gatewayName: string, gateway: GatewayPods, fallbackControlPlane: string): void {
  const policies = NamespacePolicies.of(scope, gateway.namespace);
  const controlPlane = () => policies.meshSettings?.controlPlaneNamespace ?? fallbackControlPlane;
  const name = `${gatewayName}-to-istiod`;
  policies.whenDenied('Egress', () => policies.getOrCreate(scope, name, `gateway-istiod:${JSON.stringify(gateway.labels)}:${fallbackControlPlane}`, () => createNetworkPolicy(scope, `NetworkPolicy-${name}`, {
    name,
    namespace: gateway.namespace,
    component: 'network-policy',
    spec: {
      podSelector: { matchLabels: gateway.labels },
      policyTypes: ['Egress'],
      egress: [{ to: lazy(() => [namespacePeer(controlPlane(), ISTIOD_POD_LABELS)]), ports: tcpPorts([ISTIOD_PORT]) }],
    },
  })));
}
