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
   * Folder the manifests are synthesised into and committed in, relative to `workingDirectory`;
   * ArgoCD syncs it.
   * @default - the App's `outdir` (e.g. `new App({ outdir: 'manifests' })`, or `cdk8s synth -o`) when relative, else 'dist'
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
   * Folder of the manifests inside the repository, synced whole by one Application (for layouts
   * this library does not write). Must not contain the `argocd/` folder of the Applications.
   * @default - the folder (and, per output type, the files) of each chart synced: see `charts`
   */
  readonly path?: string;
  /**
   * Which charts get an Application: `'own'`, the Pipeline's chart; `'all'`, one Application per
   * chart of the app (named `<name>-<chart>`), e.g. one per namespace chart. Each syncs only its
   * chart's folder (`FOLDER_PER_CHART_FILE_PER_RESOURCE`) or files (`directory.include`), so no
   * object is synced twice; two Applications on the same chart are an error.
   * @default 'own'
   */
  readonly charts?: 'own' | 'all';
  /**
   * Branch, tag or commit ArgoCD follows.
   * @default - the deliver branch
   */
  readonly targetRevision?: string;
  /**
   * Destination namespace of the synced objects (the Application itself lives in `applicationNamespace`).
   * @default - the synced chart's namespace; none when the chart has none (every object then names its own)
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
 * `cloudnative-constructs plan` in the workflow: it synthesises with `synth.command` into a
 * temporary folder, compares with the output folder as committed in git, writes its summary to
 * the job summary and fails the job on changes the cluster refuses (immutable fields) or removals
 * that prune live objects. It runs in a `plan` job on pull requests, against the base branch's
 * committed output, and in the deliver job, against the commit being delivered (where it sees
 * only what delivery itself changes: the code's own changes reached the deliver branch with their
 * output, so the pull request is where they are planned).
 */
export interface PipelinePlanOptions {
  /**
   * Accept removed and renamed objects (ArgoCD prunes them) instead of failing.
   * @default false
   */
  readonly allowPrune?: boolean;
  /**
   * Plan every pull request into `branches` in a `plan` job (read-only token): what merging it
   * changes against the base branch's committed output (`--base origin/<base branch>`); refused
   * changes and prunes fail the check. Make the check required (branch protection) so that no
   * change reaches the deliver branch unplanned.
   * @default true
   */
  readonly pullRequests?: boolean;
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
   * Folder, relative to the repository root, holding the cdk8s app (its `package.json` and
   * `cdk8s.yaml`): install, test, synth and plan run there, and `synth.outdir` and
   * `deliver.digestFile` are relative to it.
   * @default - the repository root
   */
  readonly workingDirectory?: string;
  /**
   * The plan of pull requests and of the deliver job, or `false` to skip both.
   * @default - plan pull requests and deliveries, failing on refused changes and prunes
   */
  readonly plan?: false | PipelinePlanOptions;
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
