import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Testing, YamlOutputType } from 'cdk8s';
import * as YAML from 'yaml';
import { Autoscaled, CanaryRelease, NetworkPolicyBundle, Pipeline, reachabilityReport, SecureNamespace, synth, WebApp } from '../src';
import { findObject, Manifest, synthValid } from './harness';
import { writeReachabilityReports } from '../examples/reachability';
import { buildShop as buildExampleShop } from '../examples/shop';

const IMAGE = 'ghcr.io/acme/app:1.0.0';

function key(o: Manifest): string {
  return `${o.apiVersion.split('/')[0]}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

/** The shop: a SecureNamespace, a web app, a canary api and a bundle, created in a chosen order. */
function buildShop(order: 'namespace-first' | 'bundle-first'): { app: App; chart: Chart; objects: Manifest[] } {
  const app = Testing.app();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const secure = () => new SecureNamespace(chart, 'ns', {
    name: 'shop', quota: { cpu: '8', memory: '16Gi' }, istio: { denyByDefault: true }, access: { editors: ['shop-developers'], viewers: ['everyone'] },
  });
  if (order === 'namespace-first') secure();
  const web = new WebApp(chart, 'web', { image: IMAGE, servicePort: 80, port: 8080, ingress: { host: 'shop.example.com' } });
  const api = new CanaryRelease(chart, 'api', { port: 8080, stable: { image: 'ghcr.io/acme/api:2.0.0' }, canary: { image: 'ghcr.io/acme/api:2.1.0' }, canaryWeight: 10 });
  new Autoscaled(chart, 'web-scaling', { target: web, maxReplicas: 10 });
  new NetworkPolicyBundle(chart, 'net', { allowFromIngressController: true, allowMonitoring: { port: 9090 }, egress: [{ cidr: '10.20.0.0/16', ports: [5432] }] })
    .allow(web, api);
  if (order === 'bundle-first') secure();
  return { app, chart, objects: synthValid(chart) };
}

describe.each(['namespace-first', 'bundle-first'] as const)('SecureNamespace + NetworkPolicyBundle + WebApp + CanaryRelease (%s)', (order) => {
  // GIVEN every construct in one namespace
  const { objects } = buildShop(order);

  test('never yields two objects of the same kind and name', () => {
    const keys = objects.map(key);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });

  test('one default-deny and one DNS allowance, denying both directions', () => {
    expect(objects.filter(o => o.kind === 'NetworkPolicy' && o.metadata.name === 'default-deny')).toHaveLength(1);
    expect(objects.filter(o => o.kind === 'NetworkPolicy' && o.metadata.name === 'allow-dns')).toHaveLength(1);
    expect(findObject(objects, 'NetworkPolicy', 'default-deny').spec.policyTypes).toEqual(['Ingress', 'Egress']);
  });

  test('the flow web → api is allowed at L3 (container port) and L7 (web\'s identity)', () => {
    expect(findObject(objects, 'NetworkPolicy', 'api-from-web').spec.ingress[0].ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
    expect(findObject(objects, 'NetworkPolicy', 'web-to-api').spec.egress[0].ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
    expect(findObject(objects, 'AuthorizationPolicy', 'api-from-web').spec.rules[0].from).toEqual([{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }]);
  });

  test('the same set of objects whichever is constructed first', () => {
    expect(buildShop('namespace-first').objects.map(key).sort()).toEqual(objects.map(key).sort());
  });
});

describe('composition across namespaces and bundles', () => {
  test('two bundles and a SecureNamespace in one namespace share one default-deny widened to both directions', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    new NetworkPolicyBundle(chart, 'ingress-only', { defaultDeny: 'ingress', allowSameNamespace: true });
    new NetworkPolicyBundle(chart, 'egress-only', { defaultDeny: 'egress', allowSameNamespace: true });
    new SecureNamespace(chart, 'ns', { name: 'shop' });
    const objects = synthValid(chart);
    expect(objects.filter(o => o.metadata.name === 'default-deny')).toHaveLength(1);
    expect(findObject(objects, 'NetworkPolicy', 'default-deny').spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(objects.filter(o => o.kind === 'NetworkPolicy').map(o => o.metadata.name).sort()).toEqual([
      'allow-dns', 'allow-istiod', 'allow-same-namespace', 'allow-same-namespace-egress', 'default-deny',
    ]);
  });

  test('a bundle denying only ingress still gets its egress allowances once a SecureNamespace denies egress', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const web = new WebApp(chart, 'web', { image: IMAGE });
    const api = new WebApp(chart, 'api', { image: IMAGE });
    new NetworkPolicyBundle(chart, 'net', { defaultDeny: 'ingress', egress: [{ namespace: 'payments', ports: [443] }] }).allow(web, api);
    new SecureNamespace(chart, 'ns', { name: 'shop', istio: false });
    const names = synthValid(chart).filter(o => o.kind === 'NetworkPolicy').map(o => o.metadata.name).sort();
    expect(names).toEqual(['allow-dns', 'api-from-web', 'default-deny', 'net-egress', 'web-to-api']);
  });

  test('the same flow declared by two bundles yields one set of policies', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const web = new WebApp(chart, 'web', { image: IMAGE });
    const api = new WebApp(chart, 'api', { image: IMAGE });
    new NetworkPolicyBundle(chart, 'a').allow(web, api);
    new NetworkPolicyBundle(chart, 'b').allow(web, api);
    const objects = synthValid(chart);
    expect(objects.filter(o => o.metadata.name === 'api-from-web')).toHaveLength(1);
  });

  test('fails when two bundles give one shared policy different meanings', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    new NetworkPolicyBundle(chart, 'a', { allowMonitoring: { port: 9090 } });
    expect(() => new NetworkPolicyBundle(chart, 'b', { allowMonitoring: { port: 9100 } }))
      .toThrow(/shop\/b: invalid allowMonitoring\.name "allow-monitoring": a NetworkPolicy named "allow-monitoring" with a different meaning already exists in namespace "shop" \(created by shop\/a\); set allowMonitoring\.name to another name/);
  });
});

describe('reachability report', () => {
  // GIVEN the composed shop
  const { app, chart } = buildShop('namespace-first');
  const report = reachabilityReport(chart);

  test('lists the flows the emitted policies allow, on container ports', () => {
    expect(report.lines).toEqual(expect.arrayContaining([
      'ingress-nginx/* → shop/web:8080',
      'monitoring/* → shop/api-canary:9090',
      'shop/web → shop/api-stable:8080',
      'shop/web → shop/api-canary:8080',
      'shop/web → kube-system/{k8s-app=kube-dns}:53/UDP',
      'shop/web → kube-system/{k8s-app=kube-dns}:53',
      'shop/web → istio-system/{app=istiod}:15012',
      'shop/api-stable → 10.20.0.0/16:5432',
    ]));
  });

  test('lists no flow the policies do not allow', () => {
    expect(report.lines.filter(l => /→ shop\/web:/.test(l) && !l.startsWith('ingress-nginx') && !l.startsWith('monitoring'))).toEqual([]);
    expect(report.lines.filter(l => l.startsWith('shop/api-stable → shop/') || l.startsWith('shop/api-canary → shop/'))).toEqual([]);
    expect(report.lines.filter(l => l.includes('(anywhere)'))).toEqual([]);
  });

  test('reads the synthesised JSON: a patch removing a policy removes its flows', () => {
    const { chart: patched } = buildShop('namespace-first');
    const policy = patched.node.findAll().filter(ApiObject.isApiObject).find(o => o.kind === 'NetworkPolicy' && o.name === 'web-to-api')!;
    policy.addJsonPatch(JsonPatch.replace('/spec/egress', []));
    expect(reachabilityReport(patched).lines.filter(l => l.startsWith('shop/web → shop/api'))).toEqual([]);
  });

  test('an open namespace shows its workloads reachable from anywhere, each pod of a workload from the others too', () => {
    const open = new Chart(Testing.app(), 'open', { namespace: 'open' });
    new WebApp(open, 'web', { image: IMAGE });
    expect(reachabilityReport(open).lines).toEqual(['(anywhere) → open/web:*', 'open/web → (anywhere):*', 'open/web → open/web:8080']);
  });

  test('renders a Mermaid flowchart and a Markdown document', () => {
    expect(report.mermaid.split('\n')[0]).toEqual('flowchart LR');
    expect(report.mermaid).toMatch(/n\d+\["shop\/web"\]/);
    expect(report.mermaid).toMatch(/-->\|"8080"\|/);
    expect(report.markdown).toContain('# Reachability: shop');
    expect(report.markdown).toContain('```mermaid\nflowchart LR');
    expect(reachabilityReport(app).flows).toEqual(report.flows);
  });

  test('snapshot', () => {
    expect(report.markdown).toMatchSnapshot();
  });
});

describe('examples/reachability', () => {
  test('writes <chart>.reachability.md beside the manifests, deterministically', () => {
    // GIVEN the example shop
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'reachability-'));
    const app = new App({ outdir });
    buildExampleShop(app);
    // WHEN
    const files = writeReachabilityReports(app);
    // THEN
    expect(files).toEqual([path.join(outdir, 'shop.reachability.md')]);
    const markdown = fs.readFileSync(files[0], 'utf8');
    expect(markdown).toContain('- `shop/web → shop/catalog:8080`');
    expect(markdown).toContain('- `shop/public (Gateway) → shop/web:8080`');
    expect(markdown).toContain('- `(anywhere) → shop/public (Gateway):443`');
    expect(markdown).toContain('```mermaid');
    writeReachabilityReports(app);
    expect(fs.readFileSync(files[0], 'utf8')).toEqual(markdown);
  });
});

describe('GitOps layout: one Application per namespace chart', () => {
  /** Two namespaces with a cross-namespace flow, a chart without a namespace, and a Pipeline with one Application per chart. */
  function platform(outdir: string, yamlOutputType: YamlOutputType): App {
    const app = new App({ outdir, yamlOutputType });
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const payments = new Chart(app, 'payments', { namespace: 'payments' });
    const plain = new Chart(app, 'plain');
    new SecureNamespace(shop, 'ns', { name: 'shop', istio: { denyByDefault: true } });
    new SecureNamespace(payments, 'ns', { name: 'payments', istio: { denyByDefault: true } });
    const web = new WebApp(shop, 'web', { image: 'ghcr.io/acme/web:1.0.0' });
    const api = new WebApp(payments, 'api', { image: 'ghcr.io/acme/api:1.0.0' });
    const plainApp = new WebApp(plain, 'tool', { image: 'ghcr.io/acme/tool:1.0.0' });
    new NetworkPolicyBundle(shop, 'net').allow(web, api, 8080);
    new NetworkPolicyBundle(plain, 'net', { defaultDeny: 'ingress' }).allow(plainApp, plainApp, 8080);
    new Pipeline(shop, 'delivery', { image: 'ghcr.io/acme/web', argocd: { repoURL: 'https://github.com/acme/platform.git', charts: 'all', automated: true } });
    return app;
  }

  /** The files (relative to outdir) an Application syncs: its folder, narrowed by `directory.include` (a file or `{a,b}`). */
  function syncedFiles(application: any, outdir: string, repoOutdir: string): string[] {
    const folder = path.join(outdir, path.relative(repoOutdir, application.spec.source.path));
    const include: string | undefined = application.spec.source.directory?.include;
    const allowed = include === undefined ? undefined : new Set(include.replace(/^\{|\}$/g, '').split(','));
    return fs.readdirSync(folder, { withFileTypes: true })
      .filter(e => e.isFile() && /\.ya?ml$/.test(e.name) && (allowed === undefined || allowed.has(e.name)))
      .map(e => path.relative(outdir, path.join(folder, e.name)));
  }

  test.each([
    ['FILE_PER_CHART', YamlOutputType.FILE_PER_CHART],
    ['FOLDER_PER_CHART_FILE_PER_RESOURCE', YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE],
  ])('%s: every object lands in exactly one Application\'s files; the Applications in none', (_name, yamlOutputType) => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnc-gitops-'));
    const app = platform(outdir, yamlOutputType);
    synthValid(app);
    synth(app);
    const all = (fs.readdirSync(outdir, { recursive: true }) as string[]).filter(f => /\.ya?ml$/.test(f)).sort();
    const objectsOf = (file: string) => YAML.parseAllDocuments(fs.readFileSync(path.join(outdir, file), 'utf8')).map(d => d.toJS());
    const applications = all.filter(f => f.startsWith('argocd/')).flatMap(objectsOf);
    expect(applications.map((a: any) => a.metadata.name).sort()).toEqual(['delivery-payments', 'delivery-plain', 'delivery-shop']);

    const owners = new Map<string, string[]>();
    for (const application of applications) {
      for (const file of syncedFiles(application, outdir, 'dist')) owners.set(file, [...(owners.get(file) ?? []), application.metadata.name]);
    }
    for (const file of all) {
      expect({ file, owners: owners.get(file) ?? [] }).toEqual({ file, owners: file.startsWith('argocd/') ? [] : [expect.any(String)] });
    }
    // the cross-namespace flow: the ingress side (NetworkPolicy and AuthorizationPolicy) is in the receiver's Application
    const synced = (name: string) => all.filter(f => owners.get(f)?.[0] === name).flatMap(objectsOf);
    const inPayments = synced('delivery-payments').map((o: any) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`);
    expect(inPayments).toEqual(expect.arrayContaining(['NetworkPolicy/payments/api-from-shop-web', 'AuthorizationPolicy/payments/api-from-shop-web']));
    const inShop = synced('delivery-shop').map((o: any) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`);
    expect(inShop).toContain('NetworkPolicy/shop/web-to-payments-api');
    expect(inShop.filter(k => k.includes('/payments/'))).toEqual([]);
    // a chart without a namespace: nothing says `default`
    const inPlain = synced('delivery-plain');
    expect(inPlain.filter((o: any) => o.metadata.namespace !== undefined)).toEqual([]);
    expect(inPlain.map((o: any) => o.kind)).toEqual(expect.arrayContaining(['Deployment', 'NetworkPolicy']));
    expect(JSON.stringify(inPlain)).not.toMatch(/"default"/);
    expect(applications.find((a: any) => a.metadata.name === 'delivery-plain').spec.destination).toEqual({ server: 'https://kubernetes.default.svc' });
  });
});
