// Drill: a flow revoked, a chart deleted. `synth(app)` into the folder ArgoCD syncs must leave
// nothing of what the code no longer declares, in every cdk8s output type — or the revoked access
// stays live, because ArgoCD applies what the files hold and prunes only what they no longer hold
// (modelled in ./argocd-prune.ts from ArgoCD's docs).
//
// On main before this change (run against it): synth(app) only wrote files, so under
// FILE_PER_RESOURCE and FOLDER_PER_CHART_FILE_PER_RESOURCE `NetworkPolicy.api-from-web`,
// `NetworkPolicy.web-to-api` and `AuthorizationPolicy.api-from-web` stayed in dist/shop/ (the
// Application kept syncing them: nothing pruned, the flow still allowed); under FILE_PER_CHART the
// deleted chart's billing.k8s.yaml stayed; switching output types left every old file. FILE_PER_APP
// rewrites its one file, so it held on main (its drill failed only on the new `removed` report).
// The healthy twin held.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, YamlOutputType } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { applicationsIn, desiredObjects, keyOf, LiveObject, sync } from './argocd-prune';
import { NetworkPolicyBundle, Pipeline, SecureNamespace, synth, synthObjects, WebApp } from '../../src';

const TYPES: Array<[string, YamlOutputType]> = [
  ['FILE_PER_CHART', YamlOutputType.FILE_PER_CHART],
  ['FILE_PER_RESOURCE', YamlOutputType.FILE_PER_RESOURCE],
  ['FOLDER_PER_CHART_FILE_PER_RESOURCE', YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE],
  ['FILE_PER_APP', YamlOutputType.FILE_PER_APP],
];

/** The shop (deny-by-default mesh namespace, web → api when `allow`), and a billing chart when `billing`. */
function platform(outdir: string, yamlOutputType: YamlOutputType, options: { allow: boolean; billing: boolean }): App {
  const app = new App({ outdir, yamlOutputType });
  const shop = new Chart(app, 'shop', { namespace: 'shop' });
  new SecureNamespace(shop, 'ns', { name: 'shop', istio: { denyByDefault: true } });
  const web = new WebApp(shop, 'web', { image: 'ghcr.io/acme/web:1.0.0' });
  const api = new WebApp(shop, 'api', { image: 'ghcr.io/acme/api:1.0.0' });
  if (options.allow) new NetworkPolicyBundle(shop, 'net').allow(web, api, 8080);
  new Pipeline(shop, 'delivery', {
    image: 'ghcr.io/acme/web',
    synth: { outdir: 'dist' },
    // FILE_PER_APP holds every chart in one file: one Application on the whole folder
    argocd: { repoURL: 'https://github.com/acme/shop.git', automated: true, ...(yamlOutputType === YamlOutputType.FILE_PER_APP ? { path: 'dist' } : {}) },
  });
  if (options.billing) new WebApp(new Chart(app, 'billing', { namespace: 'billing' }), 'invoices', { image: 'ghcr.io/acme/invoices:1.0.0' });
  return app;
}

/** What a team keeps in its output folder besides the manifests. */
const USER_FILES: Record<string, string> = {
  '.gitkeep': '',
  'README.md': '# Manifests\n',
  'shop.reachability.md': '| from | to |\n',
  'argocd/root-app.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: { name: root, namespace: argocd }\n',
  'kustomize/base/kustomization.yaml': 'resources: []\n',
};

function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const rel of (fs.readdirSync(dir, { recursive: true }) as string[]).sort()) {
    if (fs.statSync(path.join(dir, rel)).isFile()) out.set(rel, fs.readFileSync(path.join(dir, rel), 'utf8'));
  }
  return out;
}

/** Every object of every manifest the library writes under `outdir` (whoever syncs it). */
function objectsUnder(outdir: string): string[] {
  return [...tree(outdir)].filter(([f]) => f.endsWith('.k8s.yaml'))
    .flatMap(([, text]) => parseAllDocuments(text).map(d => d.toJS() as LiveObject)).map(keyOf);
}

function shopApplication(outdir: string): any {
  return applicationsIn(outdir).find(a => a.metadata.name === 'delivery');
}

function repo(): { root: string; outdir: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cnc-drill-revoked-'));
  return { root, outdir: path.join(root, 'dist') };
}

describe('drill: a flow revoked, a chart deleted (synth into the synced folder)', () => {
  test.each(TYPES)('%s: the revoked policies leave the folder, ArgoCD prunes them, the deleted chart\'s files go, the team\'s files stay', (_name, type) => {
    // GIVEN the platform with web → api allowed and a billing chart, synthesised, live, and the team's own files
    const { root, outdir } = repo();
    synth(platform(outdir, type, { allow: true, billing: true }));
    for (const [file, text] of Object.entries(USER_FILES)) {
      fs.mkdirSync(path.dirname(path.join(outdir, file)), { recursive: true });
      fs.writeFileSync(path.join(outdir, file), text);
    }
    const live = desiredObjects(root, shopApplication(outdir));
    const revoked = (synthObjects(platform(outdir, type, { allow: true, billing: false })) as LiveObject[]).map(keyOf)
      .filter(k => !(synthObjects(platform(outdir, type, { allow: false, billing: false })) as LiveObject[]).map(keyOf).includes(k));
    expect(revoked).toEqual(expect.arrayContaining(['NetworkPolicy shop/api-from-web', 'NetworkPolicy shop/web-to-api', 'AuthorizationPolicy shop/api-from-web']));
    expect(live.map(keyOf)).toEqual(expect.arrayContaining(revoked));

    // WHEN the flow is revoked and the billing chart deleted, and the app synthesised into the same folder
    const result = synth(platform(outdir, type, { allow: false, billing: false }));

    // THEN no file under the output folder holds a revoked or deleted object
    const remaining = objectsUnder(outdir);
    for (const key of [...revoked, 'Deployment billing/invoices', 'Service billing/invoices']) expect({ key, remaining: remaining.includes(key) }).toEqual({ key, remaining: false });
    // and ArgoCD, syncing the Application's files with automated prune, deletes the revoked policies
    // (and nothing still declared; with FILE_PER_APP its one Application on dist/ also prunes the billing chart)
    const after = sync(live, desiredObjects(root, shopApplication(outdir)), true);
    expect(after.pruned).toEqual(expect.arrayContaining(revoked));
    const declared = (synthObjects(platform(outdir, type, { allow: false, billing: false })) as LiveObject[]).map(keyOf);
    expect(after.pruned.filter(k => declared.includes(k))).toEqual([]);
    // the team's files are untouched, and the removed files are reported
    for (const [file, text] of Object.entries(USER_FILES)) expect({ file, text: fs.readFileSync(path.join(outdir, file), 'utf8') }).toEqual({ file, text });
    // (FILE_PER_APP rewrites its one file: nothing to remove)
    expect(result.removed.length > 0).toBe(type !== YamlOutputType.FILE_PER_APP);
    expect(result.removed.every(f => f.endsWith('.k8s.yaml'))).toBe(true);
  });

  test.each(TYPES.slice(0, 3))('switching from %s to another output type leaves none of the old files', (_name, type) => {
    const { outdir } = repo();
    synth(platform(outdir, type, { allow: true, billing: true }));
    const folders = YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE;
    const other = type === folders ? YamlOutputType.FILE_PER_CHART : folders;
    const written = synth(platform(outdir, other, { allow: true, billing: true })).files.map(f => path.relative(outdir, f)).sort();
    expect([...tree(outdir).keys()].sort()).toEqual(written);
  });

  test('healthy twin: the same app synthesised again keeps every file, byte for byte', () => {
    for (const [, type] of TYPES) {
      const { outdir } = repo();
      synth(platform(outdir, type, { allow: true, billing: true }));
      fs.writeFileSync(path.join(outdir, '.gitkeep'), '');
      const before = tree(outdir);
      synth(platform(outdir, type, { allow: true, billing: true }));
      expect(tree(outdir)).toEqual(before);
    }
  });
});
