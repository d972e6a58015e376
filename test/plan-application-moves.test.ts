import { planManifests } from '../src';
import { parseManifests } from '../src/internal/plan/read-manifests';

/*
 * planManifests tells which ArgoCD Application syncs each object from the file it was read from
 * (as the plan command reads both sides) and the Applications in the output: a directory source
 * reads the manifests of `source.path`, its subfolders only with `directory.recurse`, narrowed by
 * the `include` and `exclude` globs (`*`, `?`, `{a,b}`) matched against the path below `source.path`.
 * https://argo-cd.readthedocs.io/en/stable/user-guide/directory/
 */

/** An Application syncing `path` with the given directory options. */
function application(name: string, path: string, directory: Record<string, unknown> = {}): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: ${name}, namespace: argocd }
spec:
  project: default
  destination: { server: https://kubernetes.default.svc }
  source: { repoURL: https://github.com/acme/shop.git, path: ${path}, directory: ${JSON.stringify(directory)} }
`;
}

const CRON_JOB = 'apiVersion: batch/v1\nkind: CronJob\nmetadata: { name: report, namespace: shop }\nspec: { schedule: "@daily" }\n';
const NAMESPACE = 'apiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n';

/** The objects of `files` (repository path → YAML), each recording its file, as the plan command reads them. */
function output(files: Record<string, string>): unknown[] {
  return Object.entries(files).flatMap(([file, text]) => parseManifests(text, file, file));
}

/** The plan's move findings between two outputs, as `severity object: message` lines. */
function moves(before: Record<string, string>, after: Record<string, string>, allowPrune = false): string[] {
  return planManifests(output(before), output(after), { allowPrune }).findings
    .filter(f => f.message.includes('moves from'))
    .map(f => `${f.severity} ${f.object}: ${f.message.slice(0, f.message.indexOf(':'))}`);
}

const TWO_APPS = application('shop', 'dist', { include: 'shop.k8s.yaml' }) + '---\n' + application('jobs', 'dist', { include: '{jobs,cron}.k8s.yaml' });

describe('planManifests: objects that change Application', () => {
  test('a CronJob moved from the file of one Application to another\'s is an error, a warning with allowPrune', () => {
    const before = { 'dist/argocd/argocd.k8s.yaml': TWO_APPS, 'dist/shop.k8s.yaml': CRON_JOB, 'dist/jobs.k8s.yaml': NAMESPACE.replace('shop', 'jobs') };
    const after = { 'dist/argocd/argocd.k8s.yaml': TWO_APPS, 'dist/shop.k8s.yaml': NAMESPACE.replace('shop', 'other'), 'dist/cron.k8s.yaml': CRON_JOB };
    expect(moves(before, after)).toEqual(['error CronJob shop/report: moves from Application shop to Application jobs']);
    expect(moves(before, after, true)).toEqual(['warning CronJob shop/report: moves from Application shop to Application jobs']);
    const message = planManifests(output(before), output(after)).findings.find(f => f.object === 'CronJob shop/report')!.message;
    expect(message).toBe('moves from Application shop to Application jobs: shop no longer holds it, so its sync prunes the live object (automated prune), '
      + 'while jobs creates it again: whichever syncs first wins; annotate it argocd.argoproj.io/sync-options: Prune=false and sync shop before moving it, '
      + 'or accept the prune (plan --allow-prune)');
  });

  test('healthy twins: the same file, two files of one folder Application, and a file no Application read before', () => {
    const apps = { 'dist/argocd/argocd.k8s.yaml': application('shop', 'dist/shop') };
    expect(moves({ ...apps, 'dist/shop/a.yaml': CRON_JOB }, { ...apps, 'dist/shop/a.yaml': CRON_JOB.replace('@daily', '@hourly') })).toEqual([]);
    expect(moves({ ...apps, 'dist/shop/a.yaml': CRON_JOB }, { ...apps, 'dist/shop/b.yaml': CRON_JOB })).toEqual([]);
    // an object no Application synced (applied by hand) is only adopted
    expect(moves({ ...apps, 'manual/a.yaml': CRON_JOB }, { ...apps, 'dist/shop/a.yaml': CRON_JOB })).toEqual([]);
  });

  test('a Namespace moved into a file no Application syncs says what its prune deletes', () => {
    const apps = { 'dist/argocd/argocd.k8s.yaml': application('shop', 'dist', { include: 'shop.k8s.yaml' }) };
    const finding = planManifests(output({ ...apps, 'dist/shop.k8s.yaml': NAMESPACE }), output({ ...apps, 'dist/other.k8s.yaml': NAMESPACE })).findings;
    expect(finding).toEqual([{
      severity: 'error',
      object: 'Namespace shop',
      message: expect.stringMatching(/^moves from Application shop to a file no Application syncs: shop no longer holds it, so its sync prunes the live object and everything in the namespace/),
    }]);
  });

  test('subfolders count only with recurse; exclude takes files out; the glob matches the path below source.path', () => {
    const plain = { 'dist/argocd/argocd.k8s.yaml': application('shop', 'dist') };
    // without recurse dist/jobs/a.yaml is synced by nobody: moving there leaves Application shop
    expect(moves({ ...plain, 'dist/a.yaml': CRON_JOB }, { ...plain, 'dist/jobs/a.yaml': CRON_JOB })).toEqual(['error CronJob shop/report: moves from Application shop to a file no Application syncs']);
    const recursive = { 'dist/argocd/argocd.k8s.yaml': application('shop', 'dist', { recurse: true, exclude: 'argocd/*' }) };
    expect(moves({ ...recursive, 'dist/a.yaml': CRON_JOB }, { ...recursive, 'dist/jobs/a.yaml': CRON_JOB })).toEqual([]);
    expect(moves({ ...recursive, 'dist/a.yaml': CRON_JOB }, { ...recursive, 'dist/argocd/a.yaml': CRON_JOB })).toEqual(['error CronJob shop/report: moves from Application shop to a file no Application syncs']);
    const globbed = { 'dist/argocd/argocd.k8s.yaml': application('shop', './dist/', { recurse: true, include: 'jobs/*.yaml' }) };
    expect(moves({ ...globbed, 'dist/jobs/a.yaml': CRON_JOB }, { ...globbed, 'dist/jobs/b.yaml': CRON_JOB })).toEqual([]);
    expect(moves({ ...globbed, 'dist/jobs/a.yaml': CRON_JOB }, { ...globbed, 'dist/a.yaml': CRON_JOB })).toEqual(['error CronJob shop/report: moves from Application shop to a file no Application syncs']);
  });

  test('objects synthesised in memory (no file) are never reported as moved', () => {
    const before = output({ 'dist/argocd/argocd.k8s.yaml': TWO_APPS, 'dist/shop.k8s.yaml': CRON_JOB });
    const inMemory = [{ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'report', namespace: 'shop' }, spec: { schedule: '@daily' } }];
    expect(planManifests(before, inMemory).findings.filter(f => f.object === 'CronJob shop/report')).toEqual([]);
  });
});
