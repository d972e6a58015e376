import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

/** The Gateway API group and the version this library writes (standard channel). */
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
export const GATEWAY_API_VERSION = `${GATEWAY_API_GROUP}/v1`;

/**
 * The label Istio's automated deployment puts on a Gateway's pods (and on its Deployment,
 * Service and ServiceAccount): the Gateway's name. Network policies select the gateway's pods by it.
 * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/gateway-api/#automated-deployment
 */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

/**
 * The name of the any-host plain-HTTP listener: an HttpsGateway's (only its redirect route
 * attaches there), or an HttpGateway's without hosts (every route attaches there).
 */
export const HTTP_LISTENER = 'http';
/** The ports of the HTTP and HTTPS listeners (Istio's gateway pods listen on them directly). */
export const HTTP_PORT = 80;
export const HTTPS_PORT = 443;

/** The protocol of the listeners routes attach to. */
export type ListenerProtocol = 'HTTP' | 'HTTPS';

/**
 * The name of the listener of `host`: `<protocol>-<host>`, with a wildcard's `*` spelled
 * `wildcard` (`*.example.com` over HTTPS → `https-wildcard.example.com`). Names must be unique in
 * a Gateway, so a literal host whose first label already reads `wildcard` (or `x-wildcard`, …) gets
 * `x-` before it (`wildcard.example.com` → `https-x-wildcard.example.com`): no two hosts share a name.
 */
export function hostListenerName(protocol: ListenerProtocol, host: string): string {
  const prefix = protocol.toLowerCase();
  if (host.startsWith('*.')) return `${prefix}-wildcard.${host.slice(2)}`;
  return `${prefix}-${/^(x-)*wildcard(\.|$)/.test(host) ? `x-${host}` : host}`;
}

/**
 * The ServiceAccount Istio's automated deployment runs a Gateway's pods as: `<name>-<className>`
 * (unless the Gateway carries the `gateway.istio.io/service-account` annotation).
 */
export function gatewayServiceAccount(name: string, className: string): string {
  return `${name}-${className}`;
}

/** The pod labels of a Gateway's pods that policies select on. */
export function gatewayPodSelector(name: string): Record<string, string> {
  return { [GATEWAY_NAME_LABEL]: name };
}

/** Options of a Gateway API object. */
export interface GatewayApiObjectOptions {
  readonly kind: 'Gateway' | 'HTTPRoute';
  readonly name: string;
  /** Written explicitly when given; otherwise the chart's namespace applies. */
  readonly namespace?: string;
  readonly labels: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly spec: Record<string, unknown>;
}

/** Creates a `gateway.networking.k8s.io/v1` object. */
export function createGatewayApiObject(scope: Construct, id: string, options: GatewayApiObjectOptions): ApiObject {
  return new ApiObject(scope, id, {
    apiVersion: GATEWAY_API_VERSION,
    kind: options.kind,
    metadata: { name: options.name, namespace: options.namespace, labels: options.labels, annotations: options.annotations },
    spec: options.spec,
  });
}
