import { containersOf, podTemplateOf, specPath } from './pod-specs';
import { HardeningRule, join, Manifest, Problem, problem } from './types';

/** Every hardening rule, in report order. */
export const HARDENING_RULES: HardeningRule[] = ['readOnlyRootFilesystem', 'resources', 'pinnedImage', 'serviceAccountToken'];

/** True when `image` names a release tag (a version number, no channel word) or an `@sha256:` digest. */
export function isPinnedImage(image: unknown): boolean {
  if (typeof image !== 'string' || image === '') return false;
  if (/@sha256:[a-f0-9]{64}$/.test(image)) return true;
  const last = image.split('/').pop() ?? '';
  const colon = last.lastIndexOf(':');
  if (colon <= 0 || colon === last.length - 1) return false;
  // a tag naming a release has a version number and no channel word (redis:alpine, node:lts and
  // nginx:mainline-alpine3.19 move with each release, like latest)
  const tag = last.slice(colon + 1);
  const channels = ['latest', 'stable', 'mainline', 'edge', 'nightly', 'dev', 'develop', 'main', 'master', 'lts', 'current', 'snapshot', 'head', 'trunk'];
  return /[0-9]/.test(tag) && !tag.toLowerCase().split(/[-._]/).some(word => channels.includes(word));
}

/**
 * Our hardening rules on every pod template: read-only root filesystem, cpu+memory requests
 * and a memory limit, pinned images, no service-account token. `skip` turns rules off.
 */
export function hardeningProblems(obj: Manifest, skip: readonly HardeningRule[] = []): Problem[] {
  const t = podTemplateOf(obj);
  if (!t) return [];
  const out: Problem[] = [];
  const on = (rule: HardeningRule) => !skip.includes(rule);
  const fail = (rule: HardeningRule, path: string, msg: string) => out.push(problem(obj, path, `hardening/${rule}: ${msg}`));
  if (on('serviceAccountToken') && t.spec?.automountServiceAccountToken !== false) {
    fail('serviceAccountToken', join(specPath(t), 'automountServiceAccountToken'), 'must be false (no service-account token unless asked)');
  }
  for (const { container: c, path, list } of containersOf(t)) {
    if (on('readOnlyRootFilesystem') && c?.securityContext?.readOnlyRootFilesystem !== true) {
      fail('readOnlyRootFilesystem', join(path, 'securityContext.readOnlyRootFilesystem'), 'must be true (mount emptyDir volumes for writable paths)');
    }
    if (on('pinnedImage') && !isPinnedImage(c?.image)) {
      fail('pinnedImage', join(path, 'image'), `image "${c?.image}" must be pinned to a release tag (a version number, no channel such as latest, stable or lts) or to an @sha256 digest`);
    }
    // Ephemeral containers cannot have resources.
    if (on('resources') && list !== 'ephemeralContainers') {
      const r = c?.resources ?? {};
      for (const [kind, res] of [['requests', 'cpu'], ['requests', 'memory'], ['limits', 'memory']]) {
        if (r[kind]?.[res] === undefined) fail('resources', join(join(path, 'resources'), `${kind}.${res}`), `${res} ${kind === 'requests' ? 'request' : 'limit'} is missing`);
      }
    }
  }
  return out;
}
