import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import {
  Autoscaled, CanaryRelease, NetworkPolicyBundle, NetworkPolicyBundleProps, Pipeline, reachabilityReport, SecureNamespace, SecureNamespaceProps,
  WebApp,
} from '../../src';
import { Manifest, synthValid, validateWorkflows } from '../harness';
import * as arb from './arbitraries';
import { AppSpec, appSpec, bundleOptions, distinctApps, namespaceRefusesDefaultApps, namespaceName, secureOptions } from './network-world';

interface Platform {
  readonly namespace: string;
  readonly apps: AppSpec[];
  /** Per app: an autoscaler (on the WebApp, or on a release's track). */
  readonly scaling: Array<{ min: number; extra: number; track: 'stable' | 'canary' } | undefined>;
  readonly secure?: Omit<SecureNamespaceProps, 'name'>;
  /** When the SecureNamespace is created: before the apps, between apps and bundle, or last. */
  readonly securePosition: 0 | 1 | 2;
  readonly bundle: NetworkPolicyBundleProps;
  readonly ingressController: boolean;
  readonly edges: Array<{ from: number; to: number; fromTrack: boolean; toTrack: boolean }>;
  readonly pipeline?: { name?: string; argocd: boolean; automated: boolean };
}

const platform: fc.Arbitrary<Platform> = fc.record({
  namespace: namespaceName,
  apps: fc.array(appSpec, { minLength: 1, maxLength: 5 }).map(distinctApps),
  scaling: fc.array(fc.option(fc.record({
    min: fc.integer({ min: 1, max: 3 }), extra: fc.integer({ min: 0, max: 6 }), track: fc.constantFrom('stable' as const, 'canary' as const),
  }), { nil: undefined }), { minLength: 5, maxLength: 5 }),
  secure: fc.option(secureOptions, { nil: undefined }),
  securePosition: fc.constantFrom(0 as const, 1 as const, 2 as const),
  bundle: bundleOptions,
  ingressController: fc.boolean(),
  edges: fc.array(fc.record({ from: fc.nat(), to: fc.nat(), fromTrack: fc.boolean(), toTrack: fc.boolean() }), { maxLength: 8 }),
  pipeline: fc.option(fc.record({ name: fc.option(arb.resourceName, { nil: undefined }), argocd: fc.boolean(), automated: fc.boolean() }),
    { nil: undefined }),
});

interface Built {
  readonly chart: Chart;
  readonly pipeline?: Pipeline;
  readonly flows: string[];
}

function build(p: Platform): Built {
  // construct ids of the platform pieces are capitalised so that no generated app name (a DNS label) collides with them
  const chart = new Chart(Testing.app(), 'platform', { namespace: p.namespace });
  const secure = (at: number) => { if (p.secure && p.securePosition === at) new SecureNamespace(chart, 'Namespace', { name: p.namespace, ...p.secure }); };
  secure(0);
  const made = p.apps.map((a, i) => {
    const workload = a.kind === 'web'
      ? new WebApp(chart, a.name, { image: 'ghcr.io/acme/app:1.0.0', port: a.port, ingress: a.ingress ? { host: `${a.name}.example.com`, tls: true } : undefined })
      : new CanaryRelease(chart, a.name, { port: a.port, stable: { image: 'ghcr.io/acme/app:1.0.0' }, canary: { image: 'ghcr.io/acme/app:1.1.0' }, canaryWeight: 20 });
    const scale = p.scaling[i];
    if (scale) {
      const target = workload instanceof WebApp ? workload : workload[scale.track];
      new Autoscaled(chart, `${a.name}Scaling`, { target, minReplicas: scale.min, maxReplicas: scale.min + scale.extra });
    }
    return workload;
  });
  secure(1);
  const bundle = new NetworkPolicyBundle(chart, 'Network', { ...p.bundle, name: p.bundle.name ?? 'net', allowFromIngressController: p.ingressController });
  const flows: string[] = [];
  const deployments = (w: WebApp | CanaryRelease, track: boolean) => (w instanceof WebApp ? [w.name] : track ? [`${w.name}-stable`] : [`${w.name}-stable`, `${w.name}-canary`]);
  for (const edge of p.edges) {
    const from = made[edge.from % made.length];
    const to = made[edge.to % made.length];
    const sender = from instanceof CanaryRelease && edge.fromTrack ? from.stable : from;
    const receiver = to instanceof CanaryRelease && edge.toTrack ? to.stable : to;
    bundle.allow(sender, receiver);
    for (const f of deployments(from, edge.fromTrack)) {
      for (const t of deployments(to, edge.toTrack)) if (f !== t) flows.push(`${p.namespace}/${f} → ${p.namespace}/${t}:${receiver.port}`);
    }
  }
  secure(2);
  const pipeline = p.pipeline && new Pipeline(chart, 'Delivery', {
    image: 'ghcr.io/acme/app',
    name: p.pipeline.name ?? 'delivery',
    argocd: p.pipeline.argocd ? { repoURL: 'https://github.com/acme/platform.git', automated: p.pipeline.automated } : undefined,
  });
  return { chart, pipeline, flows };
}

describe('Platform properties', () => {
  test('all six constructs in one namespace, in random combinations and orders, synthesise valid, unique, deterministic output', () => {
    const workflows: string[] = [];
    fc.assert(fc.property(platform, (p) => {
      const built = build(p);
      const refused = namespaceRefusesDefaultApps(p.secure);
      if (refused) {
        expect(() => synthValid(built.chart)).toThrow(refused);
        return;
      }
      const objects: Manifest[] = synthValid(built.chart);
      const keys = objects.map(o => `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
      expect(keys.length).toBe(new Set(keys).size);
      expect(objects.filter(o => o.kind === 'NetworkPolicy' && o.metadata.name === 'default-deny').length)
        .toBe(p.bundle.defaultDeny === 'none' && !(p.secure && p.secure.defaultDenyNetwork !== false) ? 0 : 1);
      const lines = new Set(reachabilityReport(objects).lines);
      for (const flow of built.flows) expect(lines.has(flow) ? flow : `missing: ${flow}`).toBe(flow);
      const again = build(p);
      expect(JSON.stringify(Testing.synth(again.chart))).toBe(JSON.stringify(objects));
      if (built.pipeline) {
        expect(again.pipeline!.toYaml()).toBe(built.pipeline.toYaml());
        workflows.push(built.pipeline.toYaml());
      }
    }), { numRuns: arb.RUNS });
    expect(validateWorkflows(workflows.map(content => ({ content }))).flat()).toEqual([]);
  });
});
