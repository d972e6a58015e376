import { IConstruct } from 'constructs';
import { getOrInsert } from '../core/get-or-insert';

/** A workload whose pods serve metrics on `port`: what network and mesh policies need to open it. */
export interface MetricsTarget {
  /** The workload construct (its path names it in errors). */
  readonly scope: IConstruct;
  /** The workload's name. */
  readonly name: string;
  readonly namespace: string;
  /** Labels selecting every pod of the workload. */
  readonly podSelector: Record<string, string>;
  /** The container port serving the metrics. */
  readonly port: number;
  /** Whether the metrics share the app's own port (so the port also carries the app's traffic). */
  readonly sharesAppPort: boolean;
}

const REGISTRIES = new WeakMap<IConstruct, Map<string, MetricsTargets>>();

/**
 * The workloads of one namespace that serve metrics, in one app. Constructs are created in any
 * order, so a `NetworkPolicyBundle` subscribes with `onTarget` and hears of every target, those
 * created before it and those created after.
 */
export class MetricsTargets {
  /** The registry of `namespace` in the app `scope` belongs to. */
  public static of(scope: IConstruct, namespace: string): MetricsTargets {
    const registry = getOrInsert(REGISTRIES, scope.node.root, () => new Map());
    return getOrInsert(registry, namespace, () => new MetricsTargets());
  }

  private readonly targets: MetricsTarget[] = [];
  private readonly listeners: Array<(target: MetricsTarget) => void> = [];

  private constructor() {}

  /** How many workloads of the namespace serve metrics (so far). */
  public get size(): number {
    return this.targets.length;
  }

  /** Records a workload serving metrics and tells every subscriber. */
  public add(target: MetricsTarget): void {
    this.targets.push(target);
    for (const listener of [...this.listeners]) listener(target);
  }

  /** Runs `callback` for every target: those known now, and each one added later. */
  public onTarget(callback: (target: MetricsTarget) => void): void {
    this.listeners.push(callback);
    for (const target of [...this.targets]) callback(target);
  }
}
