import { IConstruct } from 'constructs';
import { propError } from '../internal/core/errors';

const WORKFLOW_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const NODE_VERSION = /^v?(\d+)(\.(\d+|x))?(\.(\d+|x))?$/;
const NODE_ALIAS = /^lts\/(\*|[a-z]+)$/;
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SEVERITIES = ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

/** The oldest Node.js major a workflow may use (older ones are end of life). */
export const MIN_NODE_MAJOR = 18;

/** A workflow name, used as its file name: lowercase letters, digits and '-'. */
export function checkWorkflowName(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 63 || !WORKFLOW_NAME.test(value)) {
    throw propError(scope, prop, value, 'must be at most 63 lowercase letters, digits or \'-\', starting and ending with a letter or digit (it names .github/workflows/<name>.yml), e.g. "delivery"');
  }
  return value;
}

/** A Node.js version as actions/setup-node reads it: `22`, `22.x`, `22.11.0` or an `lts/…` alias. */
export function checkNodeVersion(scope: IConstruct, prop: string, value: string): string {
  const match = typeof value === 'string' ? NODE_VERSION.exec(value) : null;
  if (match ? Number(match[1]) < MIN_NODE_MAJOR : !(typeof value === 'string' && NODE_ALIAS.test(value))) {
    throw propError(scope, prop, value, `must be a Node.js version ${MIN_NODE_MAJOR} or newer such as "22", "22.x" or "22.11.0", or an alias such as "lts/*"`);
  }
  return value;
}

/** A branch name or filter pattern of an `on.push.branches` list. */
export function checkBranchPattern(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0 || /[\s~^:?\\]|\.\.|\$\{\{|^\/|\/$|\.lock$/.test(value)) {
    throw propError(scope, prop, value, 'must be a git branch name or a GitHub filter pattern (e.g. "main" or "release/**"), without spaces, \'..\', \'~\', \'^\', \':\', \'?\' or \'\\\'');
  }
  return value;
}

/** A literal branch name (no filter characters). */
export function checkBranchName(scope: IConstruct, prop: string, value: string): string {
  checkBranchPattern(scope, prop, value);
  if (/[*![\]+]/.test(value)) {
    throw propError(scope, prop, value, 'must be a literal branch name such as "main", not a filter pattern');
  }
  return value;
}

/** The name of a repository or organisation secret. */
export function checkSecretName(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || !SECRET_NAME.test(value) || /^GITHUB_/i.test(value)) {
    throw propError(scope, prop, value, 'must be a secret name of letters, digits and \'_\', not starting with a digit or "GITHUB_" (e.g. "REGISTRY_PASSWORD")');
  }
  return value;
}

/** A path relative to the repository root, without `..` segments or expressions. */
export function checkRepoPath(scope: IConstruct, prop: string, value: string, example: string): string {
  const segments = typeof value === 'string' ? value.split('/') : [];
  if (typeof value !== 'string' || value.length === 0 || value.startsWith('/') || segments.includes('..')
    || /[\s"'`$\\]/.test(value)) {
    throw propError(scope, prop, value, `must be a path relative to the repository root, without '..' segments, spaces, quotes or '$' (e.g. ${JSON.stringify(example)})`);
  }
  return value;
}

/** A shell command run by the workflow: non-empty, one line, no `${{ }}` expressions. */
export function checkCommand(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || value.trim().length === 0 || value.includes('${{')) {
    throw propError(scope, prop, value, 'must be a non-empty shell command without "${{ }}" expressions (pass values through environment variables)');
  }
  return value;
}

/** A comma-separated list of Trivy severities, normalised to upper case. */
export function checkSeverity(scope: IConstruct, prop: string, value: string): string {
  const parts = typeof value === 'string' ? value.split(',').map((s) => s.trim().toUpperCase()) : [];
  if (parts.length === 0 || parts.some((s) => !SEVERITIES.includes(s))) {
    throw propError(scope, prop, value, `must be a comma-separated list of ${SEVERITIES.join(', ')} (e.g. "CRITICAL,HIGH")`);
  }
  return parts.join(',');
}
