import { ActionPin } from './actions';

/**
 * The typed model of a GitHub Actions workflow: camelCase fields, each mapped explicitly to its
 * kebab-case (or snake_case) YAML key by `renderWorkflow`.
 *
 * @see https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions
 */

/** Access granted to `GITHUB_TOKEN` for one scope. */
export type PermissionLevel = 'read' | 'write' | 'none';

/**
 * The `GITHUB_TOKEN` scopes a job (or the whole workflow) is granted; scopes left out are `none`.
 * @see https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#permissions
 */
export interface WorkflowPermissions {
  /** `actions` @default - none */
  readonly actions?: PermissionLevel;
  /** `attestations` @default - none */
  readonly attestations?: PermissionLevel;
  /** `checks` @default - none */
  readonly checks?: PermissionLevel;
  /** `contents` @default - none */
  readonly contents?: PermissionLevel;
  /** `deployments` @default - none */
  readonly deployments?: PermissionLevel;
  /** `id-token`: only `write` (request an OIDC token) or `none`. @default - none */
  readonly idToken?: 'write' | 'none';
  /** `issues` @default - none */
  readonly issues?: PermissionLevel;
  /** `packages` @default - none */
  readonly packages?: PermissionLevel;
  /** `pages` @default - none */
  readonly pages?: PermissionLevel;
  /** `pull-requests` @default - none */
  readonly pullRequests?: PermissionLevel;
  /** `security-events` @default - none */
  readonly securityEvents?: PermissionLevel;
  /** `statuses` @default - none */
  readonly statuses?: PermissionLevel;
}

/** Filters of the `push` trigger. */
export interface PushTrigger {
  /** `branches` patterns. @default - every branch */
  readonly branches?: readonly string[];
  /** `tags` patterns. @default - no tag filter */
  readonly tags?: readonly string[];
  /** `paths-ignore` patterns. @default - no path filter */
  readonly pathsIgnore?: readonly string[];
}

/** Filters of the `pull_request` trigger. */
export interface PullRequestTrigger {
  /** Base `branches` patterns. @default - every base branch */
  readonly branches?: readonly string[];
  /** Activity `types`. @default - opened, synchronize, reopened */
  readonly types?: readonly string[];
}

/** The `on:` block. Only events without untrusted-code pitfalls are modelled (no `pull_request_target`). */
export interface WorkflowTriggers {
  /** `push` @default - not triggered by pushes */
  readonly push?: PushTrigger;
  /** `pull_request` @default - not triggered by pull requests */
  readonly pullRequest?: PullRequestTrigger;
  /** `workflow_dispatch` (manual runs, without inputs). @default false */
  readonly workflowDispatch?: boolean;
}

/** `concurrency` of a workflow or job. */
export interface WorkflowConcurrency {
  /** The concurrency group (may be an expression). */
  readonly group: string;
  /** `cancel-in-progress`: a boolean or an expression. @default false */
  readonly cancelInProgress?: boolean | string;
}

/** Fields shared by both kinds of step. */
export interface StepBase {
  /** `name` shown in the run log. @default - derived by GitHub */
  readonly name?: string;
  /** `id`, to read the step's outputs. @default - no id */
  readonly id?: string;
  /** `if` condition (an expression). @default - always runs when the job runs */
  readonly if?: string;
  /** `env` of the step: the only way values from contexts reach `run:` scripts. @default - none */
  readonly env?: Readonly<Record<string, string>>;
  /** `timeout-minutes` of the step. @default - the job's timeout */
  readonly timeoutMinutes?: number;
}

/** A step that runs a shell script. The script must not contain `${{ }}` expressions. */
export interface RunStep extends StepBase {
  /** `run`: the script; pass context values through `env`. */
  readonly run: string;
  /** `working-directory` @default - the workspace */
  readonly workingDirectory?: string;
}

/** A step that runs a pinned action. */
export interface UsesStep extends StepBase {
  /** The action, pinned by SHA; rendered as `uses: owner/repo@sha # tag`. */
  readonly uses: ActionPin;
  /** `with`: the action's inputs. @default - none */
  readonly with?: Readonly<Record<string, string | number | boolean>>;
}

/** One entry of `steps:`. */
export type WorkflowStep = RunStep | UsesStep;

/** One job of `jobs:`. */
export interface WorkflowJob {
  /** `name` shown in the UI. @default - the job id */
  readonly name?: string;
  /** `runs-on`: a runner label. */
  readonly runsOn: string;
  /** `needs`: ids of the jobs that must succeed first. @default - none */
  readonly needs?: readonly string[];
  /** `if` condition (an expression). @default - always runs */
  readonly if?: string;
  /** `permissions` of `GITHUB_TOKEN`: required, so that every job states what it uses. */
  readonly permissions: WorkflowPermissions;
  /** `timeout-minutes`: required, so that no job can hang for GitHub's 6 hours. */
  readonly timeoutMinutes: number;
  /** `concurrency` of this job. @default - the workflow's */
  readonly concurrency?: WorkflowConcurrency;
  /** `outputs`: name → expression. @default - none */
  readonly outputs?: Readonly<Record<string, string>>;
  /** `env` of every step. @default - none */
  readonly env?: Readonly<Record<string, string>>;
  /** `steps` */
  readonly steps: readonly WorkflowStep[];
}

/** A whole workflow file. */
export interface Workflow {
  /** `name` shown in the Actions tab. */
  readonly name: string;
  /** `on`: the triggers. */
  readonly on: WorkflowTriggers;
  /** Top-level `permissions`, the ceiling of every job's. */
  readonly permissions: WorkflowPermissions;
  /** `concurrency` of the whole workflow. @default - no limit */
  readonly concurrency?: WorkflowConcurrency;
  /** `env` of every job. @default - none */
  readonly env?: Readonly<Record<string, string>>;
  /** `jobs`: job id → job, rendered in this order. */
  readonly jobs: Readonly<Record<string, WorkflowJob>>;
}
