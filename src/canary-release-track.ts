import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { CanaryTrackInput } from './internal/canary/canary-track';
import { brandCheck } from './internal/core/brand';
import { ReplicatedWorkload } from './replicated-workload';

const TRACK_BRAND = Symbol.for('cloudnative-constructs.CanaryReleaseTrack');

/** The name of a {@link CanaryRelease} track. */
export type CanaryTrackName = 'stable' | 'canary';

/**
 * One version of a {@link CanaryRelease}: the Deployment `<name>-<track>` and, once it can run
 * two pods, its PodDisruptionBudget. Built by the same code as a `WebApp`'s pods. Exposed as
 * `release.stable` and `release.canary`; `Autoscaled` can scale it and network policies can
 * name it.
 */
export class CanaryReleaseTrack extends ReplicatedWorkload {
  /** Whether `x` is a CanaryReleaseTrack (works across copies of this package). */
  public static readonly isCanaryReleaseTrack = brandCheck<CanaryReleaseTrack>(TRACK_BRAND);

  /** `stable` or `canary`: the DestinationRule subset of the track. */
  public readonly track: CanaryTrackName;
  /** The container port. */
  public declare readonly port: number;
  /** The release's Service, through which peers reach both tracks. */
  public readonly serviceName: string;
  /** The labels of this track's pods (the DestinationRule subset selects on `selector`, by track only). */
  public readonly podLabels: Record<string, string>;
  /** The Deployment. */
  public readonly deployment: ApiObject;

  /** Created by `CanaryRelease`; not meant to be constructed directly. */
  constructor(scope: Construct, id: CanaryTrackName, input: CanaryTrackInput) {
    super(scope, id, TRACK_BRAND, () => input.foundation);
    this.track = input.track;
    this.serviceName = input.foundation.workload.name;
    this.podLabels = input.foundation.podLabels;
    this.deployment = this._runPods({ replicas: input.replicas, disruptionBudget: input.disruptionBudget });
  }
}
