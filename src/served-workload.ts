import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { createService } from './internal/workload/service';
import { WorkloadFoundation } from './internal/workload/workload-foundation';
import { IObservableWorkload } from './observable-workload';
import { ReplicatedWorkload } from './replicated-workload';

/**
 * A replicated workload that clients reach through its ClusterIP Service `<name>`: `WebApp`,
 * `StatefulApp` and `ProgressiveRelease`. Objectives can measure it. Not constructed directly.
 */
export abstract class ServedWorkload extends ReplicatedWorkload implements IObservableWorkload {
  /** The container port. */
  public declare readonly port: number;
  /** The port the Service exposes. */
  public readonly servicePort: number;

  private clientService?: ApiObject;

  /** See {@link HardenedWorkload}; the subclass builds its pods, then serves them with `_serve`. */
  protected constructor(scope: Construct, id: string, brand: symbol, found: (self: Construct) => WorkloadFoundation) {
    super(scope, id, brand, found);
    this.servicePort = this._foundation.workload.servicePort;
  }

  /** The ClusterIP Service `<name>` selecting every pod of the workload. */
  public get service(): ApiObject {
    if (!this.clientService) throw new Error(`${this.node.path}: the Service is read before it is created`);
    return this.clientService;
  }

  /** @internal Creates the Service `<name>` (id `Service`) on the named port, selecting every pod. */
  protected _serve(): void {
    const { workload, labels, selector } = this._foundation;
    this.clientService = createService(this, workload, labels, selector);
  }
}
