import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ISTIO_NETWORKING_API_VERSION } from './api-versions';
import { createIstioObject, IstioObjectOptions } from './istio-object';

/**
 * A string condition of a request match: exactly one of the three.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#StringMatch
 */
export interface IstioStringMatch {
  /** Matches the exact value. @default - not an exact match */
  readonly exact?: string;
  /** Matches values starting with this prefix. @default - not a prefix match */
  readonly prefix?: string;
  /** Matches an RE2 regular expression. @default - not a regex match */
  readonly regex?: string;
}

/**
 * Conditions a request must meet for a route to apply; all given conditions must hold.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPMatchRequest
 */
export interface IstioHttpMatchRequest {
  /** Name of the match, shown in access logs. @default - unnamed */
  readonly name?: string;
  /** Request headers (lowercase names) and their conditions. @default - any headers */
  readonly headers?: Record<string, IstioStringMatch>;
}

/**
 * A service (and optionally one of its subsets) traffic is sent to.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#Destination
 */
export interface IstioDestination {
  /** The service host, as in the service registry (a Kubernetes Service short name or FQDN). */
  readonly host: string;
  /** A subset defined by a DestinationRule of the host. @default - every endpoint of the host */
  readonly subset?: string;
  /** The service port. @default - the host's only port */
  readonly port?: {
    /** The port number. */
    readonly number: number;
  };
}

/**
 * One weighted destination of a route.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRouteDestination
 */
export interface IstioHttpRouteDestination {
  /** Where the traffic goes. */
  readonly destination: IstioDestination;
  /** Share of the route's traffic in percent; the weights of a route sum to 100. @default - all of it (single destination) */
  readonly weight?: number;
}

/** A percentage, 0.0–100.0. */
export interface IstioPercent {
  /** The percentage. */
  readonly value: number;
}

/**
 * Retry policy of a route.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRetry
 */
export interface IstioHttpRetry {
  /** Number of retries (0 disables retries). */
  readonly attempts: number;
  /** Timeout per attempt (a duration such as `'2s'`). @default - the route's timeout */
  readonly perTryTimeout?: string;
  /** Comma-separated conditions to retry on (`'5xx,connect-failure'`). @default - Istio's default conditions */
  readonly retryOn?: string;
}

/**
 * Faults injected into a route's requests, to test resilience.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPFaultInjection
 */
export interface IstioHttpFaultInjection {
  /** Delay requests before forwarding them. @default - no delay */
  readonly delay?: {
    /** Share of requests delayed. */
    readonly percentage: IstioPercent;
    /** How long, e.g. `'2s'`. */
    readonly fixedDelay: string;
  };
  /** Answer requests with an error status instead of forwarding them. @default - no abort */
  readonly abort?: {
    /** Share of requests aborted. */
    readonly percentage: IstioPercent;
    /** The HTTP status returned, e.g. 503. */
    readonly httpStatus: number;
  };
}

/**
 * One HTTP route of a VirtualService: its match conditions, destinations and policies.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRoute
 */
export interface IstioHttpRoute {
  /** Name of the route, shown in access logs. @default - unnamed */
  readonly name?: string;
  /** Conditions (any of them) for the route to apply. @default - every request */
  readonly match?: IstioHttpMatchRequest[];
  /** Weighted destinations. */
  readonly route: IstioHttpRouteDestination[];
  /** Retry policy. @default - Istio's default retry policy */
  readonly retries?: IstioHttpRetry;
  /** Timeout of a request (a duration). @default - none */
  readonly timeout?: string;
  /** Fault injection. Istio disables timeouts and retries on a route with faults. @default - none */
  readonly fault?: IstioHttpFaultInjection;
  /** Where to shadow requests (responses are discarded). @default - no mirroring */
  readonly mirror?: IstioDestination;
  /** Share of requests mirrored. @default - all requests when `mirror` is set */
  readonly mirrorPercentage?: IstioPercent;
}

/**
 * The spec of an Istio `VirtualService` (the fields this library writes).
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/
 */
export interface VirtualServiceSpec {
  /** Hosts the routes apply to: service hosts and external host names of gateways. */
  readonly hosts: string[];
  /** Gateways the routes apply on; `mesh` means every sidecar. @default ['mesh'] */
  readonly gateways?: string[];
  /** HTTP routes, evaluated in order; the first match wins. */
  readonly http: IstioHttpRoute[];
}

/** Creates a `networking.istio.io` VirtualService in the chart's namespace. */
export function createVirtualService(scope: Construct, id: string, options: IstioObjectOptions<VirtualServiceSpec>): ApiObject {
  return createIstioObject(scope, id, ISTIO_NETWORKING_API_VERSION, 'VirtualService', options);
}
