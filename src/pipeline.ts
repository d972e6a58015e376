import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Names, YamlOutputType } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ArgoCdApplication } from './argocd/application';
import { lazyChartSource } from './argocd/application-source';
import { applicationsChart, syncableCharts } from './argocd/applications-chart';
import { addSyncWaves, annotateSyncWaves } from './argocd/sync-waves';
import { checkRepoUrl } from './argocd/validate';
import { deliveryWorkflow, RegistryLogin } from './github/delivery-workflow';
import { renderWorkflow } from './github/render';
import { appOutputFolder, checkAppFolder } from './github/repo-folders';
import {
  checkBranchName, checkBranchPattern, checkCommand, checkNodeVersion, checkRepoPath, checkSecretName,
  checkSeverity, checkWorkflowName,
} from './github/validate';
import { Workflow } from './github/workflow-model';
import { hasBrand } from './internal/core/brand';
import { propError, PropValidationError } from './internal/core/errors';
import { getOrInsert } from './internal/core/get-or-insert';
import { recommendedLabels } from './internal/core/labels';
import { claimName } from './internal/core/name-registry';
import { checkDnsLabel, checkDnsSubdomain, checkNonEmpty, checkOptionalObject } from './internal/core/validate';
import { rolloutIgnoreDifferences } from './internal/rollout/rollout-registry';
import { validateProps } from './internal/validation/validate-props';
import { parseImageReference } from './internal/workload/image';
import { PipelineArgoCdOptions, PipelineProps } from './pipeline-options';

const PIPELINE_BRAND = Symbol.for('cloudnative-constructs.Pipeline');
const RUNNER = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const SYNC_OPTION = /^[A-Za-z]+=[A-Za-z0-9,._-]+$/;
const REVISION = /^[^\s~^:?*[\\]+$/;

/** Options of {@link writeWorkflows}. */
export interface WriteWorkflowsOptions {
  /**
   * The repository root the `workflowPath` of each Pipeline is relative to.
   * @default - the current working directory
   */
  readonly rootDir?: string;
}

/**
 * A GitOps delivery pipeline: a GitHub Actions workflow (test → build & push with provenance
 * and SBOM → Trivy scan with SARIF upload → keyless cosign signing → deliver) and, when
 * `argocd` is given, an ArgoCD Application syncing the committed manifests.
 *
 * The deliver job (pushes to the deliver branch only) fails when the output folder is missing,
 * git-ignored or uncommitted, or when the committed manifests or this workflow file differ from
 * what the code synthesises; records the pushed digest in `deliver.digestFile` (read by the app
 * through `imageFromDigestFile`), synthesises again, runs `cloudnative-constructs plan` (refused
 * and pruning changes fail the job; the plan goes to the job summary) and commits the manifests
 * with `GITHUB_TOKEN` (such commits trigger no further workflow run). Deliver jobs pushing to one
 * branch run one at a time, and a refused push is redone on top of the new head. Pull requests
 * are planned in a `plan` job against the base branch's committed output (see `plan`).
 *
 * **ArgoCD.** Each Application syncs one chart only (its file, or its folder under
 * `FOLDER_PER_CHART_FILE_PER_RESOURCE`) and lives in the app's `argocd` chart, which `synth`
 * writes into `<outdir>/argocd/` where no Application syncs it: apply that folder once to
 * bootstrap. Objects of a synced chart get `argocd.argoproj.io/sync-wave` annotations.
 *
 * **How the workflow file is written.** cdk8s only writes Kubernetes manifests into the app's
 * `outdir`; the workflow is written by {@link writeWorkflows} (call it after `app.synth()`)
 * or {@link Pipeline.writeWorkflow}, to `<rootDir>/<workflowPath>`, by default
 * `.github/workflows/<name>.yml`. The bytes written are exactly {@link Pipeline.toYaml}.
 */
export class Pipeline extends Construct {
  /** Whether `x` is a Pipeline (works across copies of this package). */
  public static isPipeline(x: unknown): x is Pipeline {
    return hasBrand(x, PIPELINE_BRAND);
  }

  /** The workflow name. */
  public readonly name: string;
  /** The image repository built and pushed. */
  public readonly image: string;
  /** The workflow file, relative to the repository root. */
  public readonly workflowPath: string;
  /** The digest file the deliver job writes, relative to the repository root. */
  public readonly digestFile: string;
  /** The folder the manifests are synthesised into and committed in. */
  public readonly outdir: string;
  /** The branch whose pushes deliver. */
  public readonly deliverBranch: string;
  /** The typed workflow model (rendered by {@link toYaml}). */
  public readonly workflow: Workflow;
  /** The ArgoCD Application, when `argocd` is given (the first one with `argocd.charts: 'all'`). */
  public readonly application?: ArgoCdApplication;
  /** Every ArgoCD Application of this Pipeline: one per chart it syncs. */
  public readonly applications: ArgoCdApplication[];
  /**
   * Folder, relative to the repository root, the commands run in.
   * @default - the repository root
   */
  public readonly workingDirectory?: string;

  private rendered?: string;

  constructor(scope: Construct, id: string, props: PipelineProps) {
    super(scope, id);
    Object.defineProperty(this, PIPELINE_BRAND, { value: true });

    validateProps(this, 'PipelineProps', props);
    this.checkOptionObjects(props);
    const repository = this.checkImage(props.image);
    this.image = repository;
    this.name = checkWorkflowName(this, props.name === undefined ? 'name (defaults to the construct id)' : 'name', props.name ?? id);
    const branches = checkNonEmpty(this, 'branches', props.branches ?? ['main'])
      .map((b, i) => checkBranchPattern(this, `branches[${i}]`, b));
    this.deliverBranch = checkBranchName(this, 'deliver.branch', props.deliver?.branch ?? branches[0]);
    if (!branchesMatch(branches, this.deliverBranch)) {
      throw propError(this, 'deliver.branch', this.deliverBranch, `pushes to it never run the workflow, whose branches are ${JSON.stringify(branches)}; add it to branches`);
    }
    this.digestFile = checkRepoPath(this, 'deliver.digestFile', props.deliver?.digestFile ?? 'image-digests.json', 'deploy/image-digests.json');
    this.workingDirectory = props.workingDirectory === undefined ? undefined
      : checkRepoPath(this, 'workingDirectory', props.workingDirectory, 'deploy').replace(/\/+$/, '');
    checkAppFolder(this, this.workingDirectory);
    this.outdir = checkRepoPath(this, props.synth?.outdir === undefined ? 'synth.outdir (defaults to the App\'s outdir)' : 'synth.outdir',
      props.synth?.outdir ?? appOutputFolder(this), 'dist').replace(/\/+$/, '');
    this.workflowPath = this.checkWorkflowPath(props.workflowPath ?? `.github/workflows/${this.name}.yml`);
    const runsOn = props.runsOn ?? 'ubuntu-24.04';
    if (typeof runsOn !== 'string' || !RUNNER.test(runsOn)) throw propError(this, 'runsOn', runsOn, 'must be a runner label such as "ubuntu-24.04"');

    const testRun = checkNonEmpty(this, 'test.run', props.test?.run ?? ['npm test'])
      .map((c, i) => checkCommand(this, `test.run[${i}]`, c));
    const scan = props.scan === false ? undefined : {
      severity: checkSeverity(this, 'scan.severity', props.scan?.severity ?? 'CRITICAL,HIGH'),
      ignoreUnfixed: props.scan?.ignoreUnfixed ?? true,
    };

    this.workflow = deliveryWorkflow({
      name: this.name,
      repository,
      registry: registryOf(repository),
      login: this.resolveLogin(repository, props),
      branches,
      deliverBranch: this.deliverBranch,
      runsOn,
      nodeVersion: checkNodeVersion(this, 'test.nodeVersion', props.test?.nodeVersion ?? '22'),
      install: checkCommand(this, 'test.install', props.test?.install ?? 'npm ci'),
      testCommands: testRun,
      dockerfile: checkRepoPath(this, 'dockerfile', props.dockerfile ?? 'Dockerfile', 'docker/web.Dockerfile'),
      context: checkRepoPath(this, 'context', props.context ?? '.', 'services/web'),
      scan,
      sign: props.sign ?? true,
      synthCommand: this.checkSynthCommand(props.synth?.command ?? 'npx cdk8s synth'),
      outdir: this.outdir,
      digestFile: this.digestFile,
      workflowPath: this.workflowPath,
      workingDirectory: this.workingDirectory,
      plan: props.plan === false ? undefined : { allowPrune: props.plan?.allowPrune ?? false, pullRequests: props.plan?.pullRequests ?? true },
    });
    this.checkUniquePath();

    this.applications = props.argocd ? this.createApplications(props.argocd) : [];
    this.application = this.applications[0];
  }

  /** The output folder relative to the repository root (`<workingDirectory>/<outdir>`). */
  public get repoOutdir(): string {
    return this.workingDirectory ? `${this.workingDirectory}/${this.outdir}` : this.outdir;
  }

  /** The workflow as YAML: exactly the bytes {@link writeWorkflow} writes. */
  public toYaml(): string {
    this.rendered ??= renderWorkflow(this.workflow, [
      `Generated by cloudnative-constructs from ${this.node.path}. Do not edit: change the code and synthesise.`,
    ]);
    return this.rendered;
  }

  /**
   * Writes the workflow to `<rootDir>/<workflowPath>` and returns the absolute path written.
   * @param rootDir the repository root, by default the current working directory
   */
  public writeWorkflow(rootDir: string = process.cwd()): string {
    const file = path.resolve(rootDir, this.workflowPath);
    const appOutdir: unknown = (App.of(this) as Partial<App>).outdir;
    if (typeof appOutdir === 'string') {
      const outdir = path.resolve(appOutdir);
      if (file === outdir || file.startsWith(outdir + path.sep)) {
        throw propError(this, 'workflowPath', this.workflowPath, `resolves to ${file}, inside the manifests' output folder ${outdir}; write workflows outside it (e.g. ".github/workflows/${this.name}.yml")`);
      }
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, this.toYaml());
    return file;
  }

  /** Wrong-typed option groups are reported instead of being read as "nothing set". */
  private checkOptionObjects(props: PipelineProps): void {
    checkOptionalObject(this, 'test', props.test, '{ run: ["npm test"] }');
    if (props.scan !== false) checkOptionalObject(this, 'scan', props.scan, '{ severity: "CRITICAL,HIGH" } (or false to skip the scan)');
    checkOptionalObject(this, 'synth', props.synth, '{ command: "npx cdk8s synth", outdir: "dist" }');
    checkOptionalObject(this, 'argocd', props.argocd, '{ repoURL: "https://github.com/acme/shop.git" }');
    checkOptionalObject(this, 'deliver', props.deliver, '{ digestFile: "image-digests.json" }');
    checkOptionalObject(this, 'registry', props.registry, '{ passwordSecret: "REGISTRY_PASSWORD" }');
    if (props.plan !== false) checkOptionalObject(this, 'plan', props.plan, '{ allowPrune: false, pullRequests: true } (or false to skip planning)');
  }

  private checkSynthCommand(value: string): string {
    checkCommand(this, 'synth.command', value);
    const cd = /^\s*cd\s+([^\s&;]+)\s*(&&|;)/.exec(value);
    if (cd) {
      throw propError(this, 'synth.command', value, `changes directory, so the drift check and the commit would look at the wrong folder; set workingDirectory: ${JSON.stringify(cd[1])} and give the command without "cd"`);
    }
    return value;
  }

  private checkImage(value: string): string {
    const parsed = parseImageReference(value);
    const allowed = 'expected an image repository without tag or digest, e.g. "ghcr.io/acme/web"';
    if (typeof parsed === 'string') throw propError(this, 'image', value, `${parsed}; ${allowed}`);
    if (parsed.tag !== undefined || parsed.digest !== undefined) {
      throw propError(this, 'image', value, `the workflow tags the image and delivers it by digest; ${allowed} (did you mean ${JSON.stringify(parsed.repository)}?)`);
    }
    return parsed.repository;
  }

  private checkWorkflowPath(value: string): string {
    checkRepoPath(this, 'workflowPath', value, `.github/workflows/${this.name}.yml`);
    if (!/\.ya?ml$/.test(value)) throw propError(this, 'workflowPath', value, 'must end in ".yml" or ".yaml"');
    if (value === this.outdir || value.startsWith(`${this.outdir}/`) || this.outdir === '.') {
      throw propError(this, 'workflowPath', value, `must be outside the manifests' output folder "${this.outdir}" (e.g. ".github/workflows/${this.name}.yml")`);
    }
    return value;
  }

  private checkUniquePath(): void {
    const paths = getOrInsert(WORKFLOW_PATHS, this.node.root, () => new Map<string, string>());
    const other = paths.get(this.workflowPath);
    if (other !== undefined) {
      throw propError(this, 'workflowPath', this.workflowPath, `already written by the Pipeline ${other}; give each Pipeline its own name or workflowPath`);
    }
    paths.set(this.workflowPath, this.node.path);
  }

  private resolveLogin(repository: string, props: PipelineProps): RegistryLogin {
    if (registryOf(repository) === 'ghcr.io' && props.registry === undefined) return { kind: 'github-token' };
    return {
      kind: 'secrets',
      usernameSecret: checkSecretName(this, 'registry.usernameSecret', props.registry?.usernameSecret ?? 'REGISTRY_USERNAME'),
      passwordSecret: checkSecretName(this, 'registry.passwordSecret', props.registry?.passwordSecret ?? 'REGISTRY_PASSWORD'),
    };
  }

  private createApplications(options: PipelineArgoCdOptions): ArgoCdApplication[] {
    const name = checkDnsSubdomain(this, 'argocd.name', options.name ?? this.name);
    const applicationNamespace = checkDnsLabel(this, 'argocd.applicationNamespace', options.applicationNamespace ?? 'argocd');
    const targetRevision = options.targetRevision ?? this.deliverBranch;
    if (typeof targetRevision !== 'string' || !REVISION.test(targetRevision)) {
      throw propError(this, 'argocd.targetRevision', targetRevision, 'must be a branch, tag or commit such as "main"');
    }
    const syncOptions = options.syncOptions ?? ['PruneLast=true', 'PrunePropagationPolicy=foreground', 'ApplyOutOfSyncOnly=true'];
    if (!Array.isArray(syncOptions)) throw propError(this, 'argocd.syncOptions', syncOptions, 'must be a list of "Key=value" strings, e.g. ["PruneLast=true"]');
    syncOptions.forEach((o, i) => {
      if (typeof o !== 'string' || !SYNC_OPTION.test(o)) throw propError(this, `argocd.syncOptions[${i}]`, o, 'must be "Key=value", e.g. "PruneLast=true"');
    });
    const charts = options.charts ?? 'own';
    if (charts !== 'own' && charts !== 'all') throw propError(this, 'argocd.charts', charts, 'must be "own" (the Pipeline\'s chart) or "all" (one Application per chart)');
    if (options.automated !== undefined && typeof options.automated !== 'boolean') throw propError(this, 'argocd.automated', options.automated, 'must be true or false');
    const app = App.of(this);
    if (app.yamlOutputType === YamlOutputType.FILE_PER_APP && options.path === undefined) {
      throw propError(this, 'argocd', 'YamlOutputType.FILE_PER_APP', 'one file holds every chart, so an Application cannot sync one chart; use FILE_PER_CHART (the default) or FOLDER_PER_CHART_FILE_PER_RESOURCE, or set argocd.path');
    }
    const common = {
      repoURL: checkRepoUrl(this, 'argocd.repoURL', options.repoURL),
      project: checkDnsSubdomain(this, 'argocd.project', options.project ?? 'default'),
      applicationNamespace,
      targetRevision,
      syncOptions,
      automated: options.automated ?? false,
    };
    const namespace = options.namespace === undefined ? undefined : checkDnsLabel(this, 'argocd.namespace', options.namespace);
    if (options.path !== undefined) {
      const folder = checkRepoPath(this, 'argocd.path', options.path, 'dist/shop').replace(/\/+$/, '');
      if (folder === `${this.repoOutdir}/argocd` || folder.startsWith(`${this.repoOutdir}/argocd/`)) {
        throw propError(this, 'argocd.path', folder, 'holds the Applications themselves, which must not sync themselves; point it at the manifests');
      }
      this.claimSync(`path:${folder}`, 'argocd.path', folder);
      return [this.createApplication(name, common, { path: folder }, namespace ?? Chart.of(this).namespace)];
    }
    if (charts === 'own') return [this.chartApplication(app, Chart.of(this), name, common, namespace ?? Chart.of(this).namespace)];
    applicationsChart(this);
    const synced = new Set<Chart>();
    const forChart = (chart: Chart) => {
      const application = this.chartApplication(app, chart, checkDnsSubdomain(this, 'argocd.name', `${name}-${Names.toDnsLabel(chart)}`), common, chart.namespace);
      synced.add(chart);
      return application;
    };
    // 'all' means every chart at synthesis: charts created after the Pipeline get theirs when the app is validated
    this.node.addValidation({
      validate: () => syncableCharts(app).filter(chart => !synced.has(chart)).flatMap(chart => {
        try {
          this.applications.push(forChart(chart));
          annotateSyncWaves(chart);
          return [];
        } catch (e) {
          if (e instanceof PropValidationError) return [e.message];
          throw e;
        }
      }),
    });
    return syncableCharts(app).map(forChart);
  }

  /** The Application syncing one chart's files, whose objects get sync waves. */
  private chartApplication(app: App, chart: Chart, name: string, common: ApplicationCommon, namespace: string | undefined): ArgoCdApplication {
    this.claimSync(`chart:${chart.node.path}`, 'argocd', chart.node.path);
    addSyncWaves(chart);
    return this.createApplication(name, common, { ...lazyChartSource(app, chart, this.repoOutdir), charts: [chart] }, namespace);
  }

  /** Fails when another Application (of this or another Pipeline) already syncs the same chart or folder. */
  private claimSync(key: string, prop: string, value: string): void {
    const claims = getOrInsert(SYNC_CLAIMS, this.node.root, () => new Map<string, string>());
    const owner = claims.get(key);
    if (owner !== undefined) {
      throw propError(this, prop, value, `is already synced by an ArgoCD Application of ${owner}; two Applications with automated prune on the same objects delete each other's work: give argocd to one Pipeline, or another argocd.path`);
    }
    claims.set(key, this.node.path);
  }

  private createApplication(name: string, common: ApplicationCommon, source: ApplicationFiles, namespace: string | undefined): ArgoCdApplication {
    claimName(this, 'argocd.name', 'Application', name, common.applicationNamespace);
    const chart = applicationsChart(this);
    return new ArgoCdApplication(chart, `Application-${common.applicationNamespace}-${name}`, {
      // what Argo Rollouts changes at run time in the ProgressiveReleases it syncs
      ignoreDifferences: () => rolloutIgnoreDifferences(this, source.charts),
      metadata: {
        name,
        namespace: common.applicationNamespace,
        labels: recommendedLabels({ name: this.name, instance: name, component: 'gitops', partOf: namespace }),
      },
      spec: {
        project: common.project,
        source: {
          repoURL: common.repoURL,
          path: source.path,
          ...(source.include !== undefined ? { directory: { include: source.include } } : {}),
          targetRevision: common.targetRevision,
        },
        destination: {
          server: 'https://kubernetes.default.svc',
          ...(namespace !== undefined ? { namespace } : {}),
        },
        syncPolicy: {
          automated: common.automated ? { prune: true, selfHeal: true } : undefined,
          syncOptions: common.syncOptions,
          retry: { limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } },
        },
        revisionHistoryLimit: 10,
      },
    });
  }
}

const SYNC_CLAIMS = new WeakMap<IConstruct, Map<string, string>>();
/** The workflow files of the app's Pipelines (path → Pipeline path): one registry per app, not a tree walk per Pipeline. */
const WORKFLOW_PATHS = new WeakMap<IConstruct, Map<string, string>>();

/** The folder an Application syncs and, optionally, which of its files. */
interface ApplicationFiles {
  readonly path: string;
  readonly include?: string;
  /** The charts whose objects the Application syncs (every chart when omitted: a folder given by `argocd.path`). */
  readonly charts?: readonly Chart[];
}

interface ApplicationCommon {
  readonly repoURL: string;
  readonly project: string;
  readonly applicationNamespace: string;
  readonly targetRevision: string;
  readonly syncOptions: readonly string[];
  readonly automated: boolean;
}

/**
 * Whether pushes to `branch` run a workflow filtered by `patterns` (GitHub filter patterns: `*`
 * within a segment, `**` across, `!` excludes; the last matching pattern wins).
 */
function branchesMatch(patterns: readonly string[], branch: string): boolean {
  let matched = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    const body = negated ? pattern.slice(1) : pattern;
    const regex = new RegExp(`^${body.split(/(\*\*|\*)/).map(part => (part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))).join('')}$`);
    if (regex.test(branch)) matched = !negated;
  }
  return matched;
}

/** The registry host of an image repository (`docker.io` when it names none). */
function registryOf(repository: string): string {
  const first = repository.split('/')[0];
  return repository.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
}

/**
 * Writes the workflow of every {@link Pipeline} in `app` to `<rootDir>/<workflowPath>` (by default
 * `.github/workflows/<name>.yml`) and returns the absolute paths written. Call it after
 * `app.synth()`, so that an invalid app writes nothing. Refuses paths inside the app's `outdir`.
 */
export function writeWorkflows(app: App, options: WriteWorkflowsOptions = {}): string[] {
  const pipelines = app.node.findAll().filter((c): c is Pipeline => Pipeline.isPipeline(c));
  return pipelines.map((p) => p.writeWorkflow(options.rootDir ?? process.cwd()));
}
