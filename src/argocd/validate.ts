import { IConstruct } from 'constructs';
import { propError } from '../internal/core/errors';

const HTTPS_URL = /^https:\/\/[A-Za-z0-9.-]+(:\d+)?\/[^\s]+$/;
const SSH_URL = /^ssh:\/\/[A-Za-z0-9._-]+@[A-Za-z0-9.-]+(:\d+)?\/[^\s]+$/;
const SCP_URL = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\s/][^\s]*$/;

/** The Git repository ArgoCD pulls: an `https://`, `ssh://` or `git@host:org/repo` URL. */
export function checkRepoUrl(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || !(HTTPS_URL.test(value) || SSH_URL.test(value) || SCP_URL.test(value))) {
    const hint = typeof value === 'string' && /^http:\/\//.test(value) ? ` (did you mean ${JSON.stringify(value.replace(/^http:/, 'https:'))}?)` : '';
    throw propError(scope, prop, value, `must be a Git repository URL such as "https://github.com/acme/shop.git" or "git@github.com:acme/shop.git"${hint}`);
  }
  return value;
}
