import { IConstruct } from 'constructs';
import { CircuitBreakerOptions } from '../../canary-release-options';
import { IstioTrafficPolicy } from '../../istio/destination-rule';
import { checkDuration } from '../core/duration';
import { propError } from '../core/errors';
import { checkInteger } from '../core/validate';

/**
 * Maps `circuitBreaker` to a DestinationRule traffic policy: the connection limits to
 * `connectionPool`, ejection of failing pods to `outlierDetection` (written with Istio's own
 * defaults, so the manifest shows what applies).
 */
export function resolveCircuitBreaker(scope: IConstruct, options: CircuitBreakerOptions): IstioTrafficPolicy {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw propError(scope, 'circuitBreaker', options, 'must be an object such as { maxConnections: 100, consecutive5xxErrors: 5 }');
  }
  const maxConnections = options.maxConnections === undefined ? undefined : checkInteger(scope, 'circuitBreaker.maxConnections', options.maxConnections, 1);
  const maxPending = options.maxPendingRequests === undefined ? undefined : checkInteger(scope, 'circuitBreaker.maxPendingRequests', options.maxPendingRequests, 1);
  const connectionPool = maxConnections === undefined && maxPending === undefined ? undefined : {
    tcp: maxConnections === undefined ? undefined : { maxConnections },
    http: maxPending === undefined ? undefined : { http1MaxPendingRequests: maxPending },
  };
  return {
    connectionPool,
    outlierDetection: {
      consecutive5xxErrors: checkInteger(scope, 'circuitBreaker.consecutive5xxErrors', options.consecutive5xxErrors ?? 5, 1),
      interval: checkDuration(scope, 'circuitBreaker.interval', options.interval ?? '10s'),
      baseEjectionTime: checkDuration(scope, 'circuitBreaker.baseEjectionTime', options.baseEjectionTime ?? '30s'),
      maxEjectionPercent: checkInteger(scope, 'circuitBreaker.maxEjectionPercent', options.maxEjectionPercent ?? 10, 0, 100),
    },
  };
}
