import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { CanaryTrackInput } from './internal/canary/canary-track';
import { WiredWorkload } from './internal/output/wiring';
import { WorkloadDeployment } from './internal/workload/workload-deployment';
import { INetworkPeer } from './network-peer';
import { IScalableWorkload, ResourceRequests, ScaleTargetRef } from './scalable';

const TRACK_BRAND = Symbol.for('cloudnative-constructs.CanaryReleaseTrack');

/** The name of a {@link CanaryRelease} track. */
export type CanaryTrackName = 'stable' | 'canary';

/**
 * One version of a {@link CanaryRelease}: the Deployment `<name>-<track>` and, once it can run
 * two pods, its PodDisruptionBudget. Built by the same code as a `WebApp`'s pods. Exposed as
 * `release.stable` and `release.canary`; `Autoscaled` can scale it and network policies can
 * name it.
 */
export class CanaryReleaseTrack extends Construct implements IScalableWorkload, INetworkPeer {
  /** Whether `x` is a CanaryReleaseTrack (works across copies of this package). */
  public static isCanaryReleaseTrack(x: unknown): x is CanaryReleaseTrack {
    return typeof x === 'object' && x !== null && TRACK_BRAND in x;
  }

  /** `stable` or `canary`: the DestinationRule subset of the track. */
  public readonly track: CanaryTrackName;
  /**
   * The track's name, `<release>-<track>`: its Deployment's, and the name network policies that
   * name the track are derived from.
   */
  public readonly name: string;
  /** The release's Service, through which peers reach both tracks. */
  public readonly serviceName: string;
  /** The namespace the objects are created in. */
  public readonly namespace: string;
  /** The container port. */
  public readonly port: number;
  /** The container ports the pods listen on (the main port, `ports` and the sidecars'). */
  public readonly containerPorts: readonly number[];
  /** The named container ports: name → number. */
  public readonly portNames: Readonly<Record<string, number>>;
  /** The pinned container image. */
  public readonly image: string;
  /** The pods' `app.kubernetes.io/version` label (the image tag, or its digest prefix). */
  public readonly version: string;
  /** The labels that select this track's pods only. */
  public readonly selector: Record<string, string>;
  /** The labels of this track's pods (the DestinationRule subset selects on `selector`, by track only). */
  public readonly podLabels: Record<string, string>;
  /** The pods' ServiceAccount (shared by both tracks). */
  public readonly serviceAccountName: string;
  /** The Deployment. */
  public readonly deployment: ApiObject;
  /** @see IScalableWorkload.scaleTargetRef */
  public readonly scaleTargetRef: ScaleTargetRef;
  /** Every container requests cpu and memory. */
  public readonly requestsResources: ResourceRequests = { cpu: true, memory: true };

  private readonly pods: WorkloadDeployment;

  /** Created by `CanaryRelease`; not meant to be constructed directly. */
  constructor(scope: Construct, id: CanaryTrackName, input: CanaryTrackInput) {
    super(scope, id);
    Object.defineProperty(this, TRACK_BRAND, { value: true });
    this.track = input.track;
    this.name = input.deploymentName;
    this.serviceName = input.workload.name;
    this.namespace = input.namespace;
    this.port = input.workload.port;
    this.containerPorts = input.workload.ports.map(p => p.port);
    this.portNames = Object.fromEntries(input.workload.ports.map(p => [p.name, p.port]));
    this.image = input.image;
    this.version = input.version;
    this.selector = input.selector;
    this.podLabels = input.labels;
    this.serviceAccountName = input.workload.serviceAccountName;
    this.pods = new WorkloadDeployment(this, {
      workload: input.workload,
      name: input.deploymentName,
      image: input.image,
      env: input.env,
      resources: input.resources,
      labels: input.labels,
      selector: input.selector,
      replicas: input.replicas,
      disruptionBudget: input.disruptionBudget,
      configMapName: input.configMapName,
    });
    this.deployment = this.pods.deployment;
    this.scaleTargetRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: input.deploymentName };
  }

  /** The PodDisruptionBudget `<name>-<track>`, present when the track can run two or more pods. */
  public get disruptionBudget(): ApiObject | undefined {
    return this.pods.disruptionBudget;
  }

  /** The autoscaler that owns the replica count, if any. */
  public get autoscaler(): IConstruct | undefined {
    return this.pods.autoscaler;
  }

  /** The fewest pods the track runs with: its `replicas`, or its autoscaler's `minReplicas`. */
  public get minReplicas(): number {
    return this.pods.minPods;
  }

  /** The most pods the track can run with: its `replicas`, or its autoscaler's `maxReplicas`. */
  public get maxReplicas(): number {
    return this.pods.maxPods;
  }

  /** @see IScalableWorkload.attachAutoscaler */
  public attachAutoscaler(autoscaler: IConstruct, minReplicas: number, maxReplicas: number): void {
    this.pods.attachAutoscaler(autoscaler, minReplicas, maxReplicas);
  }

  /** @internal The Deployment and what the other objects were written against (wiring check). */
  public get _wired(): WiredWorkload {
    return this.pods.wired;
  }

  /** @internal Creates the budget once the release's other objects exist (keeps output order stable). */
  public _updateDisruptionBudget(): void {
    this.pods.updateDisruptionBudget();
  }
}
