import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { ResolvedControllerOptions } from './controller-options';
import { claimName } from '../core/name-registry';

/** What a Deployment needs. */
export interface DeploymentInput {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  readonly template: Record<string, unknown>;
  /** The replica count, read at synthesis: undefined once an autoscaler owns the count. */
  readonly replicas: () => number | undefined;
  readonly controller: ResolvedControllerOptions;
}

/**
 * Creates an apps/v1 Deployment with zero-downtime rolling updates (`maxUnavailable: 0`).
 * `spec.replicas` is resolved at synthesis so an autoscaler attached later can omit it.
 */
export function createDeployment(scope: Construct, id: string, input: DeploymentInput): ApiObject {
  claimName(scope, 'name', 'Deployment', input.name);
  return new ApiObject(scope, id, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: input.name, labels: input.labels },
    spec: {
      replicas: Lazy.any({ produce: input.replicas }),
      minReadySeconds: input.controller.minReadySeconds,
      progressDeadlineSeconds: input.controller.progressDeadlineSeconds,
      revisionHistoryLimit: input.controller.revisionHistoryLimit,
      selector: { matchLabels: input.selector },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: input.template,
    },
  });
}
