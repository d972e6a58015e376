/**
 * Hardened cdk8s constructs: web apps, workers, stateful apps and scheduled jobs; canary releases
 * on Istio or Gateway API and progressive releases on Argo Rollouts; HTTPS gateways, autoscaling,
 * secure namespaces, network policy, metrics and service level objectives; a GitOps delivery
 * pipeline with a plan of what a commit changes. The README at the repository root is the tour.
 * @module cloudnative-constructs
 */
// the test kit's Jest matcher types: a test file that imports the library has them typed when
// `setupFilesAfterEnv: ['cloudnative-constructs/testing']` registers them (types only, no code)
import './testing/jest-matchers';
export * from './container-basics';
export * from './workload-options';
export * from './container-options';
export * from './scheduling-options';
export * from './metrics-options';
export * from './observable-workload';
export * from './service-level-objective';
export * from './ingress-options';
export * from './load-balancer-options';
export * from './gateway-reference';
export * from './route-options';
export * from './gateway-options';
export * from './https-gateway';
export * from './http-gateway';
export * from './dns-options';
export * from './scalable';
export * from './network-peer';
export * from './hardened-workload';
export * from './replicated-workload';
export * from './served-workload';
export * from './web-app';
export * from './worker';
export * from './stateful-app';
export * from './scheduled-job';
export * from './plus-workload';
export * from './autoscaled';
export * from './synth';
export * from './plan';
export * from './prerequisites';
export * from './pipeline-options';
export * from './pipeline';
export * from './image-verification';
export * from './external-secret';
export * from './github/workflow-model';
export { ACTIONS, ActionName, ActionPin, usesOf } from './github/actions';
export { renderWorkflow } from './github/render';
export { imageFromDigestFile } from './github/image-digests';
export * from './argocd/application';
export * from './canary-release-options';
export * from './canary-release-track';
export * from './canary-release';
export * from './progressive-release-options';
export * from './progressive-release';
export type { VirtualServiceSpec, IstioHttpRoute, IstioHttpRouteDestination, IstioDestination, IstioHttpMatchRequest, IstioStringMatch, IstioHttpRetry, IstioHttpFaultInjection, IstioPercent } from './istio/virtual-service';
export type { DestinationRuleSpec, IstioSubset, IstioTrafficPolicy, IstioConnectionPool, IstioOutlierDetection } from './istio/destination-rule';
export type { GatewaySpec, IstioGatewayServer, IstioServerTls } from './istio/gateway';
export * from './secure-namespace';
export * from './external-host-protocol';
export * from './network-policy-bundle';
export * from './reachability';
export type { MutualTlsMode, IstioWorkloadSelector, PeerAuthenticationSpec } from './istio/peer-authentication';
export type { AuthorizationAction, AuthorizationSource, AuthorizationOperation, AuthorizationRule, AuthorizationPolicySpec } from './istio/authorization-policy';
