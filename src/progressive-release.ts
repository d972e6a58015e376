import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { LABEL_TRACK } from './internal/canary/canary-track';
import { brandCheck } from './internal/core/brand';
import { propError } from './internal/core/errors';
import { namespaceOf } from './internal/core/name-registry';
import { isUnpatched } from './internal/core/patches';
import { checkInteger } from './internal/core/validate';
import { wiringProblems } from './internal/output/wiring';
import { createRollout, ROLLOUT_CANARY_SUBSET, ROLLOUT_STABLE_SUBSET } from './internal/rollout/rollout';
import { backgroundAnalysis, createAnalysisTemplates, resolveAnalysis, ResolvedAnalysis } from './internal/rollout/rollout-analysis';
import { checkAnalysisCanAbort } from './internal/rollout/rollout-pauses';
import { createRolloutRouting } from './internal/rollout/rollout-routing';
import { CanaryStepJson, resolveSteps } from './internal/rollout/rollout-steps';
import { ResolvedWorkload } from './internal/workload/workload';
import { foundWorkload, WorkloadKind } from './internal/workload/workload-foundation';
import { ProgressiveAnalysisOptions, ProgressiveStep } from './progressive-release-options';
import { ServedWorkload } from './served-workload';
import { DeploymentOptions, WorkloadOptions } from './workload-options';

const PROGRESSIVE_RELEASE_BRAND = Symbol.for('cloudnative-constructs.ProgressiveRelease');

/** What sets a ProgressiveRelease apart in the steps every workload takes first: only its pods carry the version. */
const PROGRESSIVE_RELEASE: WorkloadKind<ProgressiveReleaseProps> = { propsType: 'ProgressiveReleaseProps', component: 'server', version: 'pods' };

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
export class ProgressiveRelease extends ServedWorkload {
  /** Whether `x` is a ProgressiveRelease (works across copies of this package). */
  public static readonly isProgressiveRelease = brandCheck<ProgressiveRelease>(PROGRESSIVE_RELEASE_BRAND);

  /** The Argo Rollouts Rollout. */
  public readonly rollout: ApiObject;
  /** The DestinationRule `<name>` with the `stable` and `canary` subsets. */
  public readonly destinationRule: ApiObject;
  /** The VirtualService `<name>` whose route `primary` Argo Rollouts weighs. */
  public readonly virtualService: ApiObject;
  /** The AnalysisTemplates (`<name>-success-rate`, `<name>-latency`), when `analysis` is given. */
  public readonly analysisTemplates: readonly ApiObject[];

  constructor(scope: Construct, id: string, props: ProgressiveReleaseProps) {
    super(scope, id, PROGRESSIVE_RELEASE_BRAND, self => foundWorkload(self, props, PROGRESSIVE_RELEASE));
    const { workload, labels } = this._foundation;
    if (workload.appProtocol === 'tcp') {
      throw propError(this, 'appProtocol', workload.appProtocol, 'must be "http", "http2" or "grpc": the steps split requests with an Istio HTTP route, which plain TCP does not have');
    }
    const replicas = checkInteger(this, 'replicas', props.replicas ?? 2, 1);
    const steps = resolveSteps(this, props.steps);
    const analysis = this.resolveAnalysis(workload, props);

    this.rollout = this._runPods({
      replicas,
      disruptionBudget: props.disruptionBudget,
      controller: (_scope, template, specReplicas) => this.createRollout(template, specReplicas, steps, analysis),
    });
    this._serve();
    this._monitor({ hasService: true, trackPodLabel: LABEL_TRACK });
    const routing = createRolloutRouting(this, workload.name, labels, this.selector);
    this.destinationRule = routing.destinationRule;
    this.virtualService = routing.virtualService;
    this.analysisTemplates = analysis ? createAnalysisTemplates(this, analysis, labels) : [];
    this._allowApiServer();
    this._guardPods('release');
    this.node.addValidation({
      validate: () => [
        ...wiringProblems({
          service: this.service, workloads: [this._wired], destinationRule: this.destinationRule, virtualService: this.virtualService,
        }),
        ...this.analysisReferenceProblems(),
      ].map(problem => `${this.node.path}: ${problem}`),
    });
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

  private createRollout(template: Record<string, unknown>, replicas: () => number | undefined, steps: readonly CanaryStepJson[],
    analysis: ResolvedAnalysis | undefined): ApiObject {
    const { name, labels, workload } = this._foundation;
    return createRollout(this, 'Rollout', {
      name,
      controller: workload.controller,
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
}
