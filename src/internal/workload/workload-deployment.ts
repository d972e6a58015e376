import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { createDeployment } from './deployment';
import { WorkloadPods, WorkloadPodsInput } from './workload-pods';

/** What one hardened Deployment needs: its pod template's input, a name, replicas and a budget. */
export type WorkloadDeploymentInput = Omit<WorkloadPodsInput, 'controller'>;

/**
 * The pods of a hardened workload run by a Deployment, built the same way for a `WebApp`, each
 * `CanaryRelease` track and a `Worker`: {@link WorkloadPods} with an apps/v1 Deployment as the
 * controller. The objects are created in `scope` (ids `Deployment` and `DisruptionBudget`).
 */
export class WorkloadDeployment extends WorkloadPods {
  /** The apps/v1 Deployment. */
  public readonly deployment: ApiObject;

  constructor(scope: Construct, input: WorkloadDeploymentInput) {
    super(scope, {
      ...input,
      controller: (owner, template, replicas) => createDeployment(owner, 'Deployment', {
        name: input.name, labels: input.labels, selector: input.selector, template, replicas, controller: input.workload.controller,
      }),
    });
    this.deployment = this.controller;
  }
}
