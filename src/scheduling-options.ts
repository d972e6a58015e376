/**
 * Lets the pods run on nodes with a matching taint.
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/
 */
export interface Toleration {
  /**
   * Taint key to tolerate; leave it out with `operator: 'Exists'` to tolerate every taint.
   * @default - every key (only with operator Exists)
   */
  readonly key?: string;
  /**
   * `Equal` matches the taint's value, `Exists` any value.
   * @default 'Equal'
   */
  readonly operator?: 'Equal' | 'Exists';
  /**
   * The taint value matched with `Equal` (none with `Exists`).
   * @default - the empty value
   */
  readonly value?: string;
  /**
   * Taint effect to tolerate.
   * @default - every effect
   */
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  /**
   * With `NoExecute`, how long the pod stays on a node after the taint appears.
   * @default - forever
   */
  readonly tolerationSeconds?: number;
}

/** A requirement on a label: `In`/`NotIn` a list of values, `Exists`/`DoesNotExist`. */
export interface LabelSelectorRequirement {
  /** The label key. */
  readonly key: string;
  /** How the label's value is matched. */
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  /**
   * The values for `In` and `NotIn` (none for the others).
   * @default - none
   */
  readonly values?: string[];
}

/** Selects objects by labels (Kubernetes `LabelSelector`). */
export interface LabelSelector {
  /**
   * Labels and their exact values.
   * @default - none
   */
  readonly matchLabels?: Record<string, string>;
  /**
   * Requirements on labels, all of which must hold.
   * @default - none
   */
  readonly matchExpressions?: LabelSelectorRequirement[];
}

/** A requirement on a node label or field (`Gt` and `Lt` compare integers). */
export interface NodeSelectorRequirement {
  /** The label key (or field name in `matchFields`). */
  readonly key: string;
  /** How the value is matched. */
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  /**
   * The values: several for `In`/`NotIn`, exactly one integer for `Gt`/`Lt`, none otherwise.
   * @default - none
   */
  readonly values?: string[];
}

/** Nodes matching all the requirements of the term. */
export interface NodeSelectorTerm {
  /**
   * Requirements on node labels.
   * @default - none
   */
  readonly matchExpressions?: NodeSelectorRequirement[];
  /**
   * Requirements on node fields (`metadata.name`).
   * @default - none
   */
  readonly matchFields?: NodeSelectorRequirement[];
}

/** Nodes matching any of the terms. */
export interface NodeSelector {
  /** The terms, ORed. */
  readonly nodeSelectorTerms: NodeSelectorTerm[];
}

/** A weighted preference for nodes. */
export interface PreferredSchedulingTerm {
  /** Weight 1–100, added to a node's score when it matches. */
  readonly weight: number;
  /** The nodes preferred. */
  readonly preference: NodeSelectorTerm;
}

/** Rules placing the pods on nodes by node labels. */
export interface NodeAffinity {
  /**
   * Nodes the pods must run on.
   * @default - any node
   */
  readonly requiredDuringSchedulingIgnoredDuringExecution?: NodeSelector;
  /**
   * Nodes the pods prefer.
   * @default - no preference
   */
  readonly preferredDuringSchedulingIgnoredDuringExecution?: PreferredSchedulingTerm[];
}

/** Pods (selected by labels, in some namespaces) whose topology domain the pods join or avoid. */
export interface PodAffinityTerm {
  /**
   * The pods to (not) run next to.
   * @default - no pod
   */
  readonly labelSelector?: LabelSelector;
  /**
   * Namespaces of those pods.
   * @default - the workload's namespace
   */
  readonly namespaces?: string[];
  /**
   * Namespaces of those pods, by label.
   * @default - the `namespaces` list
   */
  readonly namespaceSelector?: LabelSelector;
  /** The node label that defines the domain, e.g. `kubernetes.io/hostname` or `topology.kubernetes.io/zone`. */
  readonly topologyKey: string;
}

/** A weighted pod (anti-)affinity preference. */
export interface WeightedPodAffinityTerm {
  /** Weight 1–100. */
  readonly weight: number;
  /** The term. */
  readonly podAffinityTerm: PodAffinityTerm;
}

/** Rules placing the pods by the pods already running. */
export interface PodAffinity {
  /**
   * Terms that must hold.
   * @default - none
   */
  readonly requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
  /**
   * Terms preferred.
   * @default - none
   */
  readonly preferredDuringSchedulingIgnoredDuringExecution?: WeightedPodAffinityTerm[];
}

/**
 * Scheduling constraints of the pods, in the Kubernetes shape.
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#affinity-and-anti-affinity
 */
export interface Affinity {
  /**
   * Constraints on nodes.
   * @default - none
   */
  readonly nodeAffinity?: NodeAffinity;
  /**
   * Run next to some pods.
   * @default - none
   */
  readonly podAffinity?: PodAffinity;
  /**
   * Run away from some pods (the default `topologySpread` already spreads the workload's own).
   * @default - none
   */
  readonly podAntiAffinity?: PodAffinity;
}
