import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ISTIO_NETWORKING_API_VERSION } from './api-versions';
import { createIstioObject, IstioObjectOptions } from './istio-object';

/**
 * A named group of a service's endpoints, selected by pod labels.
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#Subset
 */
export interface IstioSubset {
  /** Name routes refer to. */
  readonly name: string;
  /** Labels a pod must carry to belong to the subset. */
  readonly labels: Record<string, string>;
}

/**
 * Connection limits towards the host (the "circuit breaker" of Envoy).
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#ConnectionPoolSettings
 */
export interface IstioConnectionPool {
  /** TCP limits. @default - Envoy's defaults */
  readonly tcp?: {
    /** Most HTTP/1.1 or TCP connections to one host. @default - Envoy's default (2^32-1) */
    readonly maxConnections?: number;
  };
  /** HTTP limits. @default - Envoy's defaults */
  readonly http?: {
    /** Most requests queued while waiting for a connection. @default - Envoy's default (2^32-1) */
    readonly http1MaxPendingRequests?: number;
  };
}

/**
 * Ejection of failing endpoints from the load-balancing pool.
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#OutlierDetection
 */
export interface IstioOutlierDetection {
  /** Consecutive 5xx responses before an endpoint is ejected. @default 5 */
  readonly consecutive5xxErrors?: number;
  /** Time between ejection sweeps (a duration). @default '10s' */
  readonly interval?: string;
  /** Minimum ejection duration (a duration). @default '30s' */
  readonly baseEjectionTime?: string;
  /** Most endpoints ejected at once, in percent. @default 10 */
  readonly maxEjectionPercent?: number;
}

/**
 * Policies applied to traffic towards the host.
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#TrafficPolicy
 */
export interface IstioTrafficPolicy {
  /** Connection limits. @default - none */
  readonly connectionPool?: IstioConnectionPool;
  /** Outlier detection. @default - none */
  readonly outlierDetection?: IstioOutlierDetection;
}

/**
 * The spec of an Istio `DestinationRule` (the fields this library writes).
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/
 */
export interface DestinationRuleSpec {
  /** The service host the rule applies to. */
  readonly host: string;
  /** Policies for every subset. @default - none */
  readonly trafficPolicy?: IstioTrafficPolicy;
  /** The subsets routes can refer to. @default - none */
  readonly subsets?: IstioSubset[];
}

/** Creates a `networking.istio.io` DestinationRule in the chart's namespace. */
export function createDestinationRule(scope: Construct, id: string, options: IstioObjectOptions<DestinationRuleSpec>): ApiObject {
  return createIstioObject(scope, id, ISTIO_NETWORKING_API_VERSION, 'DestinationRule', options);
}
