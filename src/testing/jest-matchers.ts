// Type declarations of the test kit's matchers for Jest's `expect` (the `jest` namespace of
// @types/jest, which ts-jest projects use): `expect(chart).toPassPodSecurity()` type-checks.
import type { KubernetesValidationOptions } from './kubernetes-validation';
import type { PodSecurityLevel } from './pod-security';
import type { TrafficEndpoint } from './traffic';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    // `R` and `T` as declared by @types/jest
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    interface Matchers<R, T = {}> {
      /**
       * Every pod template meets the Pod Security Standards profile (`restricted` by default).
       * Received: a cdk8s App, Chart or ApiObject, or synthesised manifests.
       */
      toPassPodSecurity(level?: PodSecurityLevel): R;
      /** The NetworkPolicies allow `from` to connect to `to` (on `port`, a number or name, or on some container port). */
      toAllowTraffic(from: TrafficEndpoint, to: TrafficEndpoint, port?: number | string): R;
      /** The NetworkPolicies deny every connection from `from` to `to` (on `port`, a number or name, or on every port). */
      toDenyTraffic(from: TrafficEndpoint, to: TrafficEndpoint, port?: number | string): R;
      /** An object of `kind` named `name` exists (and contains `partial`, as in `toMatchObject`). */
      toHaveObject(kind: string, name: string, partial?: object): R;
      /** Every object is valid Kubernetes: schema, no unknown fields, metadata. */
      toBeValidKubernetes(options?: KubernetesValidationOptions): R;
    }
  }
}

export {};
