import { IConstruct } from 'constructs';
import { AppProtocol } from './container-basics';

/**
 * A workload a `ServiceLevelObjective` can measure: a `WebApp`, a `CanaryRelease` or another
 * workload of this library.
 */
export interface IObservableWorkload extends IConstruct {
  /** The workload's name: its Service's, and the `job` of its scraped metrics. */
  readonly name: string;
  /** The namespace its pods run in. */
  readonly namespace: string;
  /** Labels that select every pod of the workload. */
  readonly selector: Record<string, string>;
  /**
   * The container port serving Prometheus metrics, when the workload declares `metrics`.
   * @default - none: the workload declares no metrics
   */
  readonly metricsPort?: number;
  /**
   * The protocol the workload speaks: an objective reads the metrics that protocol has (gRPC
   * status codes for `grpc`; none for `tcp`, which has no requests to count).
   * @default 'http'
   */
  readonly appProtocol?: AppProtocol;
}

/** Whether `x` is a workload construct an objective can measure. */
export function isObservableWorkload(x: unknown): x is IObservableWorkload {
  const w = x as IObservableWorkload;
  return typeof x === 'object' && x !== null && typeof (w as { node?: unknown }).node === 'object'
    && typeof w.name === 'string' && typeof w.namespace === 'string' && typeof w.selector === 'object' && w.selector !== null;
}
