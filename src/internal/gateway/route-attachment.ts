import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { createGatewayApiObject, GATEWAY_API_GROUP } from './gateway-api';
import { checkGatewayDuration } from './gateway-duration';
import { allowsRoutesFrom, describeAllowedRoutes, gatewayKey, isGatewayConstruct, listenerFor, ResolvedGateway, resolveGatewayRef } from './gateway-ref';
import { registerRoutedWorkload } from './route-registry';
import { INetworkPeer } from '../../network-peer';
import { RouteOptions } from '../../route-options';
import { describeValue, propError } from '../core/errors';
import { checkNamedNamespace, claimName } from '../core/name-registry';
import { checkHostname, checkRoutePath } from '../core/validate';
import { WorkloadFoundation } from '../workload/workload-foundation';

/** A parent reference of an HTTPRoute: one listener of a Gateway. */
export interface ParentRef {
  readonly group: string;
  readonly kind: 'Gateway';
  readonly name: string;
  readonly namespace?: string;
  readonly sectionName: string;
}

/** One backend of an HTTPRoute rule: a Service port, with a weight when the rule splits. */
export interface BackendRef {
  readonly name: string;
  readonly port: number;
  readonly weight?: number;
}

/** A `route` prop after validation. */
export interface ResolvedRoute {
  readonly gateway: ResolvedGateway;
  readonly hosts: readonly string[];
  readonly path: string;
  readonly timeout?: string;
  readonly parentRefs: readonly ParentRef[];
}

/**
 * Validates a `route` prop for a route in `namespace`: the hosts, path and timeout, and, when the
 * gateway is a gateway construct of this app, that it serves every host and accepts routes from
 * `namespace`. The route attaches to the listener of each host (an HttpsGateway's HTTPS ones,
 * never its HTTP one, which only redirects), or, without hosts, to the gateway's any-host listener.
 */
export function resolveRoute(scope: IConstruct, options: RouteOptions, namespace: string, prop = 'route'): ResolvedRoute {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw propError(scope, prop, options, 'must be { gateway, hosts?, path?, timeout? }, e.g. { gateway, hosts: ["shop.example.com"] }');
  }
  const gateway = resolveGatewayRef(scope, `${prop}.gateway`, options.gateway);
  const hosts = resolveRouteHosts(scope, `${prop}.hosts`, options.hosts);
  const path = checkRoutePath(scope, `${prop}.path`, options.path ?? '/');
  const timeout = options.timeout === undefined ? undefined : checkGatewayDuration(scope, `${prop}.timeout`, options.timeout);
  if (!allowsRoutesFrom(gateway, namespace)) {
    throw propError(scope, `${prop}.gateway`, `${gateway.namespace}/${gateway.name}`,
      `the gateway ${gateway.path} accepts routes from ${describeAllowedRoutes(gateway)}, not from this route's namespace ${describeValue(namespace)}; add ${describeValue(namespace)} to its allowedRoutes ({ namespaces: [...] } or 'All')`);
  }
  if (gateway.namespace !== namespace && isGatewayConstruct(options.gateway)) {
    checkNamedNamespace(scope, `${prop}.gateway`, options.gateway as unknown as IConstruct, gateway.namespace, 'the route\'s parentRef must name the gateway\'s namespace');
  }
  const parentRefs = routeSections(scope, prop, gateway, hosts).map(sectionName => ({
    group: GATEWAY_API_GROUP,
    kind: 'Gateway' as const,
    name: gateway.name,
    namespace: gateway.namespace === namespace ? undefined : gateway.namespace,
    sectionName,
  }));
  return { gateway, hosts, path, timeout, parentRefs };
}

/** The route's hosts: host names, each once; none (every host) when not given. */
function resolveRouteHosts(scope: IConstruct, prop: string, value: readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length === 0) {
    throw propError(scope, prop, value, 'must be a non-empty list of host names such as ["shop.example.com"]; leave it out to serve every host of an any-host gateway');
  }
  const hosts = value.map((host, i) => checkHostname(scope, `${prop}[${i}]`, host));
  const duplicate = hosts.find((host, i) => hosts.indexOf(host) !== i);
  if (duplicate !== undefined) throw propError(scope, prop, value, `lists ${JSON.stringify(duplicate)} twice`);
  return hosts;
}

/** The listeners the route attaches to: each host's, or the any-host one; an error names the gateway's hosts. */
function routeSections(scope: IConstruct, prop: string, gateway: ResolvedGateway, hosts: readonly string[]): string[] {
  if (hosts.length === 0) {
    const section = listenerFor(gateway, undefined);
    if (section === undefined) {
      const serves = gateway.hosts === undefined ? 'a gateway made elsewhere is assumed to have one HTTPS listener per host' : `the gateway ${gateway.path} serves ${gateway.hosts.map(h => describeValue(h)).join(', ')} only`;
      throw propError(scope, `${prop}.hosts`, undefined,
        `a route without hosts attaches to an any-host listener, but ${serves}; list the hosts to route, or use an HttpGateway without hosts (or name the reference's listener)`);
    }
    return [section];
  }
  const sections: string[] = [];
  hosts.forEach((host, i) => {
    const section = listenerFor(gateway, host);
    if (section === undefined) {
      throw propError(scope, `${prop}.hosts[${i}]`, host,
        `the gateway ${gateway.path} serves ${gateway.hosts!.map(h => describeValue(h)).join(', ')} only; add ${describeValue(host)} to its hosts or route one of those`);
    }
    if (!sections.includes(section)) sections.push(section);
  });
  return sections;
}

/** What {@link createHttpRoute} writes. */
export interface HttpRouteInput {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly route: ResolvedRoute;
  readonly rules: ReadonlyArray<Record<string, unknown>>;
}

/** Creates the HTTPRoute `<name>` attached to the route's listeners, with the given rules. */
export function createHttpRoute(scope: Construct, input: HttpRouteInput): ApiObject {
  claimName(scope, 'name', 'HTTPRoute', input.name, input.namespace);
  return createGatewayApiObject(scope, 'HTTPRoute', {
    kind: 'HTTPRoute',
    name: input.name,
    labels: input.labels,
    spec: { parentRefs: input.route.parentRefs, hostnames: input.route.hosts.length > 0 ? input.route.hosts : undefined, rules: input.rules },
  });
}

/** The path match of a route: a prefix. */
export function pathMatch(route: ResolvedRoute): Record<string, unknown> {
  return { path: { type: 'PathPrefix', value: route.path } };
}

/** The request timeout of a route's rules, when it has one. */
export function routeTimeouts(route: ResolvedRoute): Record<string, unknown> | undefined {
  return route.timeout === undefined ? undefined : { request: route.timeout };
}

/** A Service backend of an HTTPRoute rule. */
export function serviceBackend(backend: BackendRef): Record<string, unknown> {
  return { group: '', kind: 'Service', name: backend.name, port: backend.port, weight: backend.weight };
}

/**
 * The `route` prop of a single-Service workload (`WebApp`, `StatefulApp`): validates it, writes
 * the HTTPRoute `<name>` sending the path prefix to the Service `<name>`'s port, and records the workload
 * as routed through the gateway (for `NetworkPolicyBundle.allowFromGateway`).
 */
export function attachRoute(peer: Construct & INetworkPeer, options: RouteOptions, foundation: WorkloadFoundation): ApiObject {
  const { workload, namespace, labels } = foundation;
  if (workload.appProtocol === 'tcp') {
    throw propError(peer, 'route', (options as { hosts?: unknown } | null)?.hosts,
      'needs an HTTP workload, but appProtocol is "tcp": an HTTPRoute forwards HTTP requests; set appProtocol to "http", "http2" or "grpc", or remove route');
  }
  const route = resolveRoute(peer, options, namespace);
  const object = createHttpRoute(peer, {
    name: workload.name,
    namespace,
    labels,
    route,
    rules: [{
      matches: [pathMatch(route)],
      backendRefs: [serviceBackend({ name: workload.name, port: workload.servicePort })],
      timeouts: routeTimeouts(route),
    }],
  });
  registerRoutedWorkload(peer, gatewayKey(route.gateway), { peer, port: workload.port });
  return object;
}
