import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { CanaryMatch, CanaryRetryOptions, FaultInjectionOptions, MirrorOptions } from '../../canary-release-options';
import { IstioDestination, IstioHttpFaultInjection, IstioHttpMatchRequest, IstioHttpRetry, IstioHttpRoute } from '../../istio/virtual-service';
import { checkDuration } from '../core/duration';
import { propError } from '../core/errors';
import { checkInteger, checkPercent } from '../core/validate';

/** The subset names of the two tracks in the DestinationRule. */
export const STABLE_SUBSET = 'stable';
export const CANARY_SUBSET = 'canary';

/** What the VirtualService routes are built from. */
export interface CanaryRoutingInput {
  /** The Service host both subsets belong to. */
  readonly host: string;
  readonly canaryWeight: number;
  readonly match?: CanaryMatch;
  readonly retries?: CanaryRetryOptions;
  readonly timeout?: string | Duration;
  readonly faultInjection?: FaultInjectionOptions;
  readonly mirror?: MirrorOptions;
}

// HTTP header field names are RFC 7230 tokens; Istio requires them lowercase.
const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;
const RETRY_CONDITIONS = [
  '5xx', 'gateway-error', 'reset', 'reset-before-request', 'connect-failure', 'envoy-ratelimited', 'retriable-4xx',
  'refused-stream', 'retriable-status-codes', 'retriable-headers', 'http3-post-connect-failure',
  'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable',
];

/** Validates `canaryWeight`: an integer percentage of requests sent to the canary. */
export function checkCanaryWeight(scope: IConstruct, value: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 100) {
    throw propError(scope, 'canaryWeight', value, 'must be an integer percentage between 0 (stable only) and 100 (promoted)');
  }
  return value;
}

/**
 * The VirtualService's HTTP routes: first the header match that always reaches the canary,
 * then the split `100 - canaryWeight` / `canaryWeight`, both destinations always present so
 * that promoting or rolling back changes one number. Retries, timeout and faults apply to both
 * routes; the mirror only to the split.
 */
export function buildCanaryRoutes(scope: IConstruct, input: CanaryRoutingInput): IstioHttpRoute[] {
  const stable: IstioDestination = { host: input.host, subset: STABLE_SUBSET };
  const canary: IstioDestination = { host: input.host, subset: CANARY_SUBSET };
  const policies = routePolicies(scope, input);
  const routes: IstioHttpRoute[] = [];
  if (input.match !== undefined) {
    routes.push({ name: 'canary-match', match: [resolveMatch(scope, input.match)], route: [{ destination: canary }], ...policies });
  }
  routes.push({
    name: 'split',
    route: [{ destination: stable, weight: 100 - input.canaryWeight }, { destination: canary, weight: input.canaryWeight }],
    ...policies,
    ...resolveMirror(scope, input.mirror, input.canaryWeight, canary),
  });
  return routes;
}

function routePolicies(scope: IConstruct, input: CanaryRoutingInput): Pick<IstioHttpRoute, 'retries' | 'timeout' | 'fault'> {
  const retries = input.retries === undefined ? undefined : resolveRetries(scope, input.retries);
  const timeout = input.timeout === undefined ? undefined : checkDuration(scope, 'timeout', input.timeout);
  const fault = input.faultInjection === undefined ? undefined : resolveFault(scope, input.faultInjection);
  if (fault && (retries || timeout)) {
    throw propError(scope, 'faultInjection', input.faultInjection,
      `cannot be combined with ${retries ? 'retries' : 'timeout'}: Istio turns off timeouts and retries on a route with fault injection; remove one of them`);
  }
  return { retries, timeout, fault };
}

/** Validates `match` into an Istio match request (header names sorted). */
export function resolveMatch(scope: IConstruct, match: CanaryMatch): IstioHttpMatchRequest {
  const headers = match?.headers;
  if (typeof headers !== 'object' || headers === null || Object.keys(headers).length === 0) {
    throw propError(scope, 'match.headers', headers, 'must name at least one header and its exact value, e.g. { "x-canary": "always" }');
  }
  const result: Record<string, { exact: string }> = {};
  for (const name of Object.keys(headers).sort()) {
    if (!HEADER_NAME.test(name)) {
      const hint = HEADER_NAME.test(name.toLowerCase()) ? ` (did you mean ${JSON.stringify(name.toLowerCase())}?)` : '';
      throw propError(scope, 'match.headers', name, `header names must be lowercase HTTP tokens: letters, digits and - _ . ! # $ % & ' * + ^ \` | ~${hint}`);
    }
    const value = headers[name];
    if (typeof value !== 'string' || value === '') {
      throw propError(scope, `match.headers.${name}`, value, 'must be the non-empty exact value of the header');
    }
    result[name] = { exact: value };
  }
  return { name: 'canary-headers', headers: result };
}

function resolveRetries(scope: IConstruct, retries: CanaryRetryOptions): IstioHttpRetry {
  if (typeof retries !== 'object' || retries === null) throw propError(scope, 'retries', retries, 'must be { attempts, perTryTimeout?, retryOn? }');
  const attempts = checkInteger(scope, 'retries.attempts', retries.attempts, 0);
  return {
    attempts,
    perTryTimeout: retries.perTryTimeout === undefined ? undefined : checkDuration(scope, 'retries.perTryTimeout', retries.perTryTimeout),
    retryOn: retries.retryOn === undefined ? undefined : checkRetryOn(scope, retries.retryOn),
  };
}

function checkRetryOn(scope: IConstruct, value: string): string {
  const conditions = typeof value === 'string' ? value.split(',').map(c => c.trim()) : [];
  const bad = typeof value !== 'string' ? value : conditions.find(c => !RETRY_CONDITIONS.includes(c) && !/^[1-5][0-9][0-9]$/.test(c));
  if (bad !== undefined || conditions.length === 0) {
    throw propError(scope, 'retries.retryOn', value,
      `must be a comma-separated list of retry conditions (${RETRY_CONDITIONS.join(', ')}) or HTTP status codes such as 503${typeof bad === 'string' ? `; ${JSON.stringify(bad)} is not one` : ''}`);
  }
  return conditions.join(',');
}

function resolveFault(scope: IConstruct, fault: FaultInjectionOptions): IstioHttpFaultInjection {
  if (typeof fault !== 'object' || fault === null || (fault.delay === undefined && fault.abort === undefined)) {
    throw propError(scope, 'faultInjection', fault, 'must give a delay { percent, fixedDelay }, an abort { percent, httpStatus }, or both');
  }
  const { delay, abort } = fault;
  return {
    delay: delay === undefined ? undefined : {
      percentage: { value: checkPercent(scope, 'faultInjection.delay.percent', delay.percent) },
      fixedDelay: checkDuration(scope, 'faultInjection.delay.fixedDelay', delay.fixedDelay),
    },
    abort: abort === undefined ? undefined : {
      percentage: { value: checkPercent(scope, 'faultInjection.abort.percent', abort.percent) },
      httpStatus: checkInteger(scope, 'faultInjection.abort.httpStatus', abort.httpStatus, 200, 599),
    },
  };
}

function resolveMirror(scope: IConstruct, mirror: MirrorOptions | undefined, canaryWeight: number,
  canary: IstioDestination): Pick<IstioHttpRoute, 'mirror' | 'mirrorPercentage'> {
  if (mirror === undefined) return {};
  if (typeof mirror !== 'object' || mirror === null) throw propError(scope, 'mirror', mirror, 'must be { percent }');
  const percent = checkPercent(scope, 'mirror.percent', mirror.percent);
  if (canaryWeight > 0) {
    throw propError(scope, 'mirror', mirror,
      `shadows stable traffic to the canary, but canaryWeight is ${canaryWeight}: requests already routed to the canary would be mirrored to it too; set canaryWeight to 0 while mirroring, or remove mirror`);
  }
  return { mirror: canary, mirrorPercentage: { value: percent } };
}
