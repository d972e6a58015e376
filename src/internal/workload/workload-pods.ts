import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { createDisruptionBudget, resolveBudget } from './disruption-budget';
import { buildPodTemplate, PodTemplateInput } from './pod-template';
import { registerPodTemplate } from './pod-templates';
import { ReplicaOwner } from './replica-owner';
import { DisruptionBudgetOptions } from '../../workload-options';
import { WiredWorkload } from '../output/wiring';

/** A pod template as the shared builder returns it. */
export type PodTemplateJson = Record<string, unknown>;

/**
 * Builds the object that owns the pods (a Deployment, a StatefulSet…) around the hardened pod
 * template, in `scope`. `replicas` is read at synthesis: undefined once an autoscaler owns the count.
 */
export type PodController = (scope: Construct, template: PodTemplateJson, replicas: () => number | undefined) => ApiObject;

/** What the replicated pods of a hardened workload need, whatever object owns them. */
export interface WorkloadPodsInput extends PodTemplateInput {
  /** Name of the pod controller and of its PodDisruptionBudget. */
  readonly name: string;
  /** The replica count until an autoscaler takes it over. */
  readonly replicas: number;
  readonly disruptionBudget: false | DisruptionBudgetOptions | undefined;
  /** Creates the pod controller around the finished template. */
  readonly controller: PodController;
  /**
   * Adjusts the finished template before the controller is built (a construct's own mounts or
   * restart policy); it returns the template to use.
   * @default - the template as built
   */
  readonly adjustTemplate?: (template: PodTemplateJson) => PodTemplateJson;
}

/**
 * The replicated pods of a hardened workload, built the same way whatever owns them (the
 * Deployment of a `WebApp`, a `CanaryRelease` track or a `Worker`, the StatefulSet of a
 * `StatefulApp`): the hardened pod template, the controller object, who owns the replica count
 * (the `replicas` prop or an autoscaler) and the PodDisruptionBudget once two pods can run.
 * The budget is created in `scope` with id `DisruptionBudget`.
 */
export class WorkloadPods {
  /** The object that owns the pods. */
  public readonly controller: ApiObject;

  private readonly replicaOwner: ReplicaOwner;
  private budget?: ApiObject;

  constructor(private readonly scope: Construct, private readonly input: WorkloadPodsInput) {
    this.replicaOwner = new ReplicaOwner(scope, input.replicas);
    const template = buildPodTemplate(input);
    const final = input.adjustTemplate ? input.adjustTemplate(template) : template;
    this.controller = input.controller(scope, final, this.replicaOwner.specReplicas);
    registerPodTemplate(this.controller, final);
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

  /** The controller and what the other objects were written against, for the wiring check. */
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
   * autoscaler caps the workload at one pod. Call it after the owner's other objects are
   * created, and again whenever the replica range changes.
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

  /**
   * The problem of an explicit budget on a workload that runs a single pod (none is created:
   * it would block node drains), as a validation message of `owner`.
   */
  public budgetProblems(owner: IConstruct): string[] {
    const options = this.input.disruptionBudget;
    if (options && !this.budget) {
      return [`${owner.node.path}: invalid disruptionBudget ${JSON.stringify(options)}: the app runs a single replica, and a budget would block node drains; remove it, or raise replicas or its autoscaler's maxReplicas to 2 or more`];
    }
    return [];
  }
}
