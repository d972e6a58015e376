/**
 * Jest matchers for your own tests of cdk8s apps, and the checks behind them. Importing this
 * module registers the matchers with Jest's global `expect`:
 *
 * ```ts
 * import 'cloudnative-constructs/testing';
 *
 * expect(Testing.synth(chart)).toPassPodSecurity();
 * expect(chart).toAllowTraffic(web, api, 8080);
 * ```
 * @module cloudnative-constructs/testing
 */
import { toBeValidKubernetes } from './matchers/to-be-valid-kubernetes';
import { toHaveObject } from './matchers/to-have-object';
import { toPassPodSecurity } from './matchers/to-pass-pod-security';
import { toAllowTraffic, toDenyTraffic } from './matchers/traffic-matchers';
import './jest-matchers';

export { Manifest, Problem, describe as describeObject, formatProblems } from './problems';
export { SynthesisSource, manifestsOf } from './manifests';
export { PodSecurityLevel, podSecurityProblems } from './pod-security';
export { KubernetesValidationOptions, kubernetesProblems } from './kubernetes-validation';
export { TrafficDenial, TrafficEndpoint, TrafficPair, trafficPairs } from './traffic';
export { ConnectionVerdict } from '../internal/network/network-reachability';
export { MatcherContext, MatcherHintOptions, MatcherResult, MatcherUtils } from './matchers/context';
export { toBeValidKubernetes, toHaveObject, toPassPodSecurity, toAllowTraffic, toDenyTraffic };

/** The test kit's matchers, by name. */
export interface KitMatchers {
  /** See {@link toPassPodSecurity}. */
  readonly toPassPodSecurity: typeof toPassPodSecurity;
  /** See {@link toAllowTraffic}. */
  readonly toAllowTraffic: typeof toAllowTraffic;
  /** See {@link toDenyTraffic}. */
  readonly toDenyTraffic: typeof toDenyTraffic;
  /** See {@link toHaveObject}. */
  readonly toHaveObject: typeof toHaveObject;
  /** See {@link toBeValidKubernetes}. */
  readonly toBeValidKubernetes: typeof toBeValidKubernetes;
}

/**
 * The test kit's Jest matchers, for `expect.extend(matchers)` (importing
 * `cloudnative-constructs/testing` already registers them with the global `expect`).
 */
export const matchers: KitMatchers = { toPassPodSecurity, toAllowTraffic, toDenyTraffic, toHaveObject, toBeValidKubernetes };

const globalExpect = (globalThis as { expect?: { extend?: (m: object) => void } }).expect;
if (typeof globalExpect?.extend === 'function') globalExpect.extend(matchers);
