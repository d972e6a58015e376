/**
 * The `test` job of a {@link Pipeline}.
 */
export interface PipelineTestOptions {
  /**
   * Command that installs dependencies.
   * @default 'npm ci'
   */
  readonly install?: string;
  /**
   * Commands run one step each after the install, e.g. `['npm run lint', 'npm test']`.
   * @default ['npm test']
   */
  readonly run?: string[];
  /**
   * Node.js version for actions/setup-node (18 or newer, `22`, `22.x`, `22.11.0` or `lts/*`).
   * @see https://github.com/actions/setup-node#supported-version-syntax
   * @default '22'
   */
  readonly nodeVersion?: string;
}

/**
 * The image vulnerability gate (Trivy) of a {@link Pipeline}.
 */
export interface PipelineScanOptions {
  /**
   * Comma-separated severities that fail the workflow (all findings are still uploaded as SARIF).
   * @see https://github.com/aquasecurity/trivy-action#inputs
   * @default 'CRITICAL,HIGH'
   */
  readonly severity?: string;
  /**
   * Ignore vulnerabilities without a released fix when gating.
   * @default true
   */
  readonly ignoreUnfixed?: boolean;
}

/**
 * How the deliver job synthesises the manifests.
 */
export interface PipelineSynthOptions {
  /**
   * Command that synthesises the manifests (and rewrites the workflow file).
   * @default 'npx cdk8s synth'
   */
  readonly command?: string;
  /**
   * Folder, relative to the repository root, the manifests are synthesised into and committed in;
   * ArgoCD syncs it.
   * @default 'dist'
   */
  readonly outdir?: string;
}

/**
 * The ArgoCD Application that syncs the synthesised manifests.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/application-specification/
 */
export interface PipelineArgoCdOptions {
  /**
   * The Git repository holding the committed manifests (`https://`, `ssh://` or `git@host:org/repo`).
   */
  readonly repoURL: string;
  /**
   * Folder of the manifests inside the repository.
   * @default - the synth `outdir`
   */
  readonly path?: string;
  /**
   * Branch, tag or commit ArgoCD follows.
   * @default - the deliver branch
   */
  readonly targetRevision?: string;
  /**
   * Destination namespace of the synced objects (the Application itself lives in `applicationNamespace`).
   * @default - the chart's namespace, or 'default'
   */
  readonly namespace?: string;
  /**
   * The ArgoCD AppProject.
   * @default 'default'
   */
  readonly project?: string;
  /**
   * Sync automatically, pruning removed objects and undoing manual changes (self-heal).
   * @default false
   */
  readonly automated?: boolean;
  /**
   * Name of the Application.
   * @default - the pipeline's name
   */
  readonly name?: string;
  /**
   * Namespace ArgoCD watches for Applications.
   * @default 'argocd'
   */
  readonly applicationNamespace?: string;
  /**
   * Sync options (`Key=value`), replacing the defaults.
   * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/
   * @default ['PruneLast=true', 'PrunePropagationPolicy=foreground', 'ApplyOutOfSyncOnly=true']
   */
  readonly syncOptions?: string[];
}

/**
 * The deliver job, which runs on pushes to one branch only.
 */
export interface PipelineDeliverOptions {
  /**
   * The branch whose pushes deliver (must be one of `branches`, or matched by one of its patterns).
   * @default - the first of `branches`
   */
  readonly branch?: string;
  /**
   * JSON file (relative to the repository root) the deliver job records the pushed digest in, as
   * `{ "<image>": "sha256:…" }`; the app reads it with `imageFromDigestFile` so the manifests run
   * exactly the image that was built, scanned and signed.
   * @default 'image-digests.json'
   */
  readonly digestFile?: string;
}

/**
 * Registry credentials for registries other than ghcr.io (ghcr.io uses `GITHUB_TOKEN`).
 */
export interface PipelineRegistryOptions {
  /**
   * Name of the repository secret holding the registry user name.
   * @default 'REGISTRY_USERNAME'
   */
  readonly usernameSecret?: string;
  /**
   * Name of the repository secret holding the registry password or token.
   * @default 'REGISTRY_PASSWORD'
   */
  readonly passwordSecret?: string;
}

/**
 * Properties of a {@link Pipeline}.
 */
export interface PipelineProps {
  /**
   * The image repository the workflow builds and pushes, without tag or digest (the workflow
   * tags it and delivers it by digest).
   * @example 'ghcr.io/acme/web'
   */
  readonly image: string;
  /**
   * Workflow name and file name (`.github/workflows/<name>.yml`): lowercase letters, digits, '-'.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Branches whose pushes (and pull requests into which) run the workflow; GitHub filter patterns allowed.
   * @see https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#filter-pattern-cheat-sheet
   * @default ['main']
   */
  readonly branches?: string[];
  /**
   * The test job.
   * @default - `npm ci` then `npm test` on Node.js 22
   */
  readonly test?: PipelineTestOptions;
  /**
   * Path of the Dockerfile, relative to the repository root.
   * @default 'Dockerfile'
   */
  readonly dockerfile?: string;
  /**
   * Docker build context, relative to the repository root.
   * @default '.'
   */
  readonly context?: string;
  /**
   * The vulnerability gate, or `false` to skip scanning.
   * @default - fail on fixable CRITICAL and HIGH vulnerabilities
   */
  readonly scan?: false | PipelineScanOptions;
  /**
   * How the manifests are synthesised in the deliver job.
   * @default - `npx cdk8s synth` into `dist`
   */
  readonly synth?: PipelineSynthOptions;
  /**
   * Create an ArgoCD Application syncing the committed manifests.
   * @default - no Application
   */
  readonly argocd?: PipelineArgoCdOptions;
  /**
   * The deliver job.
   * @default - deliver from the first branch, digest in `image-digests.json`
   */
  readonly deliver?: PipelineDeliverOptions;
  /**
   * Sign the pushed image keylessly with cosign (Sigstore, GitHub OIDC identity).
   * @see https://docs.sigstore.dev/cosign/signing/overview/
   * @default true
   */
  readonly sign?: boolean;
  /**
   * Where the workflow file is written, relative to the repository root; never inside the
   * manifests' `outdir`.
   * @default '.github/workflows/<name>.yml'
   */
  readonly workflowPath?: string;
  /**
   * Runner label of every job.
   * @default 'ubuntu-24.04'
   */
  readonly runsOn?: string;
  /**
   * Secret names for the registry login when `image` is not on ghcr.io.
   * @default - ghcr.io uses `GITHUB_TOKEN`; other registries `REGISTRY_USERNAME` / `REGISTRY_PASSWORD`
   */
  readonly registry?: PipelineRegistryOptions;
}
