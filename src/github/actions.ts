/**
 * A third-party GitHub Action pinned to the full commit SHA of a release tag.
 *
 * @see https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#using-third-party-actions
 */
export interface ActionPin {
  /** `owner/repo`, e.g. `actions/checkout`. */
  readonly repository: string;
  /** Sub-directory of a multi-action repository, e.g. `upload-sarif`. @default - the repository root */
  readonly path?: string;
  /** The full 40-hex commit SHA the release tag points to. */
  readonly sha: string;
  /** The release tag the SHA was read from, written as a comment after `uses:`. */
  readonly tag: string;
}

/** The actions of the {@link ACTIONS} table. */
export type ActionName = 'checkout' | 'setupNode' | 'setupBuildx' | 'login' | 'metadata' | 'buildPush' | 'trivy' | 'uploadSarif' | 'cosignInstaller';

/**
 * Every action this library renders, in one table: the latest stable release of the chosen
 * major version, pinned to the commit its tag points to (peeled tags, read from the public
 * repositories; never typed by hand). Renovate or Dependabot can bump these together.
 */
export const ACTIONS: Readonly<Record<ActionName, ActionPin>> = {
  checkout: { repository: 'actions/checkout', sha: '3d3c42e5aac5ba805825da76410c181273ba90b1', tag: 'v7.0.1' },
  setupNode: { repository: 'actions/setup-node', sha: '820762786026740c76f36085b0efc47a31fe5020', tag: 'v7.0.0' },
  setupBuildx: { repository: 'docker/setup-buildx-action', sha: '37fe631027851001ddb9b187196cc803df7f5f0e', tag: 'v4.3.0' },
  login: { repository: 'docker/login-action', sha: '4907a6ddec9925e35a0a9e82d7399ccc52663121', tag: 'v4.1.0' },
  metadata: { repository: 'docker/metadata-action', sha: 'dc802804100637a589fabce1cb79ff13a1411302', tag: 'v6.2.0' },
  buildPush: { repository: 'docker/build-push-action', sha: '53b7df96c91f9c12dcc8a07bcb9ccacbed38856a', tag: 'v7.3.0' },
  trivy: { repository: 'aquasecurity/trivy-action', sha: 'ed142fd0673e97e23eac54620cfb913e5ce36c25', tag: 'v0.36.0' },
  uploadSarif: { repository: 'github/codeql-action', path: 'upload-sarif', sha: '8aad20d150bbac5944a9f9d289da16a4b0d87c1e', tag: 'v4.36.2' },
  cosignInstaller: { repository: 'sigstore/cosign-installer', sha: '6f9f17788090df1f26f669e9d70d6ae9567deba6', tag: 'v4.1.2' },
};

/** The `uses:` value of a pinned action: `owner/repo[/path]@sha`. */
export function usesOf(action: ActionPin): string {
  return `${action.repository}${action.path ? `/${action.path}` : ''}@${action.sha}`;
}
