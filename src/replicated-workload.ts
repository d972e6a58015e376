import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { HardenedWorkload } from './hardened-workload';
import { propError } from './internal/core/errors';
import { WiredWorkload } from './internal/output/wiring';
import { createDeployment } from './internal/workload/deployment';
import { createDisruptionBudget, resolveBudget } from './internal/workload/disruption-budget';
import { buildPodTemplate } from './internal/workload/pod-template';
import { registerPodTemplate } from './internal/workload/pod-templates';
import { ReplicatedPodsSpec } from './internal/workload/replicated-pods';
import { WorkloadFoundation } from './internal/workload/workload-foundation';
import { IScalableWorkload, ResourceRequests, ScaleTargetRef } from './scalable';

/** The pods once built: the object owning them, and how they run. */
interface RunningPods {
  readonly controller: ApiObject;
  readonly spec: ReplicatedPodsSpec;
}

/** An autoscaler that took over the replica count, and its range. */
interface AttachedAutoscaler {
  readonly autoscaler: IConstruct;
  readonly minReplicas: number;
  readonly maxReplicas: number;
}

/**
 * A hardened workload whose pods a controller keeps at a replica count: `WebApp`, `Worker`,
 * `StatefulApp`, `ProgressiveRelease` and each `CanaryRelease` track. Its `replicas` own the
 * count until an `Autoscaled` takes it over (the controller then omits `spec.replicas`, so that
 * GitOps syncs do not fight the autoscaler); a PodDisruptionBudget guards the pods once two can
 * run. Not constructed directly.
 */
export abstract class ReplicatedWorkload extends HardenedWorkload implements IScalableWorkload {
  /** The pinned container image. */
  public readonly image: string;
  /** The pods' `app.kubernetes.io/version` (the image tag, or its digest prefix). */
  public readonly version: string;
  /** Every container requests cpu and memory. */
  public readonly requestsResources: ResourceRequests = { cpu: true, memory: true };

  private running?: RunningPods;
  private attached?: AttachedAutoscaler;
  private budget?: ApiObject;

  /** See {@link HardenedWorkload}; the subclass then builds its pods with `_runPods`. */
  protected constructor(scope: Construct, id: string, brand: symbol, found: (self: Construct) => WorkloadFoundation) {
    super(scope, id, brand, found);
    this.image = this._foundation.image!;
    this.version = this._foundation.version!;
  }

  /** @see IScalableWorkload.scaleTargetRef */
  public get scaleTargetRef(): ScaleTargetRef {
    const { controller } = this.pods;
    return { apiVersion: controller.apiVersion, kind: controller.kind, name: controller.name };
  }

  /** The PodDisruptionBudget, present when the workload can run two or more pods. */
  public get disruptionBudget(): ApiObject | undefined {
    return this.budget;
  }

  /** The autoscaler that owns the replica count, if any. */
  public get autoscaler(): IConstruct | undefined {
    return this.attached?.autoscaler;
  }

  /** The fewest pods the workload runs with: its `replicas`, or its autoscaler's `minReplicas`. */
  public get minReplicas(): number {
    return this.attached?.minReplicas ?? this.pods.spec.replicas;
  }

  /** The most pods the workload can run with: its `replicas`, or its autoscaler's `maxReplicas`. */
  public get maxReplicas(): number {
    return this.attached?.maxReplicas ?? this.pods.spec.replicas;
  }

  /**
   * Hands the replica count to `autoscaler` (a workload takes one: two would fight over the
   * count) and re-checks the PodDisruptionBudget against its range.
   * @see IScalableWorkload.attachAutoscaler
   */
  public attachAutoscaler(autoscaler: IConstruct, minReplicas: number, maxReplicas: number): void {
    if (this.attached) {
      throw propError(autoscaler, 'target', this.node.path,
        `is already scaled by ${this.attached.autoscaler.node.path}; a workload takes one autoscaler (two would fight over the replica count)`);
    }
    this.attached = { autoscaler, minReplicas, maxReplicas };
    this._updateDisruptionBudget();
  }

  /** @internal The controller and what the other objects were written against (wiring check). */
  public get _wired(): WiredWorkload {
    const autoscaler = (this.attached?.autoscaler as { horizontalPodAutoscaler?: unknown } | undefined)?.horizontalPodAutoscaler;
    return {
      object: this.pods.controller,
      name: this._foundation.name,
      selector: this.selector,
      ports: this.containerPorts,
      autoscaler: autoscaler instanceof ApiObject ? autoscaler : undefined,
      budget: this.budget,
    };
  }

  /**
   * @internal Validates the budget against the fewest pods and creates it (id `DisruptionBudget`)
   * once the workload can run two — never for a single pod, where it would block every node
   * drain — and removes it when an autoscaler caps the workload at one pod. Called once the
   * owner's other objects exist (keeps the output order), and again when the range changes.
   */
  public _updateDisruptionBudget(): void {
    if (this.budget && this.maxReplicas < 2) {
      this.node.tryRemoveChild(this.budget.node.id);
      this.budget = undefined;
    }
    const options = this.pods.spec.disruptionBudget;
    if (options === false || this.maxReplicas < 2) return;
    const budget = resolveBudget(this, options, this.minReplicas);
    this.budget ??= createDisruptionBudget(this, this._foundation.name, this._foundation.podLabels, this.selector, budget);
  }

  /**
   * @internal Builds the hardened pod template from the foundation and the object owning the
   * pods around it (by default the Deployment `<name>`, id `Deployment`); returns that object.
   */
  protected _runPods(spec: ReplicatedPodsSpec): ApiObject {
    const { workload, name, env, resources, podLabels, selector, configMapName } = this._foundation;
    const built = buildPodTemplate({ workload, image: this.image, env, resources, labels: podLabels, selector, configMapName });
    const template = spec.adjustTemplate ? spec.adjustTemplate(built) : built;
    const replicas = (): number | undefined => (this.attached ? undefined : spec.replicas);
    const controller = spec.controller
      ? spec.controller(this, template, replicas)
      : createDeployment(this, 'Deployment', { name, labels: podLabels, selector, template, replicas, controller: workload.controller });
    registerPodTemplate(controller, template);
    this.running = { controller, spec };
    return controller;
  }

  /**
   * @internal Creates the budget once the workload's other objects exist, and checks at synthesis
   * that an explicit budget has two pods to guard (the `noun` names the workload: app, release).
   */
  protected _guardPods(noun: string): void {
    this._updateDisruptionBudget();
    this.node.addValidation({ validate: () => this.budgetProblems(noun) });
  }

  private get pods(): RunningPods {
    if (!this.running) throw new Error(`${this.node.path}: the pods are read before they are built`);
    return this.running;
  }

  private budgetProblems(noun: string): string[] {
    const options = this.pods.spec.disruptionBudget;
    if (options && !this.budget) {
      return [`${this.node.path}: invalid disruptionBudget ${JSON.stringify(options)}: the ${noun} runs a single replica, and a budget would block node drains; remove it, or raise replicas or its autoscaler's maxReplicas to 2 or more`];
    }
    return [];
  }
}
