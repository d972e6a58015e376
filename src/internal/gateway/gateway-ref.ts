import { IConstruct } from 'constructs';
import { gatewayPodSelector, gatewayServiceAccount, hostListenerName, HTTP_LISTENER, HTTP_PORT, HTTPS_PORT, ListenerProtocol } from './gateway-api';
import type { AllowedRoutes } from '../../gateway-options';
import { GatewayReference } from '../../gateway-reference';
import { hasBrand } from '../core/brand';
import { describeValue, propError } from '../core/errors';
import { checkDnsLabel, checkDnsSubdomain } from '../core/validate';

/** Brands an HttpsGateway (works across copies of this package). */
export const HTTPS_GATEWAY_BRAND = Symbol.for('cloudnative-constructs.HttpsGateway');
/** Brands an HttpGateway (works across copies of this package). */
export const HTTP_GATEWAY_BRAND = Symbol.for('cloudnative-constructs.HttpGateway');

/** Which namespaces' routes a gateway accepts: its own, every one, or the listed ones. */
export type ResolvedAllowedRoutes = AllowedRoutes;

/** What routes and policies need to know of a gateway: an HttpsGateway, an HttpGateway or a reference. */
export interface ResolvedGateway {
  readonly name: string;
  readonly namespace: string;
  readonly className: string;
  /** The ServiceAccount of the gateway's pods (their mesh identity). */
  readonly serviceAccountName: string;
  /** Labels selecting the gateway's pods. */
  readonly selector: Record<string, string>;
  /** The protocol of the listeners routes attach to: HTTPS for an HttpsGateway or a reference, HTTP for an HttpGateway. */
  readonly protocol: ListenerProtocol;
  /** The ports the gateway's pods listen on. */
  readonly ports: readonly number[];
  /** The gateway construct's path; undefined for a reference. */
  readonly path?: string;
  /** The gateway's hosts, when it is a gateway construct of this app (empty: any host). */
  readonly hosts?: readonly string[];
  /** The namespaces it accepts routes from, when it is a gateway construct of this app. */
  readonly allowedRoutes?: ResolvedAllowedRoutes;
  /** The listener every route attaches to, when a reference names one. */
  readonly listener?: string;
}

/** The public fields of a gateway construct that references read. */
interface GatewayShape {
  readonly node: { readonly path: string };
  readonly name: string;
  readonly namespace: string;
  readonly className: string;
  readonly hosts: readonly string[];
  readonly allowedRoutes: ResolvedAllowedRoutes;
  readonly containerPorts: readonly number[];
}

/** Whether `x` is a gateway construct of this library (an HttpsGateway or an HttpGateway). */
export function isGatewayConstruct(x: unknown): x is GatewayShape {
  return hasBrand(x, HTTPS_GATEWAY_BRAND) || hasBrand(x, HTTP_GATEWAY_BRAND);
}

/** Resolves a gateway prop: an HttpsGateway, an HttpGateway, or `{ name, namespace, className?, listener? }`. */
export function resolveGatewayRef(scope: IConstruct, prop: string, value: unknown): ResolvedGateway {
  if (isGatewayConstruct(value)) {
    return {
      name: value.name,
      namespace: value.namespace,
      className: value.className,
      serviceAccountName: gatewayServiceAccount(value.name, value.className),
      selector: gatewayPodSelector(value.name),
      protocol: HTTP_GATEWAY_BRAND in value ? 'HTTP' : 'HTTPS',
      ports: value.containerPorts,
      path: value.node.path,
      hosts: value.hosts,
      allowedRoutes: value.allowedRoutes,
    };
  }
  const ref = value as GatewayReference;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || typeof ref.name !== 'string' || typeof ref.namespace !== 'string') {
    const path = (value as { node?: { path?: unknown } } | null)?.node?.path;
    throw propError(scope, prop, typeof path === 'string' ? path : value,
      'must be an HttpsGateway, an HttpGateway or { name, namespace } of a Gateway made elsewhere, e.g. { name: "public", namespace: "edge" }');
  }
  const name = checkDnsSubdomain(scope, `${prop}.name`, ref.name);
  const namespace = checkDnsLabel(scope, `${prop}.namespace`, ref.namespace);
  const className = checkDnsSubdomain(scope, `${prop}.className`, ref.className ?? 'istio');
  const listener = ref.listener === undefined ? undefined : checkDnsSubdomain(scope, `${prop}.listener`, ref.listener);
  const identity = { serviceAccountName: gatewayServiceAccount(name, className), selector: gatewayPodSelector(name) };
  return { name, namespace, className, ...identity, protocol: 'HTTPS', ports: [HTTP_PORT, HTTPS_PORT], listener };
}

/** `namespace/name` of a gateway: how routes and policies find each other. */
export function gatewayKey(gateway: ResolvedGateway): string {
  return `${gateway.namespace}/${gateway.name}`;
}

/**
 * The listener serving `host`: the one of that exact host, else the one of the wildcard host
 * covering it (`*.example.com` covers `shop.example.com`, one label deep); a gateway without
 * hosts serves every host on its any-host listener, and a route without a host needs one. A
 * reference attaches to its `listener` when it names one, else the HttpsGateway naming
 * convention is assumed. Undefined when the gateway serves no such host.
 */
export function listenerFor(gateway: ResolvedGateway, host: string | undefined): string | undefined {
  if (gateway.listener !== undefined) return gateway.listener;
  if (gateway.hosts === undefined) return host === undefined ? undefined : hostListenerName(gateway.protocol, host);
  if (gateway.hosts.length === 0 && gateway.protocol === 'HTTP') return HTTP_LISTENER;
  if (host === undefined) return undefined;
  if (gateway.hosts.includes(host)) return hostListenerName(gateway.protocol, host);
  const dot = host.indexOf('.');
  if (host.startsWith('*.') || dot < 0) return undefined;
  const wildcard = `*${host.slice(dot)}`;
  return gateway.hosts.includes(wildcard) ? hostListenerName(gateway.protocol, wildcard) : undefined;
}

/** Whether the gateway accepts routes from `namespace` (true for a reference: not known here). */
export function allowsRoutesFrom(gateway: ResolvedGateway, namespace: string): boolean {
  const allowed = gateway.allowedRoutes;
  if (allowed === undefined || allowed === 'All') return true;
  if (allowed === 'Same') return namespace === gateway.namespace;
  return allowed.namespaces.includes(namespace);
}

/** The namespaces a gateway accepts routes from, for messages. */
export function describeAllowedRoutes(gateway: ResolvedGateway): string {
  const allowed = gateway.allowedRoutes;
  if (allowed === undefined || allowed === 'All') return 'every namespace';
  if (allowed === 'Same') return `its own namespace ${describeValue(gateway.namespace)} only`;
  return `the namespaces ${allowed.namespaces.map(n => describeValue(n)).join(', ')} only`;
}
