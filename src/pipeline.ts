import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ArgoCdApplication } from './argocd/application';
import { checkRepoUrl } from './argocd/validate';
import { deliveryWorkflow, RegistryLogin } from './github/delivery-workflow';
import { renderWorkflow } from './github/render';
import {
  checkBranchName, checkBranchPattern, checkCommand, checkNodeVersion, checkRepoPath, checkSecretName,
  checkSeverity, checkWorkflowName,
} from './github/validate';
import { Workflow } from './github/workflow-model';
import { propError } from './internal/core/errors';
import { recommendedLabels } from './internal/core/labels';
import { claimName, namespaceOf } from './internal/core/name-registry';
import { checkDnsLabel, checkDnsSubdomain, checkNonEmpty, checkOptionalObject } from './internal/core/validate';
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
 * The deliver job (pushes to the deliver branch only) fails when the committed manifests or
 * this workflow file differ from what the code synthesises, records the pushed digest in
 * `deliver.digestFile` (read by the app through `imageFromDigestFile`), synthesises again and
 * commits the manifests with `GITHUB_TOKEN` (such commits trigger no further workflow run).
 *
 * **How the workflow file is written.** cdk8s only writes Kubernetes manifests into the app's
 * `outdir`; the workflow is written by {@link writeWorkflows} (call it after `app.synth()`)
 * or {@link Pipeline.writeWorkflow}, to `<rootDir>/<workflowPath>`, by default
 * `.github/workflows/<name>.yml`. The bytes written are exactly {@link Pipeline.toYaml}.
 */
export class Pipeline extends Construct {
  /** Whether `x` is a Pipeline (works across copies of this package). */
  public static isPipeline(x: unknown): x is Pipeline {
    return typeof x === 'object' && x !== null && PIPELINE_BRAND in x;
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
  /** The ArgoCD Application, when `argocd` is given. */
  public readonly application?: ArgoCdApplication;

  private rendered?: string;

  constructor(scope: Construct, id: string, props: PipelineProps) {
    super(scope, id);
    Object.defineProperty(this, PIPELINE_BRAND, { value: true });

    if (typeof props !== 'object' || props === null) throw propError(this, 'props', props, 'must be an object with at least { image }');
    this.checkOptionObjects(props);
    const repository = this.checkImage(props.image);
    this.image = repository;
    this.name = checkWorkflowName(this, props.name === undefined ? 'name (defaults to the construct id)' : 'name', props.name ?? id);
    const branches = checkNonEmpty(this, 'branches', props.branches ?? ['main'])
      .map((b, i) => checkBranchPattern(this, `branches[${i}]`, b));
    this.deliverBranch = checkBranchName(this, 'deliver.branch', props.deliver?.branch ?? branches[0]);
    this.digestFile = checkRepoPath(this, 'deliver.digestFile', props.deliver?.digestFile ?? 'image-digests.json');
    this.outdir = checkRepoPath(this, 'synth.outdir', props.synth?.outdir ?? 'dist').replace(/\/+$/, '');
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
      dockerfile: checkRepoPath(this, 'dockerfile', props.dockerfile ?? 'Dockerfile'),
      context: checkRepoPath(this, 'context', props.context ?? '.'),
      scan,
      sign: props.sign ?? true,
      synthCommand: checkCommand(this, 'synth.command', props.synth?.command ?? 'npx cdk8s synth'),
      outdir: this.outdir,
      digestFile: this.digestFile,
      workflowPath: this.workflowPath,
    });
    this.checkUniquePath();

    if (props.argocd) this.application = this.createApplication(props.argocd);
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
    checkRepoPath(this, 'workflowPath', value);
    if (!/\.ya?ml$/.test(value)) throw propError(this, 'workflowPath', value, 'must end in ".yml" or ".yaml"');
    if (value === this.outdir || value.startsWith(`${this.outdir}/`) || this.outdir === '.') {
      throw propError(this, 'workflowPath', value, `must be outside the manifests' output folder "${this.outdir}" (e.g. ".github/workflows/${this.name}.yml")`);
    }
    return value;
  }

  private checkUniquePath(): void {
    const other = this.node.root.node.findAll().find((c: IConstruct) => c !== this && Pipeline.isPipeline(c) && c.workflowPath === this.workflowPath);
    if (other) {
      throw propError(this, 'workflowPath', this.workflowPath, `already written by the Pipeline ${other.node.path}; give each Pipeline its own name or workflowPath`);
    }
  }

  private resolveLogin(repository: string, props: PipelineProps): RegistryLogin {
    if (registryOf(repository) === 'ghcr.io' && props.registry === undefined) return { kind: 'github-token' };
    return {
      kind: 'secrets',
      usernameSecret: checkSecretName(this, 'registry.usernameSecret', props.registry?.usernameSecret ?? 'REGISTRY_USERNAME'),
      passwordSecret: checkSecretName(this, 'registry.passwordSecret', props.registry?.passwordSecret ?? 'REGISTRY_PASSWORD'),
    };
  }

  private createApplication(options: PipelineArgoCdOptions): ArgoCdApplication {
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
    claimName(this, 'argocd.name', 'Application', name, applicationNamespace);
    const chartNamespace = Chart.of(this).namespace;
    return new ArgoCdApplication(this, 'Application', {
      metadata: {
        name,
        namespace: applicationNamespace,
        labels: recommendedLabels({ name: this.name, instance: name, component: 'gitops', partOf: chartNamespace }),
      },
      spec: {
        project: checkDnsSubdomain(this, 'argocd.project', options.project ?? 'default'),
        source: {
          repoURL: checkRepoUrl(this, 'argocd.repoURL', options.repoURL),
          path: checkRepoPath(this, 'argocd.path', options.path ?? this.outdir),
          targetRevision,
        },
        destination: {
          server: 'https://kubernetes.default.svc',
          namespace: checkDnsLabel(this, 'argocd.namespace', options.namespace ?? namespaceOf(this)),
        },
        syncPolicy: {
          automated: options.automated ? { prune: true, selfHeal: true } : undefined,
          syncOptions,
          retry: { limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } },
        },
        revisionHistoryLimit: 10,
      },
    });
  }
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
