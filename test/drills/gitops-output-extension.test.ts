// Drill: the output file extension changed between two syntheses. `synth(app)` removes the
// manifests it no longer writes, so that ArgoCD prunes a deleted chart; but a team that switches
// `outputFileExtension` from cdk8s's default `.k8s.yaml` to `.yml` left every file of the
// earlier run in the folder, and ArgoCD's directory source reads
// `.yml`, `.yaml` and `.json` alike (https://argo-cd.readthedocs.io/en/stable/user-guide/directory/):
// the deleted chart's Namespace stayed desired, so it was never pruned, and every kept chart was
// applied from two files.
// On main before this change (90f69ad), recorded by running this file against it: after the
// switch to `.yml`, dist/ still held db.k8s.yaml and shop.k8s.yaml, and ArgoCD's desired state
// still held Namespace db (the first two tests failed; the healthy twin held).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, YamlOutputType } from 'cdk8s';
import { desiredObjects, keyOf } from './argocd-prune';
import { SecureNamespace, synth, WebApp } from '../../src';

/** The shop, and the db chart unless `withoutDb`, synthesised into `outdir` with the given output. */
function synthShop(outdir: string, props: { outputFileExtension?: string; yamlOutputType?: YamlOutputType }, withoutDb = false): void {
  const app = new App({ outdir, ...props });
  const shop = new Chart(app, 'shop', { namespace: 'shop' });
  new SecureNamespace(shop, 'ns', { name: 'shop' });
  new WebApp(shop, 'web', { image: 'ghcr.io/acme/web:1.0.0' });
  if (!withoutDb) {
    const db = new Chart(app, 'db', { namespace: 'db' });
    new SecureNamespace(db, 'ns', { name: 'db' });
  }
  synth(app);
}

/** What an ArgoCD Application reading the output folder (or one of its chart folders) wants live. */
const desired = (outdir: string, folder = '.') => desiredObjects(outdir, { spec: { source: { path: folder } } }).map(keyOf);

describe('drill: outputFileExtension changed between two syntheses', () => {
  let outdir: string;
  beforeEach(() => { outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnc-ext-')); });
  afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('.k8s.yaml → .yml with the db chart deleted: only the new files stay, and ArgoCD prunes Namespace db', () => {
    synthShop(outdir, {});
    fs.writeFileSync(path.join(outdir, 'README.md'), 'hand-written\n');
    fs.writeFileSync(path.join(outdir, 'kustomization.yaml'), 'resources: []\n');
    synthShop(outdir, { outputFileExtension: '.yml' }, true);
    expect(fs.readdirSync(outdir).sort()).toEqual(['README.md', 'kustomization.yaml', 'shop.yml']);
    expect(desired(outdir)).not.toContain('Namespace db');
    expect(desired(outdir).filter(k => k === 'Namespace shop')).toEqual(['Namespace shop']);
  });

  test('.k8s.yaml → .yml in folders per chart: the earlier files go, the user\'s stay', () => {
    const folders = { yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE };
    synthShop(outdir, folders);
    fs.writeFileSync(path.join(outdir, 'shop', 'notes.txt'), 'hand-written\n');
    synthShop(outdir, { ...folders, outputFileExtension: '.yml' }, true);
    expect(fs.existsSync(path.join(outdir, 'db'))).toBe(false);
    const shopFiles = fs.readdirSync(path.join(outdir, 'shop'));
    expect(shopFiles.filter(f => f.endsWith('.k8s.yaml'))).toEqual([]);
    expect(shopFiles).toContain('notes.txt');
    expect(new Set(desired(outdir, 'shop')).size).toEqual(desired(outdir, 'shop').length);
  });

  test('healthy twin: the same extension twice removes only the deleted chart\'s file', () => {
    synthShop(outdir, { outputFileExtension: '.yml' });
    fs.writeFileSync(path.join(outdir, 'kustomization.yaml'), 'resources: []\n');
    synthShop(outdir, { outputFileExtension: '.yml' }, true);
    expect(fs.readdirSync(outdir).sort()).toEqual(['kustomization.yaml', 'shop.yml']);
  });
});
