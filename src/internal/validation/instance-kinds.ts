/*
 * What a construct-typed value may be, in words: one list per interface, read by the generated
 * validation's messages and by the constructs' own checks, so that a new kind is named everywhere.
 */

/** What `Autoscaled.target` takes of this library (`IScalableWorkload`). */
export const SCALABLE_KINDS = 'a WebApp, a CanaryRelease track (release.stable / release.canary), a Worker, a StatefulApp or a ProgressiveRelease';

/** What policies take as a sender or receiver of this library (`INetworkPeer`). */
export const PEER_KINDS = 'a WebApp, a CanaryRelease, a ProgressiveRelease, a Worker, a StatefulApp, a ScheduledJob or another workload of this library';

/** A cdk8s-plus workload (`IPlusWorkload`). */
export const PLUS_KINDS = 'a cdk8s-plus 2.x Deployment or StatefulSet (any major)';
