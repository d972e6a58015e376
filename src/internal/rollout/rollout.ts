import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { ARGO_ROLLOUTS_API_VERSION } from './rollout-analysis';
import { ARG_REVISION } from './rollout-queries';
import { templateRevision } from './rollout-revision';
import { CanaryStepJson } from './rollout-steps';
import { claimName } from '../core/name-registry';
import { LABEL_CANONICAL_REVISION } from '../workload/pod-metadata';

/** The DestinationRule subsets Argo Rollouts moves the traffic between. */
export const ROLLOUT_STABLE_SUBSET = 'stable';
export const ROLLOUT_CANARY_SUBSET = 'canary';
/** The VirtualService route whose weights Argo Rollouts sets. */
export const ROLLOUT_ROUTE = 'primary';

/** What a Rollout needs. */
export interface RolloutInput {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  readonly template: Record<string, unknown>;
  /** The replica count, read at synthesis: undefined once an autoscaler owns the count. */
  readonly replicas: () => number | undefined;
  readonly steps: readonly CanaryStepJson[];
  /** The VirtualService and DestinationRule Argo Rollouts manages (both named like the release). */
  readonly routing: { readonly virtualService: string; readonly destinationRule: string };
  /** Labels only the new pods carry while they are the canary (`canaryMetadata`), and the stable ones' (`stableMetadata`). */
  readonly canaryLabels: Record<string, string>;
  readonly stableLabels: Record<string, string>;
  /** `strategy.canary.analysis`, when analysed. */
  readonly analysis?: Record<string, unknown>;
  /** The version the template's revision starts with (the image tag). */
  readonly version: string;
}

/**
 * Creates an Argo Rollouts `Rollout` with a canary strategy whose traffic is split by Istio
 * DestinationRule subsets (one Service; Argo Rollouts adds each ReplicaSet's
 * `rollouts-pod-template-hash` to the subsets and sets the route weights). Its pod template
 * carries the template's revision as `service.istio.io/canonical-revision` (Istio's
 * `destination_canonical_revision`), and its analysis the same value as `canary-revision`.
 * @see https://argoproj.github.io/argo-rollouts/features/traffic-management/istio/#subset-level-traffic-splitting
 */
export function createRollout(scope: Construct, id: string, input: RolloutInput): ApiObject {
  claimName(scope, 'name', 'Rollout', input.name);
  return new RevisionedRollout(scope, id, input.version, {
    apiVersion: ARGO_ROLLOUTS_API_VERSION,
    kind: 'Rollout',
    metadata: { name: input.name, labels: input.labels },
    spec: {
      replicas: Lazy.any({ produce: input.replicas }),
      revisionHistoryLimit: 5,
      selector: { matchLabels: input.selector },
      template: input.template,
      strategy: {
        canary: {
          canaryMetadata: { labels: input.canaryLabels },
          stableMetadata: { labels: input.stableLabels },
          trafficRouting: {
            istio: {
              virtualService: { name: input.routing.virtualService, routes: [ROLLOUT_ROUTE] },
              destinationRule: {
                name: input.routing.destinationRule,
                canarySubsetName: ROLLOUT_CANARY_SUBSET,
                stableSubsetName: ROLLOUT_STABLE_SUBSET,
              },
            },
          },
          analysis: input.analysis,
          steps: input.steps,
        },
      },
    },
  });
}

/**
 * A Rollout whose template revision is computed from its final JSON (after every Lazy value and
 * JSON patch), so that whatever changes the pods changes the revision the analysis selects.
 */
class RevisionedRollout extends ApiObject {
  constructor(scope: Construct, id: string, private readonly version: string, props: ConstructorParameters<typeof ApiObject>[2]) {
    super(scope, id, props);
  }

  public toJson(): any {
    const json = super.toJson();
    const template = json.spec?.template;
    if (typeof template !== 'object' || template === null) return json;
    const revision = templateRevision(this.version, template);
    template.metadata = { ...template.metadata, labels: withLabel(template.metadata?.labels, LABEL_CANONICAL_REVISION, revision) };
    for (const arg of json.spec?.strategy?.canary?.analysis?.args ?? []) {
      if (arg?.name === ARG_REVISION) arg.value = revision;
    }
    return json;
  }
}

/** `labels` with `key` set, in key order as cdk8s writes maps (unless `CDK8S_DISABLE_SORT` is set). */
function withLabel(labels: Record<string, string> | undefined, key: string, value: string): Record<string, string> {
  const all: Record<string, string> = { ...labels, [key]: value };
  if (process.env.CDK8S_DISABLE_SORT) return all;
  return Object.fromEntries(Object.keys(all).sort().map(k => [k, all[k]]));
}
