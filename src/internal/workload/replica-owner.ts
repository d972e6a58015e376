import { IConstruct } from 'constructs';
import { propError } from '../core/errors';

/**
 * Who decides a workload's replica count: the fixed `replicas` prop until an autoscaler is
 * attached, then the autoscaler (and the Deployment omits `spec.replicas`, so that GitOps syncs
 * do not fight it). A workload accepts one autoscaler.
 */
export class ReplicaOwner {
  private attached?: { autoscaler: IConstruct; minReplicas: number; maxReplicas: number };

  constructor(private readonly workload: IConstruct, public readonly fixedReplicas: number) {}

  /** The attached autoscaler, if any. */
  public get autoscaler(): IConstruct | undefined {
    return this.attached?.autoscaler;
  }

  /** The fewest pods the workload runs with. */
  public get minPods(): number {
    return this.attached?.minReplicas ?? this.fixedReplicas;
  }

  /** The most pods the workload can run with. */
  public get maxPods(): number {
    return this.attached?.maxReplicas ?? this.fixedReplicas;
  }

  /** The value of `spec.replicas`: undefined once an autoscaler owns the count. */
  public readonly specReplicas = (): number | undefined => (this.attached ? undefined : this.fixedReplicas);

  /** Hands the replica count to `autoscaler`; fails when another one already has it. */
  public attach(autoscaler: IConstruct, minReplicas: number, maxReplicas: number): void {
    if (this.attached) {
      throw propError(autoscaler, 'target', this.workload.node.path,
        `is already scaled by ${this.attached.autoscaler.node.path}; a workload takes one autoscaler (two would fight over the replica count)`);
    }
    this.attached = { autoscaler, minReplicas, maxReplicas };
  }
}
