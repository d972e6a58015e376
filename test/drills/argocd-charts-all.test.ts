// Drill: `argocd: { charts: 'all' }` syncs every chart of the App as it is at synthesis, whatever
// the order of construction. The failure it exists for: a namespace chart created after the
// Pipeline is written to the output folder, yet no Application syncs it — nothing of it ever
// reaches the cluster, and nothing says so. On main before this change: the chart `payments`,
// created after the Pipeline, had no Application in any output type (the Applications were made
// from the charts that existed when the Pipeline was constructed).
//
// What ArgoCD syncs is modelled from its docs: an Application applies the manifests of
// `spec.source.path`, restricted to the files matching the glob `directory.include` when given
// (brace alternatives `{a,b}` allowed), non-recursively.
// https://argo-cd.readthedocs.io/en/stable/user-guide/directory/#including-only-certain-files
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, YamlOutputType } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { Pipeline, SecureNamespace, synth, WebApp } from '../../src';

const REPO = 'https://github.com/acme/platform.git';
const OUTPUT_TYPES = (['FILE_PER_CHART', 'FILE_PER_RESOURCE', 'FOLDER_PER_CHART_FILE_PER_RESOURCE'] as const).map(name => [name, YamlOutputType[name]] as const);

/** Every file under `dir`, relative to it, `/`-separated. */
function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter(f => fs.statSync(path.join(dir, f)).isFile())
    .map(f => f.split(path.sep).join('/'))
    .sort();
}

/** ArgoCD's directory glob: `*` within a name, `{a,b}` alternatives. */
function globMatches(glob: string, name: string): boolean {
  const regex = glob.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')
    .replace(/\{([^}]*)\}/g, (_, alts: string) => `(?:${alts.split(',').join('|')})`);
  return new RegExp(`^${regex}$`).test(name);
}

/** The documents of each file written (relative to the output folder). */
function writtenDocuments(outdir: string): Map<string, any[]> {
  return new Map(filesUnder(outdir).map(f => [f, parseAllDocuments(fs.readFileSync(path.join(outdir, f), 'utf8')).map(d => d.toJS())]));
}

/** The manifests' files: every file written but those holding the Applications (`argocd/` with `synth`, the `argocd` chart's with `app.synth()`). */
function manifestFiles(outdir: string): string[] {
  return [...writtenDocuments(outdir)].filter(([, docs]) => !docs.every(d => d?.kind === 'Application')).map(([f]) => f);
}

/** The files (relative to the output folder) each Application written syncs. */
function syncedFiles(outdir: string, repoOutdir: string): Map<string, string[]> {
  const written = manifestFiles(outdir);
  const applications = [...writtenDocuments(outdir).values()].flat().filter(o => o?.kind === 'Application');
  return new Map(applications.map(a => {
    const folder = path.posix.relative(repoOutdir, a.spec.source.path);
    const include: string | undefined = a.spec.source.directory?.include;
    return [a.metadata.name, written.filter(f => path.posix.dirname(f) === (folder === '' ? '.' : folder)
      && (include === undefined || globMatches(include, path.posix.basename(f))))];
  }));
}

/** A Pipeline syncing every chart, then two namespace charts created after it (one nested in an earlier chart). */
function platform(outdir: string, yamlOutputType: YamlOutputType): App {
  const app = new App({ outdir, yamlOutputType });
  const shop = new Chart(app, 'shop', { namespace: 'shop' });
  new WebApp(shop, 'web', { image: 'ghcr.io/acme/web:1.0.0' });
  new Pipeline(shop, 'delivery', { image: 'ghcr.io/acme/web', synth: { outdir: 'dist' }, argocd: { repoURL: REPO, charts: 'all' } });
  const payments = new Chart(app, 'payments', { namespace: 'payments' });
  new SecureNamespace(payments, 'ns', { name: 'payments' });
  new WebApp(payments, 'api', { image: 'ghcr.io/acme/api:2.0.0' });
  const billing = new Chart(shop, 'billing', { namespace: 'billing' });
  new WebApp(billing, 'invoices', { image: 'ghcr.io/acme/invoices:1.0.0' });
  return app;
}

describe.each(OUTPUT_TYPES)('charts: "all" in output type %s', (_name, outputType) => {
  const writers: Array<[string, (app: App) => void]> = [['synth(app)', app => synth(app)], ['app.synth()', app => app.synth()]];

  test.each(writers)('with %s every file written is synced by exactly one Application, charts created after the Pipeline included', (_, write) => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnc-charts-all-'));
    try {
      write(platform(outdir, outputType));
      const synced = syncedFiles(outdir, 'dist');
      const written = manifestFiles(outdir);
      expect(written.length).toBeGreaterThanOrEqual(3);
      for (const file of written) {
        expect([file, [...synced].filter(([, files]) => files.includes(file)).map(([name]) => name)]).toEqual([file, [expect.any(String)]]);
      }
      expect([...synced.keys()].sort()).toEqual(['delivery-payments', 'delivery-shop', 'delivery-shop-billing-c8e916c1']);
      const payments = synced.get('delivery-payments')!.map(f => fs.readFileSync(path.join(outdir, f), 'utf8')).join('\n---\n');
      // the late chart's objects are ordered by sync waves too: its namespace before its workloads
      expect(payments).toMatch(/kind: Namespace\nmetadata:\n(?:.*\n)*? {4}argocd\.argoproj\.io\/sync-wave: "-2"/);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('charts: "all" at synthesis', () => {
  test('the Pipeline lists the Applications of charts created after it once the app is synthesised, and synthesising again adds none', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnc-charts-all-'));
    try {
      const app = platform(outdir, YamlOutputType.FILE_PER_CHART);
      const pipeline = app.node.findAll().find(Pipeline.isPipeline)!;
      expect(pipeline.applications.map(a => a.name)).toEqual(['delivery-shop']);
      synth(app);
      synth(app);
      expect(pipeline.applications.map(a => a.name)).toEqual(['delivery-shop', 'delivery-shop-billing-c8e916c1', 'delivery-payments']);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('FILE_PER_APP with argocd.path: the one Application syncs the folder holding every chart, late ones included', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnc-charts-all-'));
    try {
      const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_APP });
      const shop = new Chart(app, 'shop', { namespace: 'shop' });
      new Pipeline(shop, 'delivery', { image: 'ghcr.io/acme/web', synth: { outdir: 'dist' }, argocd: { repoURL: REPO, path: 'dist' } });
      new WebApp(new Chart(app, 'payments', { namespace: 'payments' }), 'api', { image: 'ghcr.io/acme/api:2.0.0' });
      synth(app);
      expect([...syncedFiles(outdir, 'dist')]).toEqual([['delivery', ['app.k8s.yaml']]]);
      expect(fs.readFileSync(path.join(outdir, 'app.k8s.yaml'), 'utf8')).toContain('namespace: payments');
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('a late chart another Pipeline already syncs is reported at synthesis, naming both', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cnc-charts-all-')) });
    try {
      const shop = new Chart(app, 'shop', { namespace: 'shop' });
      new Pipeline(shop, 'platform', { image: 'ghcr.io/acme/web', synth: { outdir: 'dist' }, argocd: { repoURL: REPO, charts: 'all' } });
      const team = new Chart(app, 'team', { namespace: 'team' });
      new Pipeline(team, 'team', { image: 'ghcr.io/acme/team', synth: { outdir: 'dist' }, argocd: { repoURL: REPO } });
      expect(() => synth(app)).toThrow(/shop\/platform: invalid argocd "team": is already synced by an ArgoCD Application of team\/team/);
    } finally {
      fs.rmSync(app.outdir, { recursive: true, force: true });
    }
  });
});
