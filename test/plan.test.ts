import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { committedObjects, formatPlan, plan, planManifests, SecureNamespace, synth, synthObjects, WebApp, WebAppProps } from '../src';
import { runCli } from '../src/internal/plan/plan-cli';

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cnc-plan-'));
}

/** The shop app as committed: a namespace, a web app, RBAC. */
function shopApp(outdir: string, web: Partial<WebAppProps> = {}, access = { viewers: ['support'] }): { app: App; web: WebApp } {
  const app = new App({ outdir });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new SecureNamespace(chart, 'ns', { name: 'shop', access });
  const webApp = new WebApp(chart, 'web', { image: 'ghcr.io/acme/web:1.0.0', replicas: 3, ...web });
  return { app, web: webApp };
}

/** Writes the app as it is committed and returns the folder. */
function commit(app: App): string {
  synth(app);
  return app.outdir;
}

function yamlObjects(text: string): unknown[] {
  return parseAllDocuments(text).map(d => d.toJS());
}

describe('plan(app, committedDir) on synthesised pairs', () => {
  test('nothing changed: everything unchanged, ok', () => {
    const dir = commit(shopApp(tmp()).app);
    const result = plan(shopApp(tmp()).app, dir);
    expect(result).toMatchObject({ added: [], changed: [], removed: [], findings: [], ok: true });
    expect(result.unchanged).toBeGreaterThan(10);
  });

  test('an image bump and a replica change are harmless changes, with a compact field diff', () => {
    const dir = commit(shopApp(tmp()).app);
    const result = plan(shopApp(tmp(), { image: 'ghcr.io/acme/web:1.1.0', replicas: 5 }).app, dir);
    expect(result.ok).toBe(true);
    expect(result.findings).toEqual([]);
    const deployment = result.changed.find(c => c.object === 'Deployment shop/web')!;
    expect(deployment.fields).toEqual(expect.arrayContaining([
      { path: 'spec.replicas', before: 3, after: 5 },
      { path: 'spec.template.spec.containers[web].image', before: 'ghcr.io/acme/web:1.0.0', after: 'ghcr.io/acme/web:1.1.0' },
    ]));
    expect(formatPlan(result)).toContain('spec.template.spec.containers[web].image: "ghcr.io/acme/web:1.0.0" → "ghcr.io/acme/web:1.1.0"');
  });

  test('a changed Deployment selector is refused by the API server: an error naming object and field', () => {
    const dir = commit(shopApp(tmp()).app);
    const { app, web } = shopApp(tmp());
    ApiObject.of(web.deployment).addJsonPatch(JsonPatch.add('/spec/selector/matchLabels/track', 'blue'), JsonPatch.add('/spec/template/metadata/labels/track', 'blue'));
    const result = plan(app, dir);
    expect(result.ok).toBe(false);
    expect(result.findings).toEqual([expect.objectContaining({ severity: 'error', object: 'Deployment shop/web', field: 'spec.selector' })]);
    expect(result.findings[0].message).toMatch(/spec.selector is immutable in apps\/v1: .* the API server refuses the update/);
  });

  test('a renamed WebApp is a rename: ArgoCD prunes the live Deployment and its pods', () => {
    const dir = commit(shopApp(tmp()).app);
    const result = plan(shopApp(tmp(), { name: 'storefront' }).app, dir);
    expect(result.ok).toBe(false);
    expect(result.removed).toContain('Deployment shop/web');
    expect(result.added).toContain('Deployment shop/storefront');
    expect(result.findings).toContainEqual(expect.objectContaining({
      severity: 'error',
      object: 'Deployment shop/web',
      message: expect.stringMatching(/^renamed to storefront: ArgoCD creates the new object and prunes the live web and its pods/),
    }));
  });

  test('allowPrune turns removals into warnings', () => {
    const dir = commit(shopApp(tmp()).app);
    const result = plan(shopApp(tmp(), { name: 'storefront' }).app, dir, { allowPrune: true });
    expect(result.ok).toBe(true);
    expect(result.findings.every(f => f.severity === 'warning')).toBe(true);
  });

  test('a removed namespace says that everything in it goes', () => {
    const dir = commit(shopApp(tmp()).app);
    const app = new App({ outdir: tmp() });
    new Chart(app, 'shop', { namespace: 'shop' });
    const result = plan(app, dir);
    expect(result.findings).toContainEqual(expect.objectContaining({ object: 'Namespace shop', message: expect.stringMatching(/and everything in the namespace/) }));
  });

  test('committedObjects reads the output as committed in git, whatever the working tree holds', () => {
    const dir = tmp();
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
    git('init', '-q');
    git('config', 'user.email', 't@example.com');
    git('config', 'user.name', 't');
    const { app } = shopApp(path.join(dir, 'dist'));
    synth(app);
    git('add', '.');
    git('commit', '-qm', 'output');
    fs.writeFileSync(path.join(dir, 'dist', 'shop.k8s.yaml'), '');
    const result = planManifests(committedObjects({ outdir: 'dist', cwd: dir }), synthObjects(shopApp(tmp()).app));
    expect(result).toMatchObject({ added: [], changed: [], removed: [], ok: true });
    expect(() => committedObjects({ outdir: 'dist', cwd: dir, base: 'nope' })).toThrow(/--base "nope" is not a commit of this repository/);
  });

  test('fails clearly when the committed folder does not exist', () => {
    expect(() => plan(shopApp(tmp()).app, path.join(tmp(), 'nope'))).toThrow(/plan: the committed output folder ".*nope" does not exist or is not a folder/);
  });
});

const STATEFUL_SET = `apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db, namespace: shop }
spec:
  serviceName: db-headless
  podManagementPolicy: OrderedReady
  replicas: 3
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec: { containers: [{ name: db, image: "postgres:16.2" }] }
  volumeClaimTemplates:
    - metadata: { name: data }
      spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 10Gi } } }
`;

const BINDING = `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: viewers, namespace: shop }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view }
subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: Group, name: support }]
`;

/** `base` with each `[from, to]` textual replacement applied: a real edited manifest. */
function edit(base: string, ...replacements: Array<[string, string]>): string {
  return replacements.reduce((text, [from, to]) => {
    if (!text.includes(from)) throw new Error(`fixture does not contain ${from}`);
    return text.replace(from, to);
  }, base);
}

function findingsOf(before: string, after: string) {
  return planManifests(yamlObjects(before), yamlObjects(after)).findings.map(f => [f.object, f.field]);
}

describe('planManifests: refused changes on committed/new YAML pairs', () => {
  test('StatefulSet: volumeClaimTemplates, serviceName and podManagementPolicy are refused; replicas and image are not', () => {
    expect(findingsOf(STATEFUL_SET, edit(STATEFUL_SET, ['storage: 10Gi', 'storage: 20Gi']))).toEqual([['StatefulSet shop/db', 'spec.volumeClaimTemplates[data].spec.resources.requests.storage']]);
    expect(findingsOf(STATEFUL_SET, edit(STATEFUL_SET, ['[ReadWriteOnce]', '[ReadWriteOncePod]']))).toEqual([['StatefulSet shop/db', 'spec.volumeClaimTemplates']]);
    expect(findingsOf(STATEFUL_SET, edit(STATEFUL_SET, ['serviceName: db-headless', 'serviceName: db']))).toEqual([['StatefulSet shop/db', 'spec.serviceName']]);
    expect(findingsOf(STATEFUL_SET, edit(STATEFUL_SET, ['OrderedReady', 'Parallel']))).toEqual([['StatefulSet shop/db', 'spec.podManagementPolicy']]);
    expect(findingsOf(STATEFUL_SET, edit(STATEFUL_SET, ['replicas: 3', 'replicas: 5'], ['postgres:16.2', 'postgres:16.3']))).toEqual([]);
    expect(findingsOf(STATEFUL_SET, edit(STATEFUL_SET, ['matchLabels: { app: db }', 'matchLabels: { app: db2 }'], ['labels: { app: db }', 'labels: { app: db2 }'])))
      .toEqual([['StatefulSet shop/db', 'spec.selector']]);
  });

  const DAEMON_SET = `apiVersion: apps/v1
kind: DaemonSet
metadata: { name: agent, namespace: ops }
spec:
  selector: { matchLabels: { app: agent } }
  template: { metadata: { labels: { app: agent } }, spec: { containers: [{ name: a, image: "agent:1" }] } }
`;
  test('DaemonSet: selector refused, image not', () => {
    expect(findingsOf(DAEMON_SET, edit(DAEMON_SET, ['matchLabels: { app: agent }', 'matchLabels: { app: agent, tier: node }']))).toEqual([['DaemonSet ops/agent', 'spec.selector']]);
    expect(findingsOf(DAEMON_SET, edit(DAEMON_SET, ['agent:1', 'agent:2']))).toEqual([]);
  });

  const SERVICE = `apiVersion: v1
kind: Service
metadata: { name: db-headless, namespace: shop }
spec:
  clusterIP: None
  selector: { app: db }
  ports: [{ name: pg, port: 5432, targetPort: 5432 }]
`;
  test('Service: clusterIP changes and a headless Service becoming NodePort are refused; a port change is not', () => {
    expect(findingsOf(SERVICE, edit(SERVICE, ['  clusterIP: None\n', '']))).toEqual([['Service shop/db-headless', 'spec.clusterIP']]);
    expect(findingsOf(SERVICE, edit(SERVICE, ['clusterIP: None', 'clusterIP: None\n  type: NodePort']))).toEqual([['Service shop/db-headless', 'spec.type']]);
    expect(findingsOf(SERVICE, edit(SERVICE, ['port: 5432,', 'port: 5433,']))).toEqual([]);
  });

  const JOB = `apiVersion: batch/v1
kind: Job
metadata: { name: migrate, namespace: shop }
spec:
  backoffLimit: 2
  template:
    spec: { restartPolicy: Never, containers: [{ name: m, image: "migrate:1" }] }
`;
  test('Job: a new template is refused (a Job runs once; give it a new name)', () => {
    expect(findingsOf(JOB, edit(JOB, ['migrate:1', 'migrate:2']))).toEqual([['Job shop/migrate', 'spec.template']]);
  });

  test('RoleBinding and ClusterRoleBinding: roleRef refused, subjects not', () => {
    expect(findingsOf(BINDING, edit(BINDING, ['name: view }', 'name: edit }']))).toEqual([['RoleBinding shop/viewers', 'roleRef']]);
    expect(findingsOf(BINDING, edit(BINDING, ['name: support', 'name: helpdesk']))).toEqual([]);
    const cluster = edit(BINDING, ['kind: RoleBinding', 'kind: ClusterRoleBinding'], ['name: viewers, namespace: shop', 'name: viewers']);
    expect(findingsOf(cluster, edit(cluster, ['name: view }', 'name: admin }']))).toEqual([['ClusterRoleBinding viewers', 'roleRef']]);
  });

  const CLAIM = `apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: uploads, namespace: shop }
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: standard
  resources: { requests: { storage: 5Gi } }
`;
  test('PersistentVolumeClaim: storage class and access modes refused, a larger request not', () => {
    expect(findingsOf(CLAIM, edit(CLAIM, ['standard', 'fast']))).toEqual([['PersistentVolumeClaim shop/uploads', 'spec.storageClassName']]);
    expect(findingsOf(CLAIM, edit(CLAIM, ['[ReadWriteOnce]', '[ReadWriteMany]']))).toEqual([['PersistentVolumeClaim shop/uploads', 'spec.accessModes[0]']]);
    expect(findingsOf(CLAIM, edit(CLAIM, ['5Gi', '10Gi']))).toEqual([]);
    expect(findingsOf(CLAIM, edit(CLAIM, ['5Gi', '5000Mi']))).toEqual([['PersistentVolumeClaim shop/uploads', 'spec.resources.requests.storage']]);
  });

  test('long values are shown where they differ, not cut to the same prefix', () => {
    const long = (end: string) => `apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: shop }
data: { RULES: "${'allow-all-internal-traffic;'.repeat(6)}${end}" }
`;
    const text = formatPlan(planManifests(yamlObjects(long('deny=payments')), yamlObjects(long('deny=billing'))));
    const line = text.split('\n').find(l => l.includes('data.RULES'))!;
    expect(line).toMatch(/data\.RULES: ….*deny=payments" → ….*deny=billing"$/);
    expect(line.length).toBeLessThan(200);
  });

  const CONFIG = `apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: shop }
immutable: true
data: { MODE: a }
`;
  test('an immutable ConfigMap or Secret cannot change its data; a mutable one can', () => {
    expect(findingsOf(CONFIG, edit(CONFIG, ['MODE: a', 'MODE: b']))).toEqual([['ConfigMap shop/settings', 'data']]);
    const secret = edit(CONFIG, ['apiVersion: v1\nkind: ConfigMap', 'apiVersion: v1\nkind: Secret'], ['data: { MODE: a }', 'stringData: { MODE: a }']);
    expect(findingsOf(secret, edit(secret, ['MODE: a', 'MODE: b']))).toEqual([['Secret shop/settings', 'stringData']]);
    const mutable = edit(CONFIG, ['immutable: true\n', '']);
    expect(findingsOf(mutable, edit(mutable, ['MODE: a', 'MODE: b']))).toEqual([]);
  });

  test('a moved object (another namespace) is a removal plus an addition: pruned', () => {
    const result = planManifests(yamlObjects(CLAIM), yamlObjects(edit(CLAIM, ['namespace: shop', 'namespace: store'])));
    expect(result.added).toEqual(['PersistentVolumeClaim store/uploads']);
    expect(result.removed).toEqual(['PersistentVolumeClaim shop/uploads']);
    expect(result.findings[0].message).toMatch(/removed: ArgoCD prunes the live object and, with a Delete reclaim policy, its volume and data/);
  });

  test('the Markdown summary lists errors with object and field', () => {
    const md = formatPlan(planManifests(yamlObjects(BINDING), yamlObjects(edit(BINDING, ['name: view }', 'name: edit }']))), 'markdown');
    expect(md).toMatch(/^### Plan: 0 to add, 1 to change, 0 to remove, 0 unchanged; 1 error\(s\), 0 warning\(s\)\n/);
    expect(md).toContain('- **error** `RoleBinding shop/viewers` `roleRef`: roleRef is immutable');
  });
});

describe('cloudnative-constructs plan (command line)', () => {
  function io(cwd: string) {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { cwd, out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
  }
  /** A repository whose dist/ holds BINDING, committed, and an app (write.js) that writes `next` into CDK8S_OUTDIR. */
  function repo(next: string = BINDING): string {
    const dir = tmp();
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
    git('init', '-q');
    git('config', 'user.email', 't@example.com');
    git('config', 'user.name', 't');
    fs.mkdirSync(path.join(dir, 'dist'));
    fs.writeFileSync(path.join(dir, 'dist', 'shop.k8s.yaml'), BINDING);
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), 'language: typescript\napp: node write.js\n');
    git('add', '.');
    git('commit', '-qm', 'init');
    writeApp(dir, next);
    return dir;
  }
  function writeApp(dir: string, next: string): void {
    fs.writeFileSync(path.join(dir, 'write.js'), `const fs = require('fs'); fs.mkdirSync(process.env.CDK8S_OUTDIR, { recursive: true }); fs.writeFileSync(process.env.CDK8S_OUTDIR + '/shop.k8s.yaml', ${JSON.stringify(next)});`);
  }

  test('synthesises into a temporary folder and compares with dist/ at git HEAD; exit 1 on a refused change, summary appended', () => {
    const dir = repo(edit(BINDING, ['name: view }', 'name: edit }']));
    const summary = path.join(dir, 'summary.md');
    const { io: cli, out } = io(dir);
    expect(runCli(['plan', '--summary', summary], cli)).toBe(1);
    expect(out.join('')).toContain('ERROR RoleBinding shop/viewers roleRef');
    expect(fs.readFileSync(summary, 'utf8')).toContain('**error** `RoleBinding shop/viewers` `roleRef`');
    // the committed folder is untouched
    expect(fs.readFileSync(path.join(dir, 'dist', 'shop.k8s.yaml'), 'utf8')).toEqual(BINDING);
  });

  test('exit 0 for harmless changes', () => {
    const { io: cli, out } = io(repo(edit(BINDING, ['name: support', 'name: helpdesk'])));
    expect(runCli(['plan'], cli)).toBe(0);
    expect(out.join('')).toMatch(/Plan: 0 to add, 1 to change, 0 to remove, 0 unchanged; 0 error/);
    expect(out.join('')).toContain('subjects[support]');
  });

  test('--base compares with another commit; an unknown base is an error naming how to fetch it', () => {
    const dir = repo();
    execFileSync('git', ['branch', 'base'], { cwd: dir });
    fs.writeFileSync(path.join(dir, 'dist', 'shop.k8s.yaml'), '');
    execFileSync('git', ['commit', '-qam', 'emptied'], { cwd: dir });
    const { io: cli, out, err } = io(dir);
    expect(runCli(['plan'], cli)).toBe(0);
    expect(out.join('')).toMatch(/Plan: 1 to add/);
    expect(runCli(['plan', '--base', 'base'], cli)).toBe(0);
    expect(out.join('')).toMatch(/Plan: 0 to add, 0 to change, 0 to remove, 1 unchanged/);
    expect(runCli(['plan', '--base', 'origin/main'], cli)).toBe(2);
    expect(err.join('')).toMatch(/--base "origin\/main" is not a commit of this repository; fetch it first \(in GitHub Actions: actions\/checkout with fetch-depth: 0/);
  });

  test('an output folder git ignores, or never committed, is an error, not "everything added"', () => {
    const ignored = repo();
    fs.writeFileSync(path.join(ignored, '.gitignore'), 'dist/\n');
    const a = io(ignored);
    expect(runCli(['plan'], a.io)).toBe(2);
    expect(a.err.join('')).toMatch(/git ignores dist\/, dist\/shop.k8s.yaml .*remove the output folder from \.gitignore and commit it/);
    const missing = repo();
    const b = io(missing);
    expect(runCli(['plan', '--outdir', 'manifests'], b.io)).toBe(2);
    expect(b.err.join('')).toMatch(/nothing is committed under "manifests" at HEAD: commit the synthesised output there first/);
  });

  test('an app that ignores CDK8S_OUTDIR is an error: nothing was synthesised into the temporary folder', () => {
    const dir = repo();
    fs.writeFileSync(path.join(dir, 'write.js'), 'require("fs").writeFileSync("dist/shop.k8s.yaml", "");');
    const { io: cli, err } = io(dir);
    expect(runCli(['plan'], cli)).toBe(2);
    expect(err.join('')).toMatch(/wrote no manifest into the temporary folder CDK8S_OUTDIR=.*create the App without an outdir/);
  });

  test('--command runs a shell command; a cdk8s synth command gets --output <temporary folder>', () => {
    const dir = repo();
    fs.writeFileSync(path.join(dir, 'fake-cdk8s.js'), `const o = process.argv[process.argv.indexOf('--output') + 1]; require('fs').mkdirSync(o, { recursive: true }); require('fs').writeFileSync(o + '/shop.k8s.yaml', ${JSON.stringify(BINDING)});`);
    const { io: cli, out } = io(dir);
    expect(runCli(['plan', '--command', 'node fake-cdk8s.js cdk8s synth && true'], cli)).toBe(0);
    expect(out.join('')).toMatch(/0 to remove, 1 unchanged/);
  });

  test('--committed compares with a folder (never the output folder); --app runs a module; bad options exit 2', () => {
    const dir = repo();
    fs.writeFileSync(path.join(dir, 'app.js'), 'require("fs").mkdirSync(process.env.CDK8S_OUTDIR); require("fs").writeFileSync(process.env.CDK8S_OUTDIR + "/shop.k8s.yaml", "");');
    const { io: cli, out, err } = io(dir);
    expect(runCli(['plan', '--app', 'app.js', '--committed', 'dist-old'], cli)).toBe(2);
    expect(err.join('')).toMatch(/committed output folder ".*dist-old" does not exist/);
    fs.mkdirSync(path.join(dir, 'dist-old'));
    fs.writeFileSync(path.join(dir, 'dist-old', 'a.yaml'), BINDING);
    expect(runCli(['plan', '--app', 'app.js', '--committed', 'dist-old', '--allow-prune'], cli)).toBe(0);
    expect(out.join('')).toContain('WARNING RoleBinding shop/viewers: removed');
    expect(runCli(['plan', '--committed', 'dist'], cli)).toBe(2);
    expect(err.join('')).toContain('--committed dist is the output folder, which holds whatever was synthesised last');
    expect(runCli(['plan', '--bogus'], cli)).toBe(2);
    expect(err.join('')).toContain('unknown option "--bogus"');
    expect(runCli(['plan', '--no-synth'], cli)).toBe(2);
    expect(err.join('')).toContain('--no-synth is gone: plan always synthesises into a temporary folder');
  });
});
