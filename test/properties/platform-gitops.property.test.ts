import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, YamlOutputType } from 'cdk8s';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import {
  CanaryRelease, HttpsGateway, NetworkPolicyBundle, NetworkPolicyBundleProps, Pipeline, reachabilityReport, SecureNamespace, SecureNamespaceProps,
  ServiceLevelObjective, synth, WebApp,
} from '../../src';
import { Manifest, synthValid } from '../harness';
import * as arb from './arbitraries';
import { AppSpec, appSpec, bundleOptions, distinctApps, namespaceName, namespaceRefusesDefaultApps, secureOptions } from './network-world';

// A platform as a team adopts it: a namespace chart with an HttpsGateway, routed apps (canaries
// split by Gateway API), metrics, objectives, a bundle opening the gateway and monitoring, a chart
// without a namespace, and one ArgoCD Application per chart; written by app.synth() or synth(app)
// in every output type that can hold it.

const OUTPUT_TYPES = [
  ['FILE_PER_CHART', YamlOutputType.FILE_PER_CHART],
  ['FOLDER_PER_CHART_FILE_PER_RESOURCE', YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE],
  ['FILE_PER_RESOURCE', YamlOutputType.FILE_PER_RESOURCE],
] as const;

interface GitOpsPlatform {
  readonly namespace: string;
  readonly apps: AppSpec[];
  /** Per app: routed through the gateway (a canary then splits by Gateway API). */
  readonly routed: boolean[];
  /** Per app: a ServiceLevelObjective, with the app's own metrics or Istio's. */
  readonly slo: Array<'istio' | 'app' | undefined>;
  readonly secure?: Omit<SecureNamespaceProps, 'name'>;
  readonly bundle: NetworkPolicyBundleProps;
  readonly gateway: boolean;
  /** A chart without a namespace with one app (metrics optional). */
  readonly plain?: { metrics: boolean };
  readonly argocd: boolean;
  /** Per app: shared workload options (a sidecar with a named port, files, config, envFrom, preStop). */
  readonly options: boolean[];
  /** allow(from, to, 'admin'): to the sidecar port by name (apps without options get them for the edge). */
  readonly edges: Array<{ from: number; to: number }>;
  readonly output: number;
  readonly mode: 'app.synth()' | 'synth(app)';
}

const platform: fc.Arbitrary<GitOpsPlatform> = fc.record({
  namespace: namespaceName,
  apps: fc.array(appSpec, { minLength: 1, maxLength: 4 }).map(distinctApps),
  routed: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
  slo: fc.array(fc.constantFrom('istio' as const, 'app' as const, undefined), { minLength: 4, maxLength: 4 }),
  secure: fc.option(secureOptions, { nil: undefined }),
  bundle: bundleOptions,
  gateway: fc.boolean(),
  plain: fc.option(fc.record({ metrics: fc.boolean() }), { nil: undefined }),
  argocd: fc.boolean(),
  options: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
  edges: fc.array(fc.record({ from: fc.nat(), to: fc.nat() }), { maxLength: 4 }),
  output: fc.nat({ max: OUTPUT_TYPES.length - 1 }),
  mode: fc.constantFrom('app.synth()' as const, 'synth(app)' as const),
});

interface Built {
  readonly app: App;
  /** namespace/Deployment:port the gateway must reach, and namespace/Deployment:port monitoring must reach. */
  readonly gatewayFlows: string[];
  readonly monitoringFlows: string[];
  /** namespace/Deployment → namespace/Deployment:port opened by allow() to a sidecar port by name. */
  readonly sidecarFlows: string[];
}

const GATEWAY = 'Edge';

function build(p: GitOpsPlatform, outdir: string, yamlOutputType: YamlOutputType = OUTPUT_TYPES[p.output][1]): Built {
  const app = new App({ outdir, yamlOutputType });
  const chart = new Chart(app, 'platform', { namespace: p.namespace });
  if (p.secure) new SecureNamespace(chart, 'Namespace', { name: p.namespace, ...p.secure });
  // the gateway's name is not a DNS label the app names can take (capitalised id, explicit name)
  const gateway = p.gateway ? new HttpsGateway(chart, GATEWAY, { name: 'edge-gw', hosts: ['*.example.com'] }) : undefined;
  const gatewayFlows: string[] = [];
  const monitoringFlows: string[] = [];
  const admin = (a: AppSpec) => [9901, 9902, 9903].find(port => port !== a.port && port !== a.metrics)!;
  const withOptions = p.apps.map((_a, i) => p.options[i] || p.edges.some(e => e.to % p.apps.length === i));
  const made = p.apps.map((a, i) => {
    const options = withOptions[i] ? {
      sidecars: [{ name: 'proxy', image: 'ghcr.io/acme/proxy:1.0.0', ports: [{ name: 'admin', port: admin(a) }] }],
      files: { '/etc/app/app.yaml': `name: ${a.name}\n` },
      config: { LEVEL: 'info' },
      envFrom: [{ configMap: `${a.name}-extra`, prefix: 'X_' }],
      preStop: { sleepSeconds: 5 },
    } : {};
    const route = gateway && p.routed[i] ? { gateway, hosts: [`${a.name}.example.com`] } : undefined;
    const metrics = a.metrics === undefined ? undefined : { port: a.metrics };
    const workload = a.kind === 'web'
      ? new WebApp(chart, a.name, { image: 'ghcr.io/acme/app:1.0.0', port: a.port, metrics, route, ...options })
      : new CanaryRelease(chart, a.name, {
        ...options,
        port: a.port,
        stable: { image: 'ghcr.io/acme/app:1.0.0' },
        canary: { image: 'ghcr.io/acme/app:1.1.0' },
        canaryWeight: 20,
        metrics,
        ...route ? { routing: 'gateway-api' as const, route } : {},
      });
    const deployments = a.kind === 'web' ? [a.name] : [`${a.name}-stable`, `${a.name}-canary`];
    if (route) gatewayFlows.push(...deployments.map(d => `${p.namespace}/${d}:${a.port}`));
    if (metrics && p.bundle.allowMonitoring === true) monitoringFlows.push(...deployments.map(d => `${p.namespace}/${d}:${a.metrics}`));
    const source = p.slo[i] === 'app' && metrics === undefined ? 'istio' : p.slo[i];
    if (source) new ServiceLevelObjective(chart, `${a.name}Objective`, { name: `${a.name}-slo`, target: workload, availability: 99.9, source });
    return workload;
  });
  const bundle = new NetworkPolicyBundle(chart, 'Network', { ...p.bundle, name: p.bundle.name ?? 'net', allowFromGateway: gateway });
  const sidecarFlows: string[] = [];
  const deploymentsOf = (a: AppSpec) => (a.kind === 'web' ? [a.name] : [`${a.name}-stable`, `${a.name}-canary`]);
  for (const edge of p.edges) {
    const [from, to] = [edge.from % p.apps.length, edge.to % p.apps.length];
    bundle.allow(made[from], made[to], 'admin');
    for (const f of deploymentsOf(p.apps[from])) {
      for (const t of deploymentsOf(p.apps[to])) if (f !== t) sidecarFlows.push(`${p.namespace}/${f} → ${p.namespace}/${t}:${admin(p.apps[to])}`);
    }
  }
  if (p.plain) {
    const plain = new Chart(app, 'tools');
    new WebApp(plain, 'tool', { image: 'ghcr.io/acme/tool:1.0.0', metrics: p.plain.metrics ? { port: 9100 } : undefined });
    new NetworkPolicyBundle(plain, 'Network', { name: 'net', defaultDeny: 'ingress', allowMonitoring: true });
  }
  if (p.argocd) {
    new Pipeline(chart, 'Delivery', { image: 'ghcr.io/acme/app', name: 'delivery', argocd: { repoURL: 'https://github.com/acme/platform.git', charts: 'all' } });
  }
  return { app, gatewayFlows, monitoringFlows, sidecarFlows };
}

function yamlFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter(f => /\.ya?ml$/.test(f)).sort();
}

function documents(dir: string, file: string): Manifest[] {
  return YAML.parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8')).map(d => d.toJS()).filter(o => o !== null);
}

/** The files (relative to outdir) an Application syncs: its folder, narrowed by `directory.include`. */
function syncedFiles(application: any, outdir: string): string[] {
  const folder = path.join(outdir, path.relative('dist', application.spec.source.path));
  const include: string | undefined = application.spec.source.directory?.include;
  const allowed = include === undefined ? undefined : new Set(include.replace(/^\{|\}$/g, '').split(','));
  return fs.readdirSync(folder, { withFileTypes: true })
    .filter(e => e.isFile() && /\.ya?ml$/.test(e.name) && (allowed === undefined || allowed.has(e.name)))
    .map(e => path.relative(outdir, path.join(folder, e.name)));
}

const key = (o: Manifest) => `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

describe('Platform properties: gateway, metrics, objectives, GitOps output', () => {
  test('random platforms pass the harness, write every object exactly once in every output type, deterministically, each in one Application', () => {
    fc.assert(fc.property(platform, (p) => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnc-platform-'));
      try {
        // validated as one file per chart (FILE_PER_RESOURCE's collision check would stop the harness first)
        const built = build(p, outdir, YamlOutputType.FILE_PER_CHART);
        const refused = namespaceRefusesDefaultApps(p.secure);
        if (refused) {
          expect(() => synthValid(built.app)).toThrow(refused);
          return;
        }
        const objects = synthValid(built.app);
        const keys = objects.map(key);
        expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
        // the reachability report: the gateway reaches each routed pod, monitoring each metrics port (or everyone does)
        const lines = new Set(reachabilityReport(built.app).lines);
        for (const flow of built.gatewayFlows) {
          const [target] = flow.split(':');
          const reached = lines.has(`${p.namespace}/edge-gw (Gateway) → ${flow}`) || lines.has(`(anywhere) → ${target}:*`);
          expect(reached ? flow : `gateway does not reach ${flow}`).toBe(flow);
        }
        for (const flow of built.monitoringFlows) {
          const [target] = flow.split(':');
          const reached = lines.has(`monitoring/* → ${flow}`) || lines.has(`(anywhere) → ${target}:*`);
          expect(reached ? flow : `monitoring does not reach ${flow}`).toBe(flow);
        }

        for (const flow of built.sidecarFlows) expect(lines.has(flow) ? flow : `missing: ${flow}`).toBe(flow);

        // FILE_PER_RESOURCE names files <kind>.<name>: objects of two charts with one kind and name must fail loudly
        const byFile = new Map<string, Set<string>>();
        for (const o of objects) byFile.set(`${o.kind}.${o.metadata.name}`, new Set([...byFile.get(`${o.kind}.${o.metadata.name}`) ?? [], key(o)]));
        const collides = OUTPUT_TYPES[p.output][0] === 'FILE_PER_RESOURCE' && [...byFile.values()].some(s => s.size > 1);
        const write = (app: App) => (p.mode === 'synth(app)' ? synth(app) : app.synth());
        const target = build(p, outdir).app;
        if (collides) {
          expect(() => write(target)).toThrow(/would both be written to/);
          return;
        }
        write(target);
        const files = yamlFiles(outdir);
        const written = files.flatMap(f => documents(outdir, f));
        // nothing lost, nothing twice
        expect(written.map(key).sort()).toEqual([...keys].sort());

        // determinism: a second build writes byte-identical files
        const again = fs.mkdtempSync(path.join(os.tmpdir(), 'cnc-platform-'));
        try {
          write(build(p, again).app);
          expect(yamlFiles(again)).toEqual(files);
          for (const f of files) expect({ f, text: fs.readFileSync(path.join(again, f), 'utf8') }).toEqual({ f, text: fs.readFileSync(path.join(outdir, f), 'utf8') });
        } finally {
          fs.rmSync(again, { recursive: true, force: true });
        }

        if (!p.argocd) return;
        // every object's file in exactly one Application; the Applications in none
        const applications = written.filter(o => o.kind === 'Application');
        expect(applications.map(a => a.metadata.name).sort()).toEqual(['delivery-platform', ...p.plain ? ['delivery-tools'] : []].sort());
        const owners = new Map<string, string[]>();
        for (const application of applications) {
          for (const file of syncedFiles(application, outdir)) owners.set(file, [...owners.get(file) ?? [], application.metadata.name]);
        }
        for (const file of files) {
          const isApplication = documents(outdir, file).every(o => o.kind === 'Application');
          expect({ file, owners: owners.get(file) ?? [] }).toEqual({ file, owners: isApplication ? [] : [expect.any(String)] });
        }
      } finally {
        fs.rmSync(outdir, { recursive: true, force: true });
      }
    }), { numRuns: arb.RUNS });
  });
});
