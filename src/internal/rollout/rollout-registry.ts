import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ResourceIgnoreDifferences } from '../../argocd/application';
import { getOrInsert } from '../core/get-or-insert';

/** The Istio objects of one ProgressiveRelease whose fields Argo Rollouts changes at run time. */
interface RolloutRouting {
  readonly chart: Chart;
  readonly namespace?: string;
  readonly virtualService: string;
  readonly destinationRule: string;
}

const ROUTINGS = new WeakMap<IConstruct, RolloutRouting[]>();

/** Records that `scope`'s chart holds a ProgressiveRelease routing through these objects. */
export function registerRolloutRouting(scope: IConstruct, routing: Omit<RolloutRouting, 'chart'>): void {
  getOrInsert(ROUTINGS, scope.node.root, () => []).push({ ...routing, chart: Chart.of(scope) });
}

/**
 * What an ArgoCD Application syncing `charts` must ignore so that a sync never resets a rollout
 * in progress: the route weights of each ProgressiveRelease's VirtualService (as Argo Rollouts'
 * documentation requires) and the `rollouts-pod-template-hash` label the controller adds to its
 * DestinationRule's subsets. Empty when the charts hold no ProgressiveRelease.
 * @see https://argoproj.github.io/argo-rollouts/features/traffic-management/istio/#integrating-with-gitops
 * @param charts the charts the Application syncs (every chart of the app when omitted)
 */
export function rolloutIgnoreDifferences(scope: IConstruct, charts?: readonly Chart[]): ResourceIgnoreDifferences[] {
  const synced = charts === undefined ? undefined : new Set(charts);
  return (ROUTINGS.get(scope.node.root) ?? []).filter(r => synced === undefined || synced.has(r.chart)).flatMap(r => [
    {
      group: 'networking.istio.io',
      kind: 'VirtualService',
      name: r.virtualService,
      ...(r.namespace ? { namespace: r.namespace } : {}),
      jqPathExpressions: ['.spec.http[].route[].weight'],
    },
    {
      group: 'networking.istio.io',
      kind: 'DestinationRule',
      name: r.destinationRule,
      ...(r.namespace ? { namespace: r.namespace } : {}),
      jqPathExpressions: ['.spec.subsets[].labels."rollouts-pod-template-hash"'],
    },
  ]);
}
