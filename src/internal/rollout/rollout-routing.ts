import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ROLLOUT_CANARY_SUBSET, ROLLOUT_ROUTE, ROLLOUT_STABLE_SUBSET } from './rollout';
import { registerRolloutRouting } from './rollout-registry';
import { createDestinationRule } from '../../istio/destination-rule';
import { createVirtualService } from '../../istio/virtual-service';
import { claimName } from '../core/name-registry';

/** The Istio objects through which Argo Rollouts weighs a ProgressiveRelease's traffic. */
export interface RolloutRoutingObjects {
  readonly destinationRule: ApiObject;
  readonly virtualService: ApiObject;
}

/**
 * The DestinationRule `<name>` with the `stable` and `canary` subsets (both selecting every pod
 * of the release: Argo Rollouts adds each subset's pod-template hash at run time) and the
 * VirtualService `<name>` whose route `primary` starts at 100/0, recorded for the ArgoCD
 * Applications that must ignore what the controller changes in them.
 */
export function createRolloutRouting(scope: Construct, name: string, labels: Record<string, string>,
  selector: Record<string, string>): RolloutRoutingObjects {
  for (const kind of ['DestinationRule', 'VirtualService']) claimName(scope, 'name', kind, name);
  const subsets = [ROLLOUT_STABLE_SUBSET, ROLLOUT_CANARY_SUBSET];
  const destinationRule = createDestinationRule(scope, 'DestinationRule', {
    name,
    labels,
    spec: { host: name, subsets: subsets.map(subset => ({ name: subset, labels: { ...selector } })) },
  });
  const virtualService = createVirtualService(scope, 'VirtualService', {
    name,
    labels,
    spec: {
      hosts: [name],
      http: [{
        name: ROLLOUT_ROUTE,
        route: subsets.map(subset => ({ destination: { host: name, subset }, weight: subset === ROLLOUT_STABLE_SUBSET ? 100 : 0 })),
      }],
    },
  });
  // a chart without a namespace writes none: the Application then matches the objects by name
  registerRolloutRouting(scope, { namespace: Chart.of(scope).namespace, virtualService: name, destinationRule: name });
  return { destinationRule, virtualService };
}
