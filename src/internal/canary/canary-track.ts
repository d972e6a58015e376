import { ApiObject } from 'cdk8s';
import { IConstruct, IValidation } from 'constructs';
import { AFTER_ROUTING_WAVE, SYNC_WAVE_ANNOTATION } from '../../argocd/sync-waves';
import { CanaryTrack } from '../../canary-release-options';
import { SecretKeyRef } from '../../container-basics';
import { DisruptionBudgetOptions, WorkloadOptions } from '../../workload-options';
import { propError } from '../core/errors';
import { LABEL_VERSION } from '../core/labels';
import { checkEnvName, checkInteger, checkOptionalObject } from '../core/validate';
import { checkNotInConfig, resolveEnv } from '../workload/env';
import { checkPinnedImage, imageVersionLabel } from '../workload/image';
import { mergeResources, resolveResources } from '../workload/resources';
import { WorkloadFoundation } from '../workload/workload-foundation';

/** The label that tells the two tracks' pods apart (it never changes, unlike the version). */
export const LABEL_TRACK = 'cloudnative-constructs.io/track';

/** The fields a track may set; every other workload option is the release's, for both tracks. */
const TRACK_FIELDS = ['image', 'replicas', 'env', 'resources'];

/** The two tracks of a release. */
export type TrackName = 'stable' | 'canary';

/** What the release shares with both tracks: its foundation, and the options a track may override. */
export interface SharedTrackOptions {
  /** The release's foundation: its options, labels (without version), selector and shared objects. */
  readonly release: WorkloadFoundation;
  readonly env?: Record<string, string>;
  readonly secretEnv?: Record<string, SecretKeyRef>;
  readonly resources?: WorkloadOptions['resources'];
  readonly disruptionBudget: false | DisruptionBudgetOptions | undefined;
}

/** One track with its props validated and the shared options applied. */
export interface CanaryTrackInput {
  readonly track: TrackName;
  /**
   * The track's foundation: the release's, with the track's name `<name>-<track>`, image,
   * version, env, resources, labels (the release's, the version and the track) and selector.
   */
  readonly foundation: WorkloadFoundation;
  readonly replicas: number;
  readonly disruptionBudget: false | DisruptionBudgetOptions | undefined;
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
    checkNotInConfig(scope, `${track}.env.${name}`, name, value, shared.release.workload.config);
  }
  const version = imageVersionLabel(image);
  const { release } = shared;
  const labels = { ...release.labels, [LABEL_VERSION]: version, [LABEL_TRACK]: track };
  return {
    track,
    foundation: {
      ...release,
      name: `${release.name}-${track}`,
      // a track's series are the release's (job <name>, labelled track): it is measured through the release
      metricsPort: undefined,
      // the release lets its pods reach the API server, for both tracks
      apiServer: undefined,
      image: props.image,
      version,
      env: resolveEnv(scope, { ...shared.env, ...props.env }, shared.secretEnv),
      resources: resolveResources(scope, `${track}.resources`, mergeResources(shared.resources, props.resources)),
      labels,
      podLabels: labels,
      selector: { ...release.selector, [LABEL_TRACK]: track },
    },
    replicas,
    disruptionBudget: shared.disruptionBudget,
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
