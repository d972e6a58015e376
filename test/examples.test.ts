import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { parse } from 'yaml';
import { synthValid } from './harness';
import { buildShop } from '../examples/shop';
import { synthExamples } from '../examples/synth-examples';
import { isApplicationsChart } from '../src/argocd/applications-chart';

function readTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const relative = path.join(sub, entry.name);
      if (entry.isDirectory()) walk(relative);
      else files[relative] = fs.readFileSync(path.join(dir, relative), 'utf8');
    }
  };
  walk('');
  return files;
}

describe('examples', () => {
  test('every example object passes the schema, security and consistency harness', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'examples-')) });
    buildShop(app);
    const objects = synthValid(app);
    expect(objects.filter(o => o.kind === 'Deployment').map(o => o.metadata.name)).toEqual(expect.arrayContaining(['web', 'catalog', 'worker']));
    expect(objects.filter(o => o.kind === 'StatefulSet' || o.kind === 'CronJob').map(o => `${o.kind}/${o.metadata.name}`)).toEqual(['StatefulSet/cache', 'CronJob/nightly-report']);
    expect(objects.some(o => o.kind === 'Service' && o.metadata.name === 'worker')).toBe(false);
  });

  test('synthesising twice gives byte-identical files', () => {
    const first = fs.mkdtempSync(path.join(os.tmpdir(), 'examples-a-'));
    const second = fs.mkdtempSync(path.join(os.tmpdir(), 'examples-b-'));
    synthExamples(path.join(first, 'dist'), first);
    synthExamples(path.join(second, 'dist'), second);
    const a = readTree(first);
    const b = readTree(second);
    expect(Object.keys(a)).toEqual(expect.arrayContaining(['dist/shop.k8s.yaml', 'dist/shop.reachability.md', 'examples/shop/.github/workflows/delivery.yml']));
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    for (const file of Object.keys(a)) expect({ file, content: b[file] }).toEqual({ file, content: a[file] });
  });

  test('the shop has one Application per namespace chart, none syncing itself, and a plan step before the commit', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'examples-gitops-'));
    synthExamples(path.join(root, 'dist'), root);
    const app = new App({ outdir: path.join(root, 'unused') });
    buildShop(app);
    const namespaces = app.charts.filter(c => !isApplicationsChart(c)).map(c => c.namespace);
    const applications = synthValid(app).filter(o => o.kind === 'Application');
    expect(applications.map(a => a.spec.destination.namespace).sort()).toEqual([...namespaces].sort());
    // every Application is in dist/argocd/ and includes only its chart's file
    const written = fs.readdirSync(path.join(root, 'dist', 'argocd'));
    expect(written).toEqual(['argocd.k8s.yaml']);
    for (const a of applications) expect(a.spec.source).toMatchObject({ path: 'dist', directory: { include: `${a.spec.destination.namespace}.k8s.yaml` } });
    const workflow = parse(fs.readFileSync(path.join(root, 'examples', 'shop', '.github', 'workflows', 'delivery.yml'), 'utf8'));
    const steps = workflow.jobs.deliver.steps.map((s: any) => s.name);
    expect(steps.indexOf('Plan: refuse changes the cluster rejects or that prune live objects')).toBe(steps.indexOf('Commit the manifests for ArgoCD') - 1);
  });
});
