import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { resolveMatch } from './canary-routing';
import { CanaryMatch, MirrorOptions } from '../../canary-release-options';
import { RouteOptions } from '../../route-options';
import { propError } from '../core/errors';
import { checkInteger } from '../core/validate';
import { checkGatewayDuration } from '../gateway/gateway-duration';
import { BackendRef, pathMatch, ResolvedRoute, resolveRoute, serviceBackend } from '../gateway/route-attachment';

/** How a CanaryRelease splits its traffic. */
export type CanaryRoutingMode = 'istio' | 'gateway-api';

/** The props the routing mode decides about. */
export interface CanaryRoutingProps {
  readonly routing?: CanaryRoutingMode;
  readonly route?: RouteOptions;
  readonly gateway?: unknown;
  readonly retries?: unknown;
  readonly circuitBreaker?: unknown;
  readonly faultInjection?: unknown;
}

/**
 * Options Gateway API's standard channel (v1.6) cannot express, and why. `retries` is the
 * experimental-channel `HTTPRouteRetry` only; connection limits, outlier detection and fault
 * injection are Istio DestinationRule and VirtualService features with no Gateway API field.
 */
const NOT_EXPRESSIBLE: ReadonlyArray<[keyof CanaryRoutingProps, string]> = [
  ['gateway', 'is an Istio Gateway: with routing "gateway-api" the release attaches to a Gateway API gateway through route: { gateway, hosts }; remove gateway'],
  ['retries', 'cannot be expressed with routing "gateway-api": HTTPRoute retries (HTTPRouteRetry) exist only in Gateway API\'s experimental channel, not in the standard channel (v1.6) this library writes; remove retries or use routing "istio"'],
  ['circuitBreaker', 'cannot be expressed with routing "gateway-api": Gateway API has no connection limits or outlier detection (they are Istio DestinationRule settings); remove circuitBreaker or use routing "istio"'],
  ['faultInjection', 'cannot be expressed with routing "gateway-api": Gateway API has no fault injection filter (it is an Istio VirtualService feature); remove faultInjection or use routing "istio"'],
];

/** Validates `routing` against the options given with it. */
export function resolveRoutingMode(scope: IConstruct, props: CanaryRoutingProps): CanaryRoutingMode {
  const routing = props.routing ?? 'istio';
  if (routing !== 'istio' && routing !== 'gateway-api') {
    throw propError(scope, 'routing', routing, 'must be "istio" (VirtualService and DestinationRule) or "gateway-api" (an HTTPRoute splitting by backend weights)');
  }
  if (routing === 'istio') {
    if (props.route !== undefined) {
      throw propError(scope, 'route.hosts', (props.route as { hosts?: unknown } | null)?.hosts, 'attaches an HTTPRoute, which needs routing: "gateway-api"; set it, or expose the release through an Istio Gateway with gateway: { hosts }');
    }
    return routing;
  }
  for (const [prop, why] of NOT_EXPRESSIBLE) {
    if (props[prop] !== undefined) throw propError(scope, prop, props[prop], why);
  }
  if (props.route === undefined) {
    throw propError(scope, 'route', undefined, 'is required with routing "gateway-api": the HTTPRoute that splits the traffic attaches to a gateway, e.g. route: { gateway, hosts: ["api.example.com"] }');
  }
  return routing;
}

/** What the HTTPRoute of a release is built from. */
export interface CanaryHttpRouteInput {
  readonly namespace: string;
  readonly stableService: string;
  readonly canaryService: string;
  readonly servicePort: number;
  readonly canaryWeight: number;
  readonly route: RouteOptions;
  readonly match?: CanaryMatch;
  readonly timeout?: string | Duration;
  readonly mirror?: MirrorOptions;
}

/** The validated route and the rules of the release's HTTPRoute. */
export interface CanaryHttpRoute {
  readonly route: ResolvedRoute;
  readonly rules: ReadonlyArray<Record<string, unknown>>;
}

/**
 * The rules of the release's HTTPRoute: first the header match that always reaches the canary
 * Service, then the default rule splitting `100 - canaryWeight` / `canaryWeight` between the
 * stable and canary Services by backend weights (both always present, so promoting or rolling
 * back changes one number), with the mirror on the default rule.
 */
export function buildCanaryHttpRoute(scope: IConstruct, input: CanaryHttpRouteInput): CanaryHttpRoute {
  const resolved = resolveRoute(scope, input.route, input.namespace);
  if (input.timeout !== undefined && resolved.timeout !== undefined) {
    throw propError(scope, 'timeout', input.timeout, 'is given twice, here and as route.timeout; give it once');
  }
  const timeout = resolved.timeout ?? (input.timeout === undefined ? undefined : checkGatewayDuration(scope, 'timeout', input.timeout));
  const route: ResolvedRoute = { ...resolved, timeout };
  const timeouts = timeout === undefined ? undefined : { request: timeout };
  const path = pathMatch(route);
  const canary = { name: input.canaryService, port: input.servicePort };
  const rules: Array<Record<string, unknown>> = [];
  if (input.match !== undefined) {
    const headers = Object.entries(resolveMatch(scope, input.match).headers ?? {}).map(([name, value]) => ({ type: 'Exact', name, value: value.exact }));
    rules.push({ name: 'canary-match', matches: [{ ...path, headers }], backendRefs: [serviceBackend(canary)], timeouts });
  }
  rules.push({
    name: 'split',
    matches: [path],
    backendRefs: [
      serviceBackend({ name: input.stableService, port: input.servicePort, weight: 100 - input.canaryWeight }),
      serviceBackend({ ...canary, weight: input.canaryWeight }),
    ],
    filters: input.mirror === undefined ? undefined : [mirrorFilter(scope, input.mirror, input.canaryWeight, canary)],
    timeouts,
  });
  return { route, rules };
}

function mirrorFilter(scope: IConstruct, mirror: MirrorOptions, canaryWeight: number, canary: BackendRef): Record<string, unknown> {
  if (typeof mirror !== 'object' || mirror === null) throw propError(scope, 'mirror', mirror, 'must be { percent }');
  const percent = checkInteger(scope, 'mirror.percent', mirror.percent, 0, 100);
  if (canaryWeight > 0) {
    throw propError(scope, 'mirror', mirror,
      `shadows stable traffic to the canary, but canaryWeight is ${canaryWeight}: requests already routed to the canary would be mirrored to it too; set canaryWeight to 0 while mirroring, or remove mirror`);
  }
  return { type: 'RequestMirror', requestMirror: { backendRef: serviceBackend(canary), percent } };
}
