import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { DisruptionBudgetOptions } from '../../workload-options';

/** A pod template as the shared builder returns it. */
export type PodTemplateJson = Record<string, unknown>;

/**
 * Builds the object that owns the pods (a Deployment, a StatefulSet…) around the hardened pod
 * template, in `scope`. `replicas` is read at synthesis: undefined once an autoscaler owns the count.
 */
export type PodController = (scope: Construct, template: PodTemplateJson, replicas: () => number | undefined) => ApiObject;

/** How a replicated workload runs its pods, beside its pod template. */
export interface ReplicatedPodsSpec {
  /** The replica count until an autoscaler takes it over. */
  readonly replicas: number;
  /** The PodDisruptionBudget options (`false`: none). */
  readonly disruptionBudget: false | DisruptionBudgetOptions | undefined;
  /** Builds the object owning the pods. @default - an apps/v1 Deployment `<name>` */
  readonly controller?: PodController;
  /**
   * Adjusts the finished template before the controller is built (a construct's own mounts or
   * restart policy); it returns the template to use.
   * @default - the template as built
   */
  readonly adjustTemplate?: (template: PodTemplateJson) => PodTemplateJson;
}
