import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { createDeployment } from './deployment';
import { createDisruptionBudget, resolveBudget } from './disruption-budget';
import { buildPodTemplate, PodTemplateInput } from './pod-template';
import { registerPodTemplate } from './pod-templates';
import { ReplicaOwner } from './replica-owner';
import { DisruptionBudgetOptions } from '../../workload-options';
import { WiredWorkload } from '../output/wiring';

/** What one hardened Deployment needs: its pod template's input, a name, replicas and a budget. */
export interface WorkloadDeploymentInput extends PodTemplateInput {
  /** Name of the Deployment and of its PodDisruptionBudget. */
  readonly name: string;
  /** The replica count until an autoscaler takes it over. */
  readonly replicas: number;
  readonly disruptionBudget: false | DisruptionBudgetOptions | undefined;
}

/**
 * Creates the pod controller of a workload from its hardened pod template; `replicas` is read
 * at synthesis and is undefined once an autoscaler owns the count (omit `spec.replicas` then).
 */
export type PodControllerFactory = (template: Record<string, unknown>, replicas: () => number | undefined) => ApiObject;

/**
 * The pods of a hardened workload, whatever controller runs them: the hardened pod template,
 * the controller `create` makes of it (a Deployment, an Argo Rollouts Rollout…), who owns the
 * replica count (the `replicas` prop or an autoscaler) and the PodDisruptionBudget once two pods
 * can run (id `DisruptionBudget` in `scope`).
 */
export class WorkloadPods {
  /** The pod controller. */
  public readonly controller: ApiObject;

  private readonly replicaOwner: ReplicaOwner;
  private budget?: ApiObject;

  constructor(private readonly scope: Construct, private readonly input: WorkloadDeploymentInput, create: PodControllerFactory) {
    this.replicaOwner = new ReplicaOwner(scope, input.replicas);
    const template = buildPodTemplate(input);
    this.controller = create(template, this.replicaOwner.specReplicas);
    registerPodTemplate(this.controller, template);
  }

  /** The PodDisruptionBudget, once the workload can run two or more pods. */
  public get disruptionBudget(): ApiObject | undefined {
    return this.budget;
  }

  /** The autoscaler that owns the replica count, if any. */
  public get autoscaler(): IConstruct | undefined {
    return this.replicaOwner.autoscaler;
  }

  /** The fewest pods the workload runs with. */
  public get minPods(): number {
    return this.replicaOwner.minPods;
  }

  /** The most pods the workload can run with. */
  public get maxPods(): number {
    return this.replicaOwner.maxPods;
  }

  /** The pod controller and what the other objects were written against, for the wiring check. */
  public get wired(): WiredWorkload {
    const autoscaler = (this.replicaOwner.autoscaler as { horizontalPodAutoscaler?: unknown } | undefined)?.horizontalPodAutoscaler;
    return {
      object: this.controller,
      name: this.input.name,
      selector: this.input.selector,
      ports: this.input.workload.ports.map(p => p.port),
      autoscaler: autoscaler instanceof ApiObject ? autoscaler : undefined,
      budget: this.budget,
    };
  }

  /** Hands the replica count to `autoscaler` and re-checks the budget against its range. */
  public attachAutoscaler(autoscaler: IConstruct, minReplicas: number, maxReplicas: number): void {
    this.replicaOwner.attach(autoscaler, minReplicas, maxReplicas);
    this.updateDisruptionBudget();
  }

  /**
   * Validates the budget against the fewest pods and creates it once the workload can run two
   * (never for a single replica: it would block every node drain), and removes it when an
   * autoscaler caps the workload at one pod. Call it after the owner's
   * other objects are created, and again whenever the replica range changes.
   */
  public updateDisruptionBudget(): void {
    if (this.budget && this.replicaOwner.maxPods < 2) {
      this.scope.node.tryRemoveChild(this.budget.node.id);
      this.budget = undefined;
    }
    if (this.input.disruptionBudget === false || this.replicaOwner.maxPods < 2) return;
    const budget = resolveBudget(this.scope, this.input.disruptionBudget, this.replicaOwner.minPods);
    this.budget ??= createDisruptionBudget(this.scope, this.input.name, this.input.labels, this.input.selector, budget);
  }
}

/**
 * The pods of a hardened Deployment, built the same way for a `WebApp` and for each
 * `CanaryRelease` track (ids `Deployment` and `DisruptionBudget` in `scope`).
 */
export class WorkloadDeployment extends WorkloadPods {
  /** The apps/v1 Deployment. */
  public readonly deployment: ApiObject;

  constructor(scope: Construct, input: WorkloadDeploymentInput) {
    super(scope, input, (template, replicas) => createDeployment(scope, 'Deployment', {
      name: input.name,
      labels: input.labels,
      selector: input.selector,
      template,
      replicas,
    }));
    this.deployment = this.controller;
  }
}
