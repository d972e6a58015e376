// ArgoCD's sync of one Application, as the drills need it: the objects of a commit applied over
// those of the previous one, wave by wave, with every Deployment's rolling update stepped through,
// so a drill can check the cluster at every intermediate state.
//
// Modelled from the docs:
// - ArgoCD sync waves (https://argo-cd.readthedocs.io/en/stable/user-guide/sync-waves/): objects
//   are applied in order of their `argocd.argoproj.io/sync-wave` annotation (default 0), lowest
//   first; ArgoCD waits until the objects of a wave are healthy before it applies the next. A
//   Deployment is healthy once its rollout is complete (every replica updated and available, no
//   old pod left: https://argo-cd.readthedocs.io/en/stable/operator-manual/health/#deployment-replicaset-statefulset-daemonset).
//   Within a wave ArgoCD applies objects one after another (by kind, then name); both orders of
//   the changed objects of a wave are checked, so a drill does not rely on that order.
// - A Deployment's rolling update (https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#rolling-update-deployment):
//   the controller creates new pods while at most `replicas + maxSurge` exist (maxSurge rounds up)
//   and removes old ones while at least `replicas - maxUnavailable` are available (rounds down);
//   a new pod is unready until its readiness probe passes; scaling only adds or removes pods.
// Pruning (objects the new commit no longer has) is not modelled: these drills change objects.

/** A Kubernetes object as synthesised. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly spec?: any;
}

/** One pod of a Deployment. */
export interface Pod {
  /** The Deployment that owns it. */
  readonly owner: string;
  readonly labels: Record<string, string>;
  readonly ready: boolean;
}

/** The cluster between two steps of a sync. */
export interface ClusterState {
  /** What just happened, e.g. `wave 0: Deployment api-stable: 1 new pod ready`. */
  readonly step: string;
  /** The objects as the API server holds them now. */
  readonly objects: readonly K8sObject[];
  readonly pods: readonly Pod[];
}

const WAVE = 'argocd.argoproj.io/sync-wave';

function key(o: K8sObject): string {
  return `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

function waveOf(o: K8sObject): number {
  return Number(o.metadata.annotations?.[WAVE] ?? '0');
}

/** The pods of a Deployment whose rollout is complete. */
function settledPods(deployment: K8sObject): Pod[] {
  const replicas: number = deployment.spec.replicas ?? 1;
  return Array.from({ length: replicas }, () => ({ owner: key(deployment), labels: deployment.spec.template.metadata.labels, ready: true }));
}

/** `value` (a number or a percentage of `replicas`) as a pod count, rounded up or down. */
function podCount(value: number | string | undefined, replicas: number, fallback: string, round: (x: number) => number): number {
  const v = value ?? fallback;
  return typeof v === 'number' ? v : round((Number(v.replace('%', '')) / 100) * replicas);
}

/**
 * The states a Deployment goes through from `before` (its rollout complete, or absent) to
 * `after`: its pods at each step, the rest of the cluster unchanged.
 */
function rollout(before: K8sObject | undefined, after: K8sObject): Array<{ step: string; pods: Pod[] }> {
  const owner = key(after);
  const replicas: number = after.spec.replicas ?? 1;
  const template = after.spec.template.metadata.labels;
  const sameTemplate = before !== undefined && JSON.stringify(before.spec.template) === JSON.stringify(after.spec.template);
  let old: Pod[] = before === undefined || sameTemplate ? [] : settledPods(before);
  let fresh: Pod[] = sameTemplate ? settledPods(before!) : [];
  const strategy = after.spec.strategy?.rollingUpdate ?? {};
  const surge = podCount(strategy.maxSurge, replicas, '25%', Math.ceil);
  // both 0 (e.g. percentages of 0 replicas): the controller lets one pod be unavailable
  // (ResolveFenceposts, kubernetes/pkg/controller/deployment/util/deployment_util.go)
  const unavailable = Math.max(podCount(strategy.maxUnavailable, replicas, '25%', Math.floor), surge === 0 ? 1 : 0);
  const steps: Array<{ step: string; pods: Pod[] }> = [];
  const record = (step: string): void => {
    steps.push({ step: `${owner}: ${step}`, pods: [...old, ...fresh] });
  };
  for (let guard = 0; guard < 1000; guard++) {
    if (old.length === 0 && fresh.length === replicas && fresh.every(p => p.ready)) return steps;
    // scale the new ReplicaSet up within maxSurge
    const room = Math.min(replicas - fresh.length, replicas + surge - old.length - fresh.length);
    if (room > 0) {
      fresh = [...fresh, ...Array.from({ length: room }, () => ({ owner, labels: template, ready: false }))];
      record(`${room} new pod(s) created (not ready)`);
    }
    // scale the old ReplicaSet down while enough pods stay available
    const available = [...old, ...fresh].filter(p => p.ready).length;
    const removable = Math.min(old.length, available - (replicas - unavailable));
    if (removable > 0) {
      old = old.slice(removable);
      record(`${removable} old pod(s) removed`);
    }
    if (fresh.some(p => !p.ready)) {
      fresh = fresh.map(p => ({ ...p, ready: true }));
      record('new pods ready');
    }
    if (fresh.length > replicas) {
      fresh = fresh.slice(0, replicas);
      record('scaled down');
    }
  }
  throw new Error(`${owner}: the modelled rollout does not finish`);
}

/**
 * Every state of the cluster while ArgoCD syncs `after` over `before` (whose Deployments have
 * finished rolling out), in order: the first is the cluster before the sync, the last after it.
 */
export function syncStates(before: readonly K8sObject[], after: readonly K8sObject[]): ClusterState[][] {
  const changed = after.filter(o => JSON.stringify(before.find(b => key(b) === key(o))) !== JSON.stringify(o));
  const waves = [...new Set(changed.map(waveOf))].sort((a, b) => a - b);
  const orders = [(a: K8sObject, b: K8sObject) => key(a).localeCompare(key(b)), (a: K8sObject, b: K8sObject) => key(b).localeCompare(key(a))];
  return orders.map(order => {
    const objects = new Map(before.map(o => [key(o), o]));
    let pods = before.filter(o => o.kind === 'Deployment').flatMap(settledPods);
    const states: ClusterState[] = [{ step: 'before the sync', objects: [...objects.values()], pods }];
    for (const wave of waves) {
      const applied = changed.filter(o => waveOf(o) === wave).sort(order);
      for (const object of applied) {
        const previous = objects.get(key(object));
        objects.set(key(object), object);
        states.push({ step: `wave ${wave}: ${key(object)} applied`, objects: [...objects.values()], pods });
        if (object.kind !== 'Deployment') continue;
        const others = pods.filter(p => p.owner !== key(object));
        for (const s of rollout(previous, object)) {
          pods = [...others, ...s.pods];
          states.push({ step: `wave ${wave}: ${s.step}`, objects: [...objects.values()], pods });
        }
      }
      // the next wave starts once this one is healthy: every rollout above ran to completion (the
      // rollouts of one wave are stepped one after another: a check that reads each Deployment's
      // pods on their own sees every state each can be in)
    }
    return states;
  });
}

/** Whether `labels` carry every label of `selector`. */
export function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}
