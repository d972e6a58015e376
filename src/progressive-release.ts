import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { AppProtocol } from './container-basics';
import { LABEL_TRACK } from './internal/canary/canary-track';
import { monitorTrackedRelease } from './internal/canary/track-monitor';
import { propError } from './internal/core/errors';
import { recommendedLabels, selectorLabels } from './internal/core/labels';
import { claimName, namespaceOf } from './internal/core/name-registry';
import { isUnpatched } from './internal/core/patches';
import { checkInteger } from './internal/core/validate';
import { wiringProblems } from './internal/output/wiring';
import { createRollout, ROLLOUT_CANARY_SUBSET, ROLLOUT_ROUTE, ROLLOUT_STABLE_SUBSET } from './internal/rollout/rollout';
import { backgroundAnalysis, createAnalysisTemplates, resolveAnalysis, ResolvedAnalysis } from './internal/rollout/rollout-analysis';
import { checkAnalysisCanAbort } from './internal/rollout/rollout-pauses';
import { registerRolloutRouting } from './internal/rollout/rollout-registry';
import { CanaryStepJson, resolveSteps } from './internal/rollout/rollout-steps';
import { validateProps } from './internal/validation/validate-props';
import { ResolvedControllerOptions } from './internal/workload/controller-options';
import { checkPinnedImage, imageVersionLabel } from './internal/workload/image';
import { createService } from './internal/workload/service';
import { ResolvedWorkload, resolveWorkloadOptions } from './internal/workload/workload';
import { WorkloadPods } from './internal/workload/workload-pods';
import { createWorkloadSupport } from './internal/workload/workload-support';
import { createDestinationRule } from './istio/destination-rule';
import { createVirtualService } from './istio/virtual-service';
import { INetworkPeer } from './network-peer';
import { IObservableWorkload } from './observable-workload';
import { ProgressiveAnalysisOptions, ProgressiveStep } from './progressive-release-options';
import { IScalableWorkload, ResourceRequests, ScaleTargetRef } from './scalable';
import { DeploymentOptions, DisruptionBudgetOptions, WorkloadOptions } from './workload-options';

const PROGRESSIVE_RELEASE_BRAND = Symbol.for('cloudnative-constructs.ProgressiveRelease');

/**
 * Properties of a {@link ProgressiveRelease}: the image, the steps and how to judge the new
 * version, with the options every workload shares (`port`, `env`, `resources`, `probes`…).
 */
export interface ProgressiveReleaseProps extends WorkloadOptions, DeploymentOptions {
  /**
   * The container image, pinned by a release tag (with a version number, not a channel such as
   * `latest`, `stable` or `lts`) or a digest. Changing it (or anything else of the pod template)
   * starts a rollout; its tag becomes the pods' `app.kubernetes.io/version`, and begins their
   * `service.istio.io/canonical-revision` (the tag and a hash of the pod template), by which the
   * analysis tells the new pods apart.
   * @example 'ghcr.io/acme/api:2.1.0'
   */
  readonly image: string;
  /**
   * Number of pods. Ignored once an `Autoscaled` targets the release (the Rollout then omits
   * `spec.replicas`).
   * @default 2
   */
  readonly replicas?: number;
  /**
   * The traffic steps of a rollout: each sends `weight` percent of the requests to the new
   * version and holds it for `pause`. Weights rise; the last reaches 100 or pauses
   * `'indefinite'`ly until someone promotes the rollout.
   * @example [{ weight: 10, pause: '5m' }, { weight: 50, pause: '10m' }, { weight: 100 }]
   */
  readonly steps: readonly ProgressiveStep[];
  /**
   * Judge the new version on Prometheus measurements while the steps run, and abort the rollout
   * when it fails.
   * @default - no analysis: the steps run on time alone
   */
  readonly analysis?: ProgressiveAnalysisOptions;
}

/**
 * A release whose traffic moves to a new version on its own, step by step, measured against its
 * objectives and rolled back when it fails: an Argo Rollouts `Rollout` (canary strategy) whose
 * hardened pods are built like a `WebApp`'s, the Service `<name>`, an Istio DestinationRule with
 * the `stable` and `canary` subsets and a VirtualService starting at 100/0 that Argo Rollouts
 * adjusts (subset-level traffic splitting), the ServiceAccount, a PodDisruptionBudget and, with
 * `analysis`, one `AnalysisTemplate` per measured objective run in the background from the
 * first step. Needs the Argo Rollouts controller and Istio.
 *
 * Pick `CanaryRelease` to review every weight in Git; pick `ProgressiveRelease` when a change of
 * image should roll out, be analysed and roll back without further commits.
 * @see https://argoproj.github.io/argo-rollouts/features/traffic-management/istio/
 */
export class ProgressiveRelease extends Construct implements IScalableWorkload, INetworkPeer, IObservableWorkload {
  /** Whether `x` is a ProgressiveRelease (works across copies of this package). */
  public static isProgressiveRelease(x: unknown): x is ProgressiveRelease {
    return typeof x === 'object' && x !== null && PROGRESSIVE_RELEASE_BRAND in x;
  }

  /** The name of the Rollout, Service, Istio objects and ServiceAccount. */
  public readonly name: string;
  /** The namespace the objects are created in. */
  public readonly namespace: string;
  /** The container port. */
  public readonly port: number;
  /** The port the Service exposes. */
  public readonly servicePort: number;
  /** The container ports the pods listen on (the main port, `ports` and the sidecars'). */
  public readonly containerPorts: readonly number[];
  /** The named container ports: name → number. */
  public readonly portNames: Readonly<Record<string, number>>;
  /** The container port serving Prometheus metrics, when `metrics` is given. */
  public readonly metricsPort?: number;
  /** The protocol the app speaks on its port. */
  public readonly appProtocol: AppProtocol;
  /** The pinned container image. */
  public readonly image: string;
  /** The pods' `app.kubernetes.io/version` (the image tag, or its digest prefix). */
  public readonly version: string;
  /** The labels that select every pod of the release (stable and canary). */
  public readonly selector: Record<string, string>;
  /** The name of the pods' ServiceAccount. */
  public readonly serviceAccountName: string;
  /** The Argo Rollouts Rollout. */
  public readonly rollout: ApiObject;
  /** The ClusterIP Service `<name>` selecting every pod of the release. */
  public readonly service: ApiObject;
  /** The ServiceAccount. */
  public readonly serviceAccount: ApiObject;
  /** The DestinationRule `<name>` with the `stable` and `canary` subsets. */
  public readonly destinationRule: ApiObject;
  /** The VirtualService `<name>` whose route `primary` Argo Rollouts weighs. */
  public readonly virtualService: ApiObject;
  /** The AnalysisTemplates (`<name>-success-rate`, `<name>-latency`), when `analysis` is given. */
  public readonly analysisTemplates: readonly ApiObject[];
  /**
   * The ServiceMonitor `<name>` scraping every pod through the Service `<name>`, when `metrics` is
   * given; series carry `track="canary"` or `track="stable"` (the pods' ephemeral track label).
   */
  public readonly serviceMonitor?: ApiObject;
  /** The PodMonitor `<name>`, when `metrics.service` is false. */
  public readonly podMonitor?: ApiObject;
  /** The ConfigMap `<name>-config`, when `config` is given. */
  public readonly configMap?: ApiObject;
  /** The ConfigMap `<name>-files`, when `files` is given. */
  public readonly filesConfigMap?: ApiObject;
  /** @see IScalableWorkload.scaleTargetRef */
  public readonly scaleTargetRef: ScaleTargetRef;
  /** Every container requests cpu and memory. */
  public readonly requestsResources: ResourceRequests = { cpu: true, memory: true };

  private readonly pods: WorkloadPods;
  private readonly budgetOptions: false | DisruptionBudgetOptions | undefined;

  constructor(scope: Construct, id: string, props: ProgressiveReleaseProps) {
    super(scope, id);
    Object.defineProperty(this, PROGRESSIVE_RELEASE_BRAND, { value: true });
    validateProps(this, 'ProgressiveReleaseProps', props);

    const workload = resolveWorkloadOptions(this, props);
    if (workload.appProtocol === 'tcp') {
      throw propError(this, 'appProtocol', workload.appProtocol, 'must be "http", "http2" or "grpc": the steps split requests with an Istio HTTP route, which plain TCP does not have');
    }
    const image = checkPinnedImage(this, 'image', props.image);
    const replicas = checkInteger(this, 'replicas', props.replicas ?? 2, 1);
    const steps = resolveSteps(this, props.steps);
    const analysis = this.resolveAnalysis(workload, props);
    this.version = imageVersionLabel(image);
    const identity = { name: workload.name, instance: workload.name, component: 'server', partOf: workload.partOf };
    const labels = recommendedLabels(identity);
    const podLabels = recommendedLabels({ ...identity, version: this.version });

    this.name = workload.name;
    this.namespace = namespaceOf(this);
    this.port = workload.port;
    this.servicePort = workload.servicePort;
    this.containerPorts = workload.ports.map(p => p.port);
    this.portNames = Object.fromEntries(workload.ports.map(p => [p.name, p.port]));
    this.image = props.image;
    this.metricsPort = workload.metrics?.port;
    this.appProtocol = workload.appProtocol;
    this.selector = selectorLabels(identity);
    this.serviceAccountName = workload.serviceAccountName;
    this.budgetOptions = props.disruptionBudget;

    const { env, resources, serviceAccount, configMap, configMapName, filesConfigMap } = createWorkloadSupport(this, workload, props, labels);
    this.serviceAccount = serviceAccount;
    this.configMap = configMap;
    this.filesConfigMap = filesConfigMap;

    const pods = { workload, name: workload.name, image: props.image, env, resources, labels: podLabels, selector: this.selector };
    this.pods = new WorkloadPods(this, {
      ...pods,
      replicas,
      disruptionBudget: props.disruptionBudget,
      configMapName,
      controller: (_scope, template, specReplicas) => this.createRollout(workload.name, labels, template, specReplicas, steps, analysis,
        workload.controller),
    });
    this.rollout = this.pods.controller;
    this.scaleTargetRef = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: workload.name };
    this.service = createService(this, workload, labels, this.selector);
    ({ serviceMonitor: this.serviceMonitor, podMonitor: this.podMonitor } = monitorTrackedRelease(this, workload, labels, this.selector));
    this.destinationRule = this.createDestinationRule(workload.name, labels);
    this.virtualService = this.createVirtualService(workload.name, labels);
    this.analysisTemplates = analysis ? createAnalysisTemplates(this, analysis, labels) : [];
    // a chart without a namespace writes none: the Application then matches the objects by name
    registerRolloutRouting(this, { namespace: Chart.of(this).namespace, virtualService: workload.name, destinationRule: workload.name });
    this.pods.updateDisruptionBudget();
    this.addValidations();
  }

  /** The PodDisruptionBudget, present when the release can run two or more pods. */
  public get disruptionBudget(): ApiObject | undefined {
    return this.pods.disruptionBudget;
  }

  /** The autoscaler that owns the replica count, if any. */
  public get autoscaler(): IConstruct | undefined {
    return this.pods.autoscaler;
  }

  /** @see IScalableWorkload.attachAutoscaler */
  public attachAutoscaler(autoscaler: IConstruct, minReplicas: number, maxReplicas: number): void {
    this.pods.attachAutoscaler(autoscaler, minReplicas, maxReplicas);
  }

  /** The validated analysis, whose steps leave it time to abort the release (none without `analysis`). */
  private resolveAnalysis(workload: ResolvedWorkload, props: ProgressiveReleaseProps): ResolvedAnalysis | undefined {
    if (props.analysis === undefined) return undefined;
    const { name, appProtocol } = workload;
    const release = { name, namespace: namespaceOf(this), hasMetrics: workload.metrics !== undefined, appProtocol };
    const analysis = resolveAnalysis(this, release, props.analysis);
    checkAnalysisCanAbort(this, props.steps, analysis.timing);
    return analysis;
  }

  /** Checks of the whole tree: the budget has pods, the objects are wired, the analysis names its own templates. */
  private addValidations(): void {
    this.node.addValidation({ validate: () => this.validateBudgetHasPods() });
    this.node.addValidation({
      validate: () => [
        ...wiringProblems({
          service: this.service, workloads: [this.pods.wired], destinationRule: this.destinationRule, virtualService: this.virtualService,
        }),
        ...this.analysisReferenceProblems(),
      ].map(problem => `${this.node.path}: ${problem}`),
    });
  }

  private createRollout(name: string, labels: Record<string, string>, template: Record<string, unknown>, replicas: () => number | undefined,
    steps: readonly CanaryStepJson[], analysis: ResolvedAnalysis | undefined, controller: ResolvedControllerOptions): ApiObject {
    return createRollout(this, 'Rollout', {
      name,
      controller,
      labels,
      selector: this.selector,
      template,
      replicas,
      steps,
      routing: { virtualService: name, destinationRule: name },
      canaryLabels: { [LABEL_TRACK]: ROLLOUT_CANARY_SUBSET },
      stableLabels: { [LABEL_TRACK]: ROLLOUT_STABLE_SUBSET },
      analysis: analysis ? backgroundAnalysis(analysis) : undefined,
      version: this.version,
    });
  }

  private createDestinationRule(name: string, labels: Record<string, string>): ApiObject {
    claimName(this, 'name', 'DestinationRule', name);
    return createDestinationRule(this, 'DestinationRule', {
      name,
      labels,
      spec: {
        host: name,
        subsets: [
          { name: ROLLOUT_STABLE_SUBSET, labels: { ...this.selector } },
          { name: ROLLOUT_CANARY_SUBSET, labels: { ...this.selector } },
        ],
      },
    });
  }

  private createVirtualService(name: string, labels: Record<string, string>): ApiObject {
    claimName(this, 'name', 'VirtualService', name);
    return createVirtualService(this, 'VirtualService', {
      name,
      labels,
      spec: {
        hosts: [name],
        http: [{
          name: ROLLOUT_ROUTE,
          route: [
            { destination: { host: name, subset: ROLLOUT_STABLE_SUBSET }, weight: 100 },
            { destination: { host: name, subset: ROLLOUT_CANARY_SUBSET }, weight: 0 },
          ],
        }],
      },
    });
  }

  /** The Rollout's analysis names only AnalysisTemplates of this release (also after a user's JSON patch). */
  private analysisReferenceProblems(): string[] {
    if ([this.rollout, ...this.analysisTemplates].every(isUnpatched)) return [];
    const rollout = this.rollout.toJson();
    const names = new Set(this.analysisTemplates.map(t => t.toJson().metadata?.name));
    const refs: Array<{ templateName?: string; clusterScope?: boolean }> = rollout.spec?.strategy?.canary?.analysis?.templates ?? [];
    return refs.filter(r => !r.clusterScope && !names.has(r.templateName))
      .map(r => `Rollout ${this.name} analyses with AnalysisTemplate ${JSON.stringify(r.templateName)}, which does not exist`
        + ` (templates: ${[...names].join(', ') || 'none'})`);
  }

  private validateBudgetHasPods(): string[] {
    if (this.budgetOptions && !this.pods.disruptionBudget) {
      return [`${this.node.path}: invalid disruptionBudget ${JSON.stringify(this.budgetOptions)}: the release runs a single replica, and a budget would block node drains; remove it, or raise replicas or its autoscaler's maxReplicas to 2 or more`];
    }
    return [];
  }
}
