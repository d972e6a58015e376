import { ApiObject } from 'cdk8s';
import { IConstruct, IValidation } from 'constructs';
import { AFTER_ROUTING_WAVE, SYNC_WAVE_ANNOTATION } from '../../argocd/sync-waves';
import { CanaryTrack } from '../../canary-release-options';
import { SecretKeyRef } from '../../container-basics';
import { DisruptionBudgetOptions, WorkloadOptions } from '../../workload-options';
import { propError } from '../core/errors';
import { LABEL_VERSION } from '../core/labels';
import { checkEnvName, checkInteger, checkOptionalObject } from '../core/validate';
import { checkNotInConfig, EnvVarJson, resolveEnv } from '../workload/env';
import { checkPinnedImage, imageVersionLabel } from '../workload/image';
import { ContainerResources, mergeResources, resolveResources } from '../workload/resources';
import { ResolvedWorkload } from '../workload/workload';

/** The label that tells the two tracks' pods apart (it never changes, unlike the version). */
export const LABEL_TRACK = 'cloudnative-constructs.io/track';

/** The fields a track may set; every other workload option is the release's, for both tracks. */
const TRACK_FIELDS = ['image', 'replicas', 'env', 'resources'];

/** The two tracks of a release. */
export type TrackName = 'stable' | 'canary';

/** What the release shares with both tracks. */
export interface SharedTrackOptions {
  readonly workload: ResolvedWorkload;
  readonly namespace: string;
  /** The release's labels (without version). */
  readonly labels: Record<string, string>;
  /** The release's pod selector (both tracks). */
  readonly selector: Record<string, string>;
  readonly env?: Record<string, string>;
  readonly secretEnv?: Record<string, SecretKeyRef>;
  readonly resources?: WorkloadOptions['resources'];
  readonly disruptionBudget: false | DisruptionBudgetOptions | undefined;
  readonly configMapName?: string;
}

/** One track with its props validated and the shared options applied. */
export interface CanaryTrackInput {
  readonly track: TrackName;
  readonly workload: ResolvedWorkload;
  readonly namespace: string;
  /** The Deployment (and budget) name, `<name>-<track>`. */
  readonly deploymentName: string;
  readonly image: string;
  readonly version: string;
  readonly env: EnvVarJson[];
  readonly resources: ContainerResources;
  readonly replicas: number;
  /** Labels of the Deployment and its pods: the release's, the version and the track. */
  readonly labels: Record<string, string>;
  /** The labels selecting this track's pods only. */
  readonly selector: Record<string, string>;
  readonly disruptionBudget: false | DisruptionBudgetOptions | undefined;
  readonly configMapName?: string;
}

/**
 * Validates one track's props (`stable` or `canary`, reported under that prop) and merges its
 * overrides over the shared options: env by variable, resources by resource.
 */
export function resolveTrack(scope: IConstruct, track: TrackName, props: CanaryTrack, shared: SharedTrackOptions): CanaryTrackInput {
  if (typeof props !== 'object' || props === null) throw propError(scope, track, props, 'must be an object with at least { image }');
  const other = Object.keys(props).find(key => !TRACK_FIELDS.includes(key));
  if (other !== undefined) {
    throw propError(scope, `${track}.${other}`, (props as unknown as Record<string, unknown>)[other],
      `a track overrides only ${TRACK_FIELDS.join(', ')}; give ${other} at the top level of the release, where it applies to both tracks`);
  }
  const image = checkPinnedImage(scope, `${track}.image`, props.image);
  const replicas = checkInteger(scope, `${track}.replicas`, props.replicas ?? (track === 'stable' ? 2 : 1), 0);
  checkOptionalObject(scope, `${track}.env`, props.env, '{ LOG_LEVEL: "debug" }');
  checkOptionalObject(scope, `${track}.resources`, props.resources, '{ memory: { request: "512Mi" } }');
  for (const [name, value] of Object.entries(props.env ?? {})) {
    checkEnvName(scope, `${track}.env.${name}`, name);
    if (typeof value !== 'string') throw propError(scope, `${track}.env.${name}`, value, 'environment variable values must be strings (quote numbers and booleans)');
    checkNotInConfig(scope, `${track}.env.${name}`, name, value, shared.workload.config);
  }
  const version = imageVersionLabel(image);
  const selector = { ...shared.selector, [LABEL_TRACK]: track };
  return {
    track,
    workload: shared.workload,
    namespace: shared.namespace,
    deploymentName: `${shared.workload.name}-${track}`,
    image: props.image,
    version,
    env: resolveEnv(scope, { ...shared.env, ...props.env }, shared.secretEnv),
    resources: resolveResources(scope, `${track}.resources`, mergeResources(shared.resources, props.resources)),
    replicas,
    labels: { ...shared.labels, [LABEL_VERSION]: version, [LABEL_TRACK]: track },
    selector,
    disruptionBudget: shared.disruptionBudget,
    configMapName: shared.configMapName,
  };
}

/**
 * Gives the Deployment of a track scaled to zero pods the sync wave after the routes
 * ({@link AFTER_ROUTING_WAVE}): taking a track's weight to 0 and its replicas to 0 in one commit
 * then moves the routes before the pods go, instead of removing the pods in wave 0 while the old
 * routes still send them requests. Decided at synthesis, once an autoscaler may have been attached.
 */
export function scaleToZeroAfterRouting(track: { readonly maxReplicas: number; readonly deployment: ApiObject }): IValidation {
  return {
    validate: () => {
      if (track.maxReplicas === 0) track.deployment.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, AFTER_ROUTING_WAVE);
      return [];
    },
  };
}
