// cloudnative-constructs/testing: Jest matchers for users' own tests, and the checks behind them.
// Importing this module registers the matchers with Jest's global `expect` (when there is one).
import { toBeValidKubernetes } from './matchers/to-be-valid-kubernetes';
import { toHaveObject } from './matchers/to-have-object';
import { toPassPodSecurity } from './matchers/to-pass-pod-security';
import { toAllowTraffic, toDenyTraffic } from './matchers/traffic-matchers';
import './jest-matchers';

export { Manifest, Problem, describe as describeObject, formatProblems } from './problems';
export { SynthesisSource, manifestsOf } from './manifests';
export { PodSecurityLevel, podSecurityProblems } from './pod-security';
export { KubernetesValidationOptions, kubernetesProblems } from './kubernetes-validation';
export { TrafficEndpoint, TrafficPair, trafficPairs } from './traffic';
export { ConnectionVerdict } from '../internal/network/network-reachability';
export { MatcherContext, MatcherResult } from './matchers/context';
export { toBeValidKubernetes, toHaveObject, toPassPodSecurity, toAllowTraffic, toDenyTraffic };

/**
 * The test kit's Jest matchers, for `expect.extend(matchers)` (importing
 * `cloudnative-constructs/testing` already registers them with the global `expect`).
 */
export const matchers = { toPassPodSecurity, toAllowTraffic, toDenyTraffic, toHaveObject, toBeValidKubernetes };

const globalExpect = (globalThis as { expect?: { extend?: (m: object) => void } }).expect;
if (typeof globalExpect?.extend === 'function') globalExpect.extend(matchers);
