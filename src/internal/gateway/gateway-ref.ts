import { IConstruct } from 'constructs';
import { gatewayPodSelector, gatewayServiceAccount, httpsListenerName } from './gateway-api';
import type { AllowedRoutes } from '../../https-gateway';
import { GatewayReference } from '../../route-options';
import { describeValue, propError } from '../core/errors';
import { checkDnsLabel, checkDnsSubdomain } from '../core/validate';

/** Brands an HttpsGateway (works across copies of this package). */
export const HTTPS_GATEWAY_BRAND = Symbol.for('cloudnative-constructs.HttpsGateway');

/** Which namespaces' routes a gateway accepts: its own, every one, or the listed ones. */
export type ResolvedAllowedRoutes = AllowedRoutes;

/** What routes and policies need to know of a gateway, an HttpsGateway or a reference. */
export interface ResolvedGateway {
  readonly name: string;
  readonly namespace: string;
  readonly className: string;
  /** The ServiceAccount of the gateway's pods (their mesh identity). */
  readonly serviceAccountName: string;
  /** Labels selecting the gateway's pods. */
  readonly selector: Record<string, string>;
  /** The HttpsGateway's construct path; undefined for a reference. */
  readonly path?: string;
  /** The gateway's hosts, when it is an HttpsGateway of this app. */
  readonly hosts?: readonly string[];
  /** The namespaces it accepts routes from, when it is an HttpsGateway of this app. */
  readonly allowedRoutes?: ResolvedAllowedRoutes;
}

/** The public fields of an HttpsGateway that references read. */
interface HttpsGatewayShape {
  readonly node: { readonly path: string };
  readonly name: string;
  readonly namespace: string;
  readonly className: string;
  readonly hosts: readonly string[];
  readonly allowedRoutes: ResolvedAllowedRoutes;
}

/** Whether `x` is an HttpsGateway. */
export function isHttpsGatewayLike(x: unknown): x is HttpsGatewayShape {
  return typeof x === 'object' && x !== null && HTTPS_GATEWAY_BRAND in x;
}

/** Resolves a gateway prop: an HttpsGateway, or `{ name, namespace, className? }`. */
export function resolveGatewayRef(scope: IConstruct, prop: string, value: unknown): ResolvedGateway {
  if (isHttpsGatewayLike(value)) {
    return {
      name: value.name,
      namespace: value.namespace,
      className: value.className,
      serviceAccountName: gatewayServiceAccount(value.name, value.className),
      selector: gatewayPodSelector(value.name),
      path: value.node.path,
      hosts: value.hosts,
      allowedRoutes: value.allowedRoutes,
    };
  }
  const ref = value as GatewayReference;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || typeof ref.name !== 'string' || typeof ref.namespace !== 'string') {
    const path = (value as { node?: { path?: unknown } } | null)?.node?.path;
    throw propError(scope, prop, typeof path === 'string' ? path : value,
      'must be an HttpsGateway or { name, namespace } of a Gateway made elsewhere, e.g. { name: "public", namespace: "edge" }');
  }
  const name = checkDnsSubdomain(scope, `${prop}.name`, ref.name);
  const namespace = checkDnsLabel(scope, `${prop}.namespace`, ref.namespace);
  const className = checkDnsSubdomain(scope, `${prop}.className`, ref.className ?? 'istio');
  return { name, namespace, className, serviceAccountName: gatewayServiceAccount(name, className), selector: gatewayPodSelector(name) };
}

/** `namespace/name` of a gateway: how routes and policies find each other. */
export function gatewayKey(gateway: ResolvedGateway): string {
  return `${gateway.namespace}/${gateway.name}`;
}

/**
 * The HTTPS listener serving `host`: the one of that exact host, else the one of the wildcard
 * host covering it (`*.example.com` covers `shop.example.com`, one label deep). For a reference
 * the HttpsGateway naming convention is assumed. Undefined when the gateway serves no such host.
 */
export function listenerFor(gateway: ResolvedGateway, host: string): string | undefined {
  if (gateway.hosts === undefined) return httpsListenerName(host);
  if (gateway.hosts.includes(host)) return httpsListenerName(host);
  const dot = host.indexOf('.');
  if (host.startsWith('*.') || dot < 0) return undefined;
  const wildcard = `*${host.slice(dot)}`;
  return gateway.hosts.includes(wildcard) ? httpsListenerName(wildcard) : undefined;
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
