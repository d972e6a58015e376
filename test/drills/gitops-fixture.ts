// A GitOps repository for the drills: a cdk8s app (run with tsx, as `cdk8s synth` would) whose
// shape is read from app-config.json, committed output in dist/, and the plan command line.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../../src/internal/plan/plan-cli';

const ROOT = path.resolve(__dirname, '../..');
const LIB = path.join(ROOT, 'src');

/** The shape of the drills' app: a shop (web, api), optionally a database chart and more. */
export interface ShopConfig {
  /** A chart `db` holding Namespace `db` and a StatefulApp with a claim of `dbSize`. */
  readonly db?: boolean;
  readonly dbSize?: string;
  /** `allow(web, api, 8080)`. */
  readonly allow?: boolean;
  /** `Autoscaled` on web (which then drops `spec.replicas: 6`). */
  readonly autoscaled?: boolean;
  /** The chart (namespace `db`) holding the database's StatefulApp, when not the chart `db` itself. */
  readonly dbChart?: string;
  /** A Pipeline writing one ArgoCD Application per chart (`charts: 'all'`, automated prune). */
  readonly argocd?: boolean;
}

/** The app's source: plain cdk8s `new App()` and `app.synth()`, which never removes a file. */
const APP = `import * as fs from 'fs';
import { App, Chart } from 'cdk8s';
import { Autoscaled, NetworkPolicyBundle, Pipeline, SecureNamespace, StatefulApp, WebApp } from ${JSON.stringify(LIB)};
const config = JSON.parse(fs.readFileSync('app-config.json', 'utf8'));
const app = new App();
const shop = new Chart(app, 'shop', { namespace: 'shop' });
new SecureNamespace(shop, 'ns', { name: 'shop', istio: { denyByDefault: true } });
const web = new WebApp(shop, 'web', { image: 'ghcr.io/acme/web:1.0.0', replicas: 6 });
const api = new WebApp(shop, 'api', { image: 'ghcr.io/acme/api:1.0.0' });
if (config.allow) new NetworkPolicyBundle(shop, 'net').allow(web, api, 8080);
if (config.autoscaled) new Autoscaled(shop, 'web-scaling', { target: web, maxReplicas: 10 });
if (config.argocd) new Pipeline(shop, 'delivery', { image: 'ghcr.io/acme/web', synth: { outdir: 'dist' }, argocd: { repoURL: 'https://github.com/acme/shop.git', charts: 'all', automated: true } });
if (config.db) {
  const db = new Chart(app, 'db', { namespace: 'db' });
  new SecureNamespace(db, 'ns', { name: 'db' });
  const data = config.dbChart === undefined ? db : new Chart(app, config.dbChart, { namespace: 'db' });
  new StatefulApp(data, 'postgres', { image: 'postgres:16.2', port: 5432, storage: { size: config.dbSize ?? '50Gi', mountPath: '/var/lib/postgresql/data' } });
}
app.synth();
`;

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Writes the app's shape. */
export function configure(dir: string, config: ShopConfig): void {
  fs.writeFileSync(path.join(dir, 'app-config.json'), JSON.stringify(config));
}

/** Runs the app as `cdk8s synth` does (CDK8S_OUTDIR), into the repository's dist/. */
export function synthInto(dir: string, outdir = 'dist'): void {
  execFileSync('npx', ['tsx', 'app.ts'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CDK8S_OUTDIR: outdir } });
}

/**
 * node_modules as an app repository has it: the library's dependencies (cdk8s, tsx: links to
 * this repository's), and the `cloudnative-constructs` command (this repository's src/cli.ts).
 */
function installLibrary(dir: string): void {
  const modules = path.join(dir, 'node_modules');
  fs.mkdirSync(path.join(modules, '.bin'), { recursive: true });
  for (const entry of fs.readdirSync(path.join(ROOT, 'node_modules'))) {
    if (entry !== '.bin') fs.symlinkSync(path.join(ROOT, 'node_modules', entry), path.join(modules, entry));
  }
  const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
  fs.symlinkSync(fs.realpathSync(tsx), path.join(modules, '.bin', 'tsx'));
  fs.writeFileSync(path.join(modules, '.bin', 'cloudnative-constructs'), `#!/bin/sh\nexec ${JSON.stringify(tsx)} ${JSON.stringify(path.join(LIB, 'cli.ts'))} "$@"\n`, { mode: 0o755 });
}

/** A git repository whose `main` holds the app and its output, synthesised from `config` and committed. */
export function committedShop(config: ShopConfig): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnc-drill-'));
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.email', 'drill@example.com');
  git(dir, 'config', 'user.name', 'drill');
  installLibrary(dir);
  fs.writeFileSync(path.join(dir, '.gitignore'), 'node_modules\n');
  fs.writeFileSync(path.join(dir, 'app.ts'), APP);
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), 'language: typescript\napp: npx tsx app.ts\n');
  configure(dir, config);
  synthInto(dir);
  git(dir, 'add', '.');
  git(dir, 'commit', '-qm', 'committed output');
  return dir;
}

/** `cloudnative-constructs plan <args>` in `dir`: exit code and what it printed. */
export function planCli(dir: string, ...args: string[]): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const code = runCli(['plan', ...args], { cwd: dir, out: s => out.push(s), err: s => err.push(s) });
  return { code, out: out.join(''), err: err.join('') };
}
