import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import {
  formatPrerequisites, HttpsGateway, Pipeline, Prerequisite, prerequisites, prerequisitesOf, SecureNamespace, SecureNamespaceProps, synth, WebApp,
} from '../src';
import { runPrerequisitesCli } from '../src/internal/prerequisites/prerequisites-cli';

// prerequisites(app): what the output needs from the cluster, derived from the synthesised
// objects. Facts it states, from upstream docs: Istio's sidecar injection adds the istio-init
// container (NET_ADMIN, NET_RAW) unless the Istio CNI plugin is installed
// (https://istio.io/latest/docs/setup/additional-setup/cni/), which Pod Security baseline and
// restricted refuse (https://kubernetes.io/docs/concepts/security/pod-security-standards/);
// native sidecars are on by default from Kubernetes 1.29 (SidecarContainers beta); CronJob
// timeZone is GA in 1.27; Istio's Gateway customization (parametersRef) arrived in Istio 1.24.

const IMAGE = 'ghcr.io/acme/web:1.0.0';

function shop(ns: Partial<SecureNamespaceProps> = {}): { app: App; chart: Chart } {
  const app = Testing.app();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new SecureNamespace(chart, 'ns', { name: 'shop', ...ns });
  const gateway = new HttpsGateway(chart, 'public', { hosts: ['shop.example.com'], tls: { clusterIssuer: 'letsencrypt-prod' } });
  new WebApp(chart, 'web', { image: IMAGE, route: { gateway, hosts: ['shop.example.com'] }, metrics: { port: 9090 } });
  new Pipeline(chart, 'delivery', { image: 'ghcr.io/acme/web', argocd: { repoURL: 'https://github.com/acme/shop.git' } });
  return { app, chart };
}

const requirements = (list: readonly Prerequisite[], category?: string) => list
  .filter(p => category === undefined || p.category === category).map(p => p.requirement);

describe('prerequisites(app)', () => {
  const list = prerequisites(shop().app);

  test('lists the CRDs with the API versions the objects use, and their controllers', () => {
    expect(requirements(list, 'api')).toEqual(expect.arrayContaining([
      'CRD gateways.gateway.networking.k8s.io serving gateway.networking.k8s.io/v1',
      'CRD httproutes.gateway.networking.k8s.io serving gateway.networking.k8s.io/v1',
      'CRD peerauthentications.security.istio.io serving security.istio.io/v1beta1',
      'CRD servicemonitors.monitoring.coreos.com serving monitoring.coreos.com/v1',
      'CRD applications.argoproj.io serving argoproj.io/v1alpha1',
    ]));
    expect(requirements(list, 'controller')).toEqual(expect.arrayContaining([
      'GatewayClass "istio" accepted by its controller',
      'Istio ≥ 1.24 (Gateway customization) and Gateway API ≥ v1.1 (spec.infrastructure)',
      'Argo CD', 'Argo CD AppProject "default" allowing the Application\'s repository and destination',
    ]));
  });

  test('names the issuers, the Prometheus selector, the DNS service and the mesh control plane\'s address', () => {
    expect(requirements(list, 'issuer')).toEqual(['cert-manager ClusterIssuer "letsencrypt-prod"', 'cert-manager with Gateway API support enabled']);
    expect(requirements(list, 'prometheus')).toEqual([
      'a Prometheus whose serviceMonitorSelector is empty (selects everything): these objects carry no selector label such as release: <name>',
    ]);
    expect(requirements(list, 'dns')).toEqual(['cluster DNS pods {k8s-app=kube-dns} in namespace "kube-system" answering on port 53 (UDP and TCP)']);
    expect(requirements(list, 'mesh')).toEqual(expect.arrayContaining(['Istio control plane at istiod.istio-system.svc:15012 (pods {app=istiod} in namespace "istio-system")']));
    expect(list.find(p => p.requirement.startsWith('Istio control plane'))!.neededBy).toEqual(['NetworkPolicy shop/allow-istiod', 'NetworkPolicy shop/public-to-istiod']);
  });

  test('is deterministic and writes nothing', () => {
    const { app } = shop();
    expect(prerequisites(app)).toEqual(list);
    expect(fs.existsSync(app.outdir) ? fs.readdirSync(app.outdir) : []).toEqual([]);
  });
});

describe('Istio CNI where restricted pods meet sidecar injection', () => {
  // a cluster installed the usual way, without CNI, refuses every injected pod of these namespaces
  const cni = (list: readonly Prerequisite[]) => list.filter(p => p.requirement.startsWith('Istio CNI'));

  test.each([['restricted'], ['baseline']] as const)('is required in a namespace with injection and Pod Security %s, naming the namespace', (level) => {
    const found = cni(prerequisites(shop({ podSecurity: level }).app));
    expect(found).toEqual([{
      category: 'mesh',
      requirement: 'Istio CNI plugin (istio-cni node agent)',
      reasons: [`Pod Security "${level}" refuses the istio-init container (NET_ADMIN, NET_RAW) that injection adds without CNI`],
      neededBy: ['Namespace shop'],
    }]);
  });

  test.each([
    ['privileged namespaces', { podSecurity: 'privileged' as const }],
    ['namespaces without injection', { istio: { injection: false } }],
    ['namespaces outside the mesh', { istio: false as const }],
  ])('is not required for %s', (_, ns) => {
    expect(cni(prerequisites(shop(ns).app))).toEqual([]);
  });
});

describe('derived from the final objects', () => {
  test('a JSON patch counts: an issuer added by a patch is listed', () => {
    const { app, chart } = shop();
    const web = chart.node.findChild('web') as WebApp;
    ApiObject.of(web.service).addJsonPatch(JsonPatch.add('/metadata/annotations', { 'cert-manager.io/issuer': 'internal-ca' }));
    expect(requirements(prerequisites(app), 'issuer')).toContain('cert-manager Issuer "internal-ca" in namespace "shop"');
  });

  test('a kind the library does not know is still listed, as needing its CRD and controller', () => {
    const list = prerequisitesOf([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'a' } }]);
    expect(list.map(p => p.requirement)).toEqual(['CRD for Widget serving example.com/v1', 'the controller of example.com/v1 Widget (not known to this library)']);
  });

  test('native sidecars and CronJob time zones name the Kubernetes version they need', () => {
    const list = prerequisitesOf([
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a', namespace: 'n' }, spec: { template: { spec: { initContainers: [{ name: 'log', restartPolicy: 'Always' }] } } } },
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'b', namespace: 'n' }, spec: { timeZone: 'Europe/Berlin', jobTemplate: { spec: { template: { spec: {} } } } } },
    ]);
    expect(requirements(list, 'kubernetes')).toEqual(['Kubernetes ≥ 1.27 (CronJob timeZone)', 'Kubernetes ≥ 1.29 (native sidecar containers)']);
  });

  test('plain built-in objects need nothing', () => {
    expect(formatPrerequisites(prerequisitesOf([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }]))).toEqual('Nothing beyond a Kubernetes cluster.\n');
  });
});

describe('cloudnative-constructs prerequisites', () => {
  const run = (argv: string[], cwd: string) => {
    let out = '';
    let err = '';
    const code = runPrerequisitesCli(argv, { cwd, out: s => { out += s; }, err: s => { err += s; } });
    return { code, out, err };
  };

  test('--dir reads an output folder and prints the list by category', () => {
    const { app } = shop();
    const outdir = app.outdir;
    try {
      synth(app);
      const { code, out } = run(['--dir', outdir], process.cwd());
      expect(code).toBe(0);
      expect(out).toMatch(/^CustomResourceDefinitions and API versions:\n {2}- CRD /);
      expect(out).toContain('Service mesh (Istio):\n  - Istio CNI plugin (istio-cni node agent)');
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('synthesises the app into a temporary folder, never into its output folder', () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'cnc-prereq-app-'));
    try {
      const src = JSON.stringify(path.resolve(__dirname, '../src'));
      fs.writeFileSync(path.join(project, 'main.ts'), [
        "import { App, Chart } from 'cdk8s';",
        `import { SecureNamespace, synth } from ${src};`,
        'const app = new App();',
        "new SecureNamespace(new Chart(app, 'shop', { namespace: 'shop' }), 'ns', { name: 'shop' });",
        'synth(app);',
      ].join('\n'));
      fs.writeFileSync(path.join(project, 'cdk8s.yaml'), 'app: npx tsx main.ts\noutput: dist\n');
      fs.symlinkSync(path.resolve(__dirname, '../node_modules'), path.join(project, 'node_modules'));
      const { code, out, err } = run([], project);
      expect([code, err]).toEqual([0, '']);
      expect(out).toContain('Istio CNI plugin');
      expect(fs.existsSync(path.join(project, 'dist'))).toBe(false);
      // an app that writes elsewhere than CDK8S_OUTDIR is reported, not read as "nothing needed"
      fs.writeFileSync(path.join(project, 'main.ts'), fs.readFileSync(path.join(project, 'main.ts'), 'utf8').replace('new App()', `new App({ outdir: ${JSON.stringify(path.join(project, 'elsewhere'))} })`));
      const ignored = run([], project);
      expect(ignored.code).toBe(2);
      expect(ignored.err).toMatch(/wrote no manifest into CDK8S_OUTDIR.*pass --dir <folder>/);
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });

  test('the command line dispatches to it, and rejects unknown options', () => {
    const cli = path.resolve(__dirname, '../src/cli.ts');
    const help = execFileSync(path.resolve(__dirname, '../node_modules/.bin/tsx'), [cli, 'prerequisites', '--help'], { encoding: 'utf8' });
    expect(help).toMatch(/^Usage: cloudnative-constructs prerequisites/);
    expect(run(['--bogus'], process.cwd())).toEqual({ code: 2, out: '', err: expect.stringMatching(/unknown option "--bogus"/) });
  });
});
