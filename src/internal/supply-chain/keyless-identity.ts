import { IConstruct } from 'constructs';
import type { Pipeline } from '../../pipeline';
import { propError } from '../core/errors';

/** The OIDC issuer of GitHub Actions' ID tokens, written into Fulcio certificates as the issuer. */
export const GITHUB_ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com';

/** Which workflow runs may sign: a repository's workflow file on some branches. */
export interface WorkflowIdentityInput {
  readonly pipelines: readonly Pipeline[];
  readonly repository?: string;
  readonly workflowPath?: string;
  readonly branch?: string;
}

const REPOSITORY = /^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+$/;
const WORKFLOW_PATH = /^\.github\/workflows\/[A-Za-z0-9._-]+\.ya?ml$/;
const BRANCH = /^(?!\/|.*\/\/|.*\.\.|.*\/$|.*\.lock$|.*@\{)[A-Za-z0-9._\/-]+$/;
const GITHUB_URL = [
  /^https:\/\/github\.com\/([^/]+\/[^/]+?)(?:\.git)?\/?$/,
  /^ssh:\/\/git@github\.com(?::22)?\/([^/]+\/[^/]+?)(?:\.git)?\/?$/,
  /^git@github\.com:([^/]+\/[^/]+?)(?:\.git)?\/?$/,
];

/**
 * The certificate subjects of the workflow runs that may sign: Fulcio writes a GitHub Actions
 * run's `job_workflow_ref` claim, `https://github.com/<owner>/<repo>/<workflow path>@<ref>`, as
 * the certificate's subject (SAN URI). Given Pipelines, each one's repository (of its
 * `argocd.repoURL`, unless `repository` is given), workflow file and push branches (or `branch`).
 * @see https://docs.sigstore.dev/certificate_authority/oidc-in-fulcio/#github
 * @see https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#understanding-the-oidc-token
 */
export function workflowSubjects(scope: IConstruct, input: WorkflowIdentityInput): string[] {
  const repository = input.repository === undefined ? undefined : checkRepository(scope, input.repository);
  const workflowPath = input.workflowPath === undefined ? undefined : checkWorkflowPath(scope, input.workflowPath);
  const branch = input.branch === undefined ? undefined : checkBranch(scope, 'branch', input.branch);
  if (input.pipelines.length === 0) {
    if (repository === undefined || workflowPath === undefined) {
      throw propError(scope, repository === undefined ? 'repository' : 'workflowPath', undefined,
        'the signing workflow is unknown: give pipeline (the Pipeline that builds and signs the images), or repository ("owner/repo") and workflowPath (".github/workflows/<file>.yml")');
    }
    return [subject(repository, workflowPath, branch ?? 'main')];
  }
  const subjects = input.pipelines.flatMap((pipeline, i) => {
    const prop = input.pipelines.length === 1 ? 'pipeline' : `pipeline[${i}]`;
    if (pipeline.workflow.jobs.sign === undefined) {
      throw propError(scope, prop, pipeline.node.path, 'the Pipeline does not sign its images (sign: false), so the policy would refuse every image it delivers; set sign: true on the Pipeline');
    }
    const repo = repository ?? repositoryOf(scope, prop, pipeline);
    const branches = branch === undefined ? pushBranches(scope, prop, pipeline) : [branch];
    const path = workflowPath ?? checkRunnableWorkflow(scope, prop, pipeline);
    return branches.map(b => subject(repo, path, b));
  });
  return [...new Set(subjects)].sort();
}

function subject(repository: string, workflowPath: string, branch: string): string {
  return `https://github.com/${repository}/${workflowPath}@refs/heads/${branch}`;
}

/** The GitHub repository the Pipeline's workflow runs in: the one its `argocd.repoURL` names. */
function repositoryOf(scope: IConstruct, prop: string, pipeline: Pipeline): string {
  const url = pipeline.application?.spec.source.repoURL;
  if (url === undefined) {
    throw propError(scope, prop, pipeline.node.path,
      'the Pipeline has no argocd.repoURL to derive the signing repository from; give repository ("owner/repo", the GitHub repository its workflow runs in), or argocd.repoURL on the Pipeline');
  }
  for (const pattern of GITHUB_URL) {
    const match = pattern.exec(url);
    if (match) return checkRepository(scope, match[1]);
  }
  throw propError(scope, prop, pipeline.node.path,
    `the Pipeline's argocd.repoURL ${JSON.stringify(url)} is not a github.com repository, so the signing workflow's identity cannot be derived from it; give repository ("owner/repo", the GitHub repository its workflow runs in)`);
}

/** The branches whose pushes run the Pipeline's sign job; patterns cannot name a certificate subject. */
function pushBranches(scope: IConstruct, prop: string, pipeline: Pipeline): string[] {
  const branches = pipeline.workflow.on.push?.branches ?? [];
  for (const b of branches) {
    if (!BRANCH.test(b)) {
      throw propError(scope, prop, pipeline.node.path,
        `the Pipeline runs on branch pattern ${JSON.stringify(b)}, and a certificate subject names one branch; give branch (the branch whose signatures are admitted, e.g. ${JSON.stringify(pipeline.deliverBranch)}, the one it delivers from)`);
    }
  }
  return [...branches];
}

/** The Pipeline's workflow file, where GitHub runs it: directly in `.github/workflows/`. */
function checkRunnableWorkflow(scope: IConstruct, prop: string, pipeline: Pipeline): string {
  if (!WORKFLOW_PATH.test(pipeline.workflowPath)) {
    throw propError(scope, prop, pipeline.node.path,
      `the Pipeline's workflow file ${JSON.stringify(pipeline.workflowPath)} is not directly in .github/workflows/, where GitHub runs workflows, so no run of it signs anything; give workflowPath (the file as the repository that runs it has it, e.g. ".github/workflows/${pipeline.name}.yml")`);
  }
  return pipeline.workflowPath;
}

function checkRepository(scope: IConstruct, value: string): string {
  if (typeof value !== 'string' || !REPOSITORY.test(value)) {
    throw propError(scope, 'repository', value, 'must be a GitHub repository "owner/repo", e.g. "acme/shop"');
  }
  return value;
}

function checkWorkflowPath(scope: IConstruct, value: string): string {
  if (typeof value !== 'string' || !WORKFLOW_PATH.test(value)) {
    throw propError(scope, 'workflowPath', value, 'must be the workflow file from the repository root, e.g. ".github/workflows/deliver.yml"');
  }
  return value;
}

function checkBranch(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || !BRANCH.test(value)) {
    throw propError(scope, prop, value, 'must be one branch name (no pattern), e.g. "main"');
  }
  return value;
}
