import { ACTIONS } from './actions';
import { Workflow, WorkflowJob, WorkflowPermissions, WorkflowStep } from './workflow-model';

/** How the jobs log in to the image registry. */
export type RegistryLogin =
  | { readonly kind: 'github-token' }
  | { readonly kind: 'secrets'; readonly usernameSecret: string; readonly passwordSecret: string };

/** Everything the delivery workflow is built from, already validated and defaulted. */
export interface DeliveryWorkflowInput {
  readonly name: string;
  readonly repository: string;
  readonly registry: string;
  readonly login: RegistryLogin;
  readonly branches: readonly string[];
  readonly deliverBranch: string;
  readonly runsOn: string;
  readonly nodeVersion: string;
  readonly install: string;
  readonly testCommands: readonly string[];
  readonly dockerfile: string;
  readonly context: string;
  /**
   * The vulnerability gate.
   * @default - no scan job (scanning switched off)
   */
  readonly scan?: { readonly severity: string; readonly ignoreUnfixed: boolean };
  readonly sign: boolean;
  readonly synthCommand: string;
  readonly outdir: string;
  readonly digestFile: string;
  readonly workflowPath: string;
  /**
   * Folder (relative to the repository root) the install, test, synth and plan commands run in.
   * @default - the repository root
   */
  readonly workingDirectory?: string;
  /**
   * The plan step of the deliver job and, with `pullRequests`, the plan job of pull requests.
   * @default - no plan step or job
   */
  readonly plan?: { readonly allowPrune: boolean; readonly pullRequests: boolean };
}

/** A string literal of a GitHub expression: single-quoted, a quote written twice. */
export function expressionString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

const NOT_PR = "github.event_name != 'pull_request'";
const DIGEST = '${{ needs.build.outputs.digest }}';

function checkout(persistCredentials: boolean, fetchDepth?: number): WorkflowStep {
  return {
    name: fetchDepth === 0 ? 'Check out (every branch, as origin/<branch>)' : 'Check out',
    uses: ACTIONS.checkout,
    with: { 'persist-credentials': persistCredentials, ...(fetchDepth === undefined ? {} : { 'fetch-depth': fetchDepth }) },
  };
}

function registryLogin(input: DeliveryWorkflowInput, condition?: string): WorkflowStep {
  const credentials = input.login.kind === 'github-token'
    ? { username: '${{ github.actor }}', password: '${{ secrets.GITHUB_TOKEN }}' }
    : { username: `\${{ secrets.${input.login.usernameSecret} }}`, password: `\${{ secrets.${input.login.passwordSecret} }}` };
  return {
    name: `Log in to ${input.registry}`,
    if: condition,
    uses: ACTIONS.login,
    with: { ...(input.registry === 'docker.io' ? {} : { registry: input.registry }), ...credentials },
  };
}

/** `packages` access for ghcr.io (through GITHUB_TOKEN); other registries use secrets instead. */
function packages(input: DeliveryWorkflowInput, level: 'read' | 'write'): WorkflowPermissions {
  return input.login.kind === 'github-token' ? { packages: level } : {};
}

function testJob(input: DeliveryWorkflowInput): WorkflowJob {
  return {
    name: 'Test',
    runsOn: input.runsOn,
    permissions: { contents: 'read' },
    timeoutMinutes: 20,
    steps: [
      checkout(false),
      { name: 'Set up Node.js', uses: ACTIONS.setupNode, with: { 'node-version': input.nodeVersion, 'cache': 'npm', ...cachePath(input) } },
      { name: 'Install dependencies', run: input.install, workingDirectory: input.workingDirectory },
      ...input.testCommands.map((run): WorkflowStep => ({ name: `Run ${run}`, run, workingDirectory: input.workingDirectory })),
    ],
  };
}

/** setup-node's npm cache key file when the app lives in a subfolder. */
function cachePath(input: DeliveryWorkflowInput): Record<string, string> {
  return input.workingDirectory ? { 'cache-dependency-path': `${input.workingDirectory}/package-lock.json` } : {};
}

function buildJob(input: DeliveryWorkflowInput): WorkflowJob {
  return {
    name: 'Build and push image',
    needs: ['test'],
    runsOn: input.runsOn,
    permissions: { contents: 'read', ...packages(input, 'write') },
    timeoutMinutes: 30,
    outputs: { digest: '${{ steps.build.outputs.digest }}' },
    steps: [
      checkout(false),
      { name: 'Set up Docker Buildx', uses: ACTIONS.setupBuildx },
      registryLogin(input, NOT_PR),
      {
        name: 'Compute tags and labels',
        id: 'meta',
        uses: ACTIONS.metadata,
        with: { images: input.repository, tags: 'type=sha,format=long\ntype=ref,event=branch\ntype=ref,event=pr\n' },
      },
      {
        name: 'Build and push (with provenance and SBOM)',
        id: 'build',
        uses: ACTIONS.buildPush,
        with: {
          context: input.context,
          file: input.dockerfile,
          push: `\${{ ${NOT_PR} }}`,
          tags: '${{ steps.meta.outputs.tags }}',
          labels: '${{ steps.meta.outputs.labels }}',
          provenance: 'mode=max',
          sbom: true,
        },
      },
    ],
  };
}

function scanJob(input: DeliveryWorkflowInput, scan: NonNullable<DeliveryWorkflowInput['scan']>): WorkflowJob {
  const imageRef = `\${{ env.IMAGE }}@${DIGEST}`;
  const credentials = input.login.kind === 'github-token'
    ? { TRIVY_USERNAME: '${{ github.actor }}', TRIVY_PASSWORD: '${{ secrets.GITHUB_TOKEN }}' }
    : { TRIVY_USERNAME: `\${{ secrets.${input.login.usernameSecret} }}`, TRIVY_PASSWORD: `\${{ secrets.${input.login.passwordSecret} }}` };
  return {
    name: 'Scan image',
    needs: ['build'],
    if: NOT_PR,
    runsOn: input.runsOn,
    permissions: { actions: 'read', contents: 'read', securityEvents: 'write', ...packages(input, 'read') },
    timeoutMinutes: 15,
    steps: [
      checkout(false),
      {
        name: 'Report vulnerabilities as SARIF',
        uses: ACTIONS.trivy,
        with: { 'image-ref': imageRef, 'format': 'sarif', 'output': 'trivy-results.sarif', 'exit-code': '0' },
        env: credentials,
      },
      { name: 'Upload to code scanning', uses: ACTIONS.uploadSarif, with: { sarif_file: 'trivy-results.sarif', category: 'trivy-image' } },
      {
        name: `Fail on ${scan.severity} vulnerabilities`,
        uses: ACTIONS.trivy,
        with: {
          'image-ref': imageRef,
          'format': 'table',
          'severity': scan.severity,
          'ignore-unfixed': scan.ignoreUnfixed,
          'exit-code': '1',
        },
        env: credentials,
      },
    ],
  };
}

function signJob(input: DeliveryWorkflowInput): WorkflowJob {
  return {
    name: 'Sign image',
    needs: input.scan ? ['build', 'scan'] : ['build'],
    if: NOT_PR,
    runsOn: input.runsOn,
    permissions: { idToken: 'write', ...packages(input, 'write') },
    timeoutMinutes: 10,
    steps: [
      { name: 'Install cosign', uses: ACTIONS.cosignInstaller },
      registryLogin(input),
      { name: 'Sign the pushed digest (keyless)', run: 'cosign sign --yes "${IMAGE}@${DIGEST}"\n', env: { DIGEST } },
    ],
  };
}

/** Fails loudly when the output folder is missing, git-ignored or not committed: the drift check would otherwise pass on nothing. */
const OUTPUT_CHECK = [
  'if [ ! -d "$OUTDIR" ]; then',
  '  echo "::error::The synth command wrote no folder $OUTDIR (in $PWD); check synth.outdir and workingDirectory."',
  '  exit 1',
  'fi',
  'if git check-ignore -q --no-index -- "$OUTDIR/" || [ -n "$(git ls-files --others --ignored --exclude-standard -- "$OUTDIR" | head -n 1)" ]; then',
  '  echo "::error::$OUTDIR is git-ignored (see .gitignore): ArgoCD syncs committed files only; remove it from .gitignore and commit it."',
  '  exit 1',
  'fi',
  'if [ -z "$(git ls-files -- "$OUTDIR" | head -n 1)" ]; then',
  '  echo "::error::Nothing in $OUTDIR is committed: run the synth command and commit the output once."',
  '  exit 1',
  'fi',
];

const DRIFT_CHECK = [
  'if [ -n "$(git status --porcelain -- "$OUTDIR" ":(top)$WORKFLOW_FILE")" ]; then',
  '  echo "::error::The committed output in $OUTDIR or $WORKFLOW_FILE differs from what the code synthesises; run the synth command and commit the result."',
  '  git status --short -- "$OUTDIR" ":(top)$WORKFLOW_FILE"',
  '  exit 1',
  'fi',
];

const WRITE_DIGEST = [
  'case "$DIGEST" in sha256:*) ;; *) echo "::error::The build job returned no image digest"; exit 1 ;; esac',
  'mkdir -p "$(dirname "$DIGEST_FILE")"',
  'if [ -f "$DIGEST_FILE" ]; then current="$(cat "$DIGEST_FILE")"; else current="{}"; fi',
  'printf \'%s\' "$current" | jq -S --arg image "$IMAGE" --arg digest "$DIGEST" \'.[$image] = $digest\' > "$DIGEST_FILE"',
];

/**
 * Commits and pushes; when the push is refused because another delivery landed first, starts
 * again from the new head (write the digest, synthesise, commit) and retries, up to 5 times.
 */
function commitScript(synthCommand: string): string[] {
  return [
    'git config user.name "github-actions[bot]"',
    'git config user.email "41898282+github-actions[bot]@users.noreply.github.com"',
    'deliver() {',
    '  git add -- "$OUTDIR" "$DIGEST_FILE"',
    '  if git diff --cached --quiet; then',
    '    echo "The manifests already reference ${IMAGE}@${DIGEST}"',
    '    return 1',
    '  fi',
    '  git commit -m "deliver: ${IMAGE}@${DIGEST} [skip ci]"',
    '}',
    'deliver || exit 0',
    'for attempt in 1 2 3 4 5; do',
    '  if git push origin "HEAD:refs/heads/${DELIVER_BRANCH}"; then exit 0; fi',
    '  echo "::warning::Push refused (attempt ${attempt}): another delivery landed first; delivering again on top of it"',
    '  sleep $((attempt * 3))',
    '  git fetch origin "refs/heads/${DELIVER_BRANCH}"',
    '  git reset --hard FETCH_HEAD',
    ...WRITE_DIGEST.map(l => `  ${l}`),
    `  ${synthCommand}`,
    '  deliver || exit 0',
    'done',
    'echo "::error::Could not push to ${DELIVER_BRANCH} after 5 attempts"',
    'exit 1',
  ];
}

function script(lines: readonly string[]): string {
  return `${lines.join('\n')}\n`;
}

/**
 * `cloudnative-constructs plan`: synthesises with the synth command into a temporary folder and
 * compares with `$OUTDIR` as committed at `base` (read from git); exit 1 on refused changes and
 * prunes, which fails the step.
 */
function planCommand(input: DeliveryWorkflowInput, base?: string): string {
  return `npx --no-install cloudnative-constructs plan --command "$SYNTH_COMMAND" --outdir "$OUTDIR"${base ? ` --base "${base}"` : ''}`
    + ` --summary "$GITHUB_STEP_SUMMARY"${input.plan?.allowPrune ? ' --allow-prune' : ''}`;
}

/**
 * The plan of a pull request: what merging it changes against the base branch's committed
 * output, before it is merged (the drift check makes every change of the code carry its output,
 * so by the time it reaches the deliver branch the change is already what ArgoCD syncs). Read-only
 * token; the base branch is fetched by checking out every branch; the base branch name reaches
 * the script through env only.
 */
function pullRequestPlanJob(input: DeliveryWorkflowInput): WorkflowJob {
  return {
    name: 'Plan the manifests against the base branch',
    if: "github.event_name == 'pull_request'",
    runsOn: input.runsOn,
    permissions: { contents: 'read' },
    timeoutMinutes: 20,
    env: { OUTDIR: input.outdir, SYNTH_COMMAND: input.synthCommand, BASE_REF: '${{ github.base_ref }}' },
    steps: [
      checkout(false, 0),
      { name: 'Set up Node.js', uses: ACTIONS.setupNode, with: { 'node-version': input.nodeVersion, 'cache': 'npm', ...cachePath(input) } },
      { name: 'Install dependencies', run: input.install, workingDirectory: input.workingDirectory },
      {
        name: 'Plan against the base branch: refused changes and prunes fail the check',
        run: script([planCommand(input, 'origin/${BASE_REF}')]),
        workingDirectory: input.workingDirectory,
      },
    ],
  };
}

function deliverJob(input: DeliveryWorkflowInput): WorkflowJob {
  const wd = input.workingDirectory;
  return {
    name: 'Deliver manifests',
    needs: ['build', ...(input.scan ? ['scan'] : []), ...(input.sign ? ['sign'] : [])],
    if: `${NOT_PR} && github.ref == ${expressionString(`refs/heads/${input.deliverBranch}`)}`,
    runsOn: input.runsOn,
    permissions: { contents: 'write' },
    timeoutMinutes: 20,
    // every Pipeline delivering to this branch pushes one at a time (a pending run waits)
    concurrency: { group: `gitops-deliver-${input.deliverBranch}`, cancelInProgress: false },
    env: {
      OUTDIR: input.outdir,
      WORKFLOW_FILE: input.workflowPath,
      DIGEST_FILE: input.digestFile,
      DELIVER_BRANCH: input.deliverBranch,
      SYNTH_COMMAND: input.synthCommand,
    },
    steps: [
      checkout(true),
      { name: 'Set up Node.js', uses: ACTIONS.setupNode, with: { 'node-version': input.nodeVersion } },
      { name: 'Install dependencies', run: input.install, workingDirectory: wd },
      { name: 'Fail if the committed output drifted', run: script([input.synthCommand, ...OUTPUT_CHECK, ...DRIFT_CHECK]), workingDirectory: wd },
      { name: 'Point the manifests at the pushed digest', run: script(WRITE_DIGEST), env: { DIGEST }, workingDirectory: wd },
      { name: 'Synthesise the manifests', run: script([input.synthCommand]), workingDirectory: wd },
      ...(input.plan ? [{
        name: 'Plan: refuse changes the cluster rejects or that prune live objects',
        run: script([planCommand(input)]),
        workingDirectory: wd,
      }] : []),
      { name: 'Commit the manifests for ArgoCD', run: script(commitScript(input.synthCommand)), env: { DIGEST }, workingDirectory: wd },
    ],
  };
}

/**
 * The delivery workflow: test → build & push (provenance, SBOM) → scan (SARIF, severity gate) →
 * keyless cosign signing → delivery of the synthesised manifests pinned to the pushed digest.
 * Pull requests run `test`, `build` (without pushing) and, unless switched off, `plan`.
 */
export function deliveryWorkflow(input: DeliveryWorkflowInput): Workflow {
  const jobs: Record<string, WorkflowJob> = { test: testJob(input), build: buildJob(input) };
  if (input.plan?.pullRequests) jobs.plan = pullRequestPlanJob(input);
  if (input.scan) jobs.scan = scanJob(input, input.scan);
  if (input.sign) jobs.sign = signJob(input);
  jobs.deliver = deliverJob(input);
  return {
    name: input.name,
    on: {
      push: { branches: input.branches },
      pullRequest: { branches: input.branches },
      workflowDispatch: true,
    },
    permissions: {},
    concurrency: { group: '${{ github.workflow }}-${{ github.ref }}', cancelInProgress: '${{ github.event_name == \'pull_request\' }}' },
    env: { IMAGE: input.repository },
    jobs,
  };
}
