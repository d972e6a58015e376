import { App, Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import {
  CanaryRelease, INetworkPeer, NetworkPolicyBundle, NetworkPolicyBundleProps, reachabilityReport, SecureNamespace, SecureNamespaceProps, WebApp,
} from '../../src';
import { synthValid } from '../harness';
import * as arb from './arbitraries';

/** One workload of a namespace. */
export interface AppSpec {
  readonly kind: 'web' | 'canary';
  readonly name: string;
  readonly port: number;
  readonly ingress: boolean;
  /** The metrics port, when the app declares metrics (never its own port: STRICT mTLS namespaces refuse that). */
  readonly metrics?: number;
}

/** One namespace: its workloads, its bundle and, optionally, a SecureNamespace of the same name. */
export interface NamespaceSpec {
  readonly name: string;
  readonly apps: AppSpec[];
  readonly bundle: NetworkPolicyBundleProps;
  /** Ingress controller allowance: none, true (every app with an Ingress), or the listed apps. */
  readonly ingressController: false | true | number[];
  readonly secure?: Omit<SecureNamespaceProps, 'name'>;
  readonly secureFirst: boolean;
}

/** An `allow(from, to, port?)`: indices of namespace and app, the track when a release's track is meant. */
export interface EdgeSpec {
  readonly from: readonly [number, number, TrackChoice];
  readonly to: readonly [number, number, TrackChoice];
  readonly explicitPort: boolean;
  /** Declared on the receiver's bundle instead of the sender's. */
  readonly onReceiver: boolean;
}

type TrackChoice = 'release' | 'stable' | 'canary';

export interface World {
  readonly namespaces: NamespaceSpec[];
  readonly edges: EdgeSpec[];
}

/** Names that collide in the naive `<to>-from-<from>` / `<from>-to-<to>` scheme, next to random ones. */
const appName = fc.oneof(
  arb.resourceName,
  fc.stringMatching(/^[a-z][a-z0-9-]{20,40}[a-z0-9]$/),
  fc.constantFrom('web', 'api', 'web-from-api', 'api-to-web', 'web-to-api', 'api-from-web', 'shop-web', 'pay-api', 'ingress-controller', 'ingress-gateway'),
);
export const namespaceName = fc.oneof(arb.resourceName, fc.stringMatching(/^[a-z][a-z0-9-]{20,40}[a-z0-9]$/), fc.constantFrom('shop', 'pay', 'shop-web'));

export function distinctApps(apps: AppSpec[]): AppSpec[] {
  // Two workloads whose Deployments share a name are genuinely invalid (the library reports it).
  const deployments = (a: AppSpec) => (a.kind === 'web' ? [a.name] : [a.name, `${a.name}-stable`, `${a.name}-canary`]);
  const taken = new Set<string>();
  return apps.filter(a => {
    const names = deployments(a);
    if (names.some(n => taken.has(n))) return false;
    names.forEach(n => taken.add(n));
    return true;
  });
}

export const appSpec: fc.Arbitrary<AppSpec> = fc.record({
  kind: fc.constantFrom('web' as const, 'canary' as const),
  name: appName,
  port: fc.oneof(fc.constantFrom(8080, 53, 443), arb.port),
  ingress: fc.boolean(),
  metrics: fc.option(fc.oneof(fc.constant(9090), arb.port), { nil: undefined }),
}).map(a => (a.metrics === a.port ? { ...a, metrics: undefined } : a));

export const egressRule = fc.oneof(
  fc.record({ cidr: fc.constantFrom('10.20.0.0/16', '0.0.0.0/0', '192.168.1.10/32', '2001:db8::/32'), ports: fc.uniqueArray(arb.port, { minLength: 1, maxLength: 3 }) }),
  fc.record({ namespace: namespaceName, ports: fc.uniqueArray(arb.port, { minLength: 1, maxLength: 3 }), protocol: fc.constantFrom('TCP' as const, 'UDP' as const) }),
);

export const bundleOptions: fc.Arbitrary<NetworkPolicyBundleProps> = fc.record({
  name: fc.option(arb.resourceName, { nil: undefined }),
  defaultDeny: fc.option(fc.constantFrom('all' as const, 'ingress' as const, 'egress' as const, 'none' as const), { nil: undefined }),
  allowDns: fc.option(fc.boolean(), { nil: undefined }),
  allowSameNamespace: fc.option(fc.boolean(), { nil: undefined }),
  allowMonitoring: fc.option(fc.oneof(fc.boolean(), fc.record({ namespace: namespaceName, port: arb.port }, { requiredKeys: [] })),
    { nil: undefined }),
  egress: fc.option(fc.array(egressRule, { maxLength: 3 }), { nil: undefined }),
}, { requiredKeys: [] });

const groups = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9:@._-]{0,15}$/), { minLength: 1, maxLength: 3 });

export const secureOptions: fc.Arbitrary<Omit<SecureNamespaceProps, 'name'>> = fc.record({
  podSecurity: fc.constantFrom('restricted' as const, 'baseline' as const, 'privileged' as const),
  podSecurityVersion: fc.constantFrom('latest', 'v1.28', 'v1.30'),
  quota: fc.record({
    cpu: fc.oneof(fc.integer({ min: 1, max: 64 }).map(String), arb.cpuSpec.map(s => ({ request: s.request, limit: s.limit }))),
    memory: fc.oneof(fc.integer({ min: 1, max: 256 }).map(n => `${n}Gi`), arb.memorySpec.map(s => ({ request: s.request, limit: s.limit }))),
    pods: fc.integer({ min: 1, max: 500 }),
  }, { requiredKeys: [] }).filter(q => Object.keys(q).length > 0),
  limits: fc.oneof(fc.constant(false as const), fc.record({ defaultCpu: arb.cpuSpec, defaultMemory: arb.memorySpec }, { requiredKeys: [] })),
  istio: fc.oneof(fc.constant(false as const), fc.record({
    injection: fc.boolean(),
    mtls: fc.constantFrom('STRICT' as const, 'PERMISSIVE' as const),
    denyByDefault: fc.boolean(),
    controlPlaneNamespace: fc.constantFrom('istio-system', 'mesh'),
  }, { requiredKeys: [] })),
  defaultDenyNetwork: fc.boolean(),
  access: fc.record({ admins: groups, editors: groups, viewers: groups }, { requiredKeys: [] }),
}, { requiredKeys: [] });

export function worldOf(secure: fc.Arbitrary<Omit<SecureNamespaceProps, 'name'> | undefined>): fc.Arbitrary<World> {
  const namespace = fc.record({
    name: namespaceName,
    apps: fc.array(appSpec, { minLength: 1, maxLength: 5 }).map(distinctApps),
    bundle: bundleOptions,
    ingressController: fc.oneof(fc.constant(false as const), fc.constant(true as const), fc.array(fc.nat(), { minLength: 1, maxLength: 3 })),
    secure,
    secureFirst: fc.boolean(),
  });
  const index = fc.tuple(fc.nat(), fc.nat(), fc.constantFrom('release' as const, 'stable' as const, 'canary' as const));
  return fc.record({
    namespaces: fc.uniqueArray(namespace, { minLength: 1, maxLength: 2, selector: n => n.name }),
    edges: fc.array(fc.record({ from: index, to: index, explicitPort: fc.boolean(), onReceiver: fc.boolean() }), { maxLength: 10 }),
  }).map(w => ({
    namespaces: w.namespaces,
    edges: w.edges.map(e => ({
      ...e,
      from: [e.from[0] % w.namespaces.length, e.from[1] % w.namespaces[e.from[0] % w.namespaces.length].apps.length, e.from[2]] as const,
      to: [e.to[0] % w.namespaces.length, e.to[1] % w.namespaces[e.to[0] % w.namespaces.length].apps.length, e.to[2]] as const,
    })),
  }));
}

/** What a built world exposes to the assertions. */
export interface BuiltWorld {
  readonly app: App;
  /** Every allow() made, with the Deployments (namespace/name) on each side and the port. */
  readonly allowed: Array<{ from: string[]; to: string[]; port: number }>;
}

/** Builds the world: per namespace a chart with its apps, then its bundle and SecureNamespace in the chosen order, then the edges. */
export function buildWorld(world: World): BuiltWorld {
  const app = Testing.app();
  const peers: Array<Array<WebApp | CanaryRelease>> = [];
  const bundles: NetworkPolicyBundle[] = [];
  for (const ns of world.namespaces) {
    const chart = new Chart(app, ns.name, { namespace: ns.name });
    const made = ns.apps.map(a => {
      const metrics = a.metrics === undefined ? undefined : { port: a.metrics };
      return a.kind === 'web'
        ? new WebApp(chart, a.name, { image: 'ghcr.io/acme/app:1.0.0', port: a.port, ingress: a.ingress ? { host: `${a.name}.${ns.name}.example.com` } : undefined, metrics })
        : new CanaryRelease(chart, a.name, {
          port: a.port,
          stable: { image: 'ghcr.io/acme/app:1.0.0' },
          canary: { image: 'ghcr.io/acme/app:1.1.0' },
          canaryWeight: 10,
          // a release "with ingress" is exposed through the Istio ingress gateway
          gateway: a.ingress ? { hosts: [`${a.name}.${ns.name}.example.com`] } : undefined,
          metrics,
        });
    });
    peers.push(made);
    const secure = () => { if (ns.secure !== undefined) new SecureNamespace(chart, 'Namespace', { name: ns.name, ...ns.secure }); };
    if (ns.secureFirst) secure();
    const controller = ns.ingressController === false ? undefined
      : ns.ingressController === true ? true : { to: [...new Set(ns.ingressController.map(i => made[i % made.length]))] };
    bundles.push(new NetworkPolicyBundle(chart, 'Network', { ...ns.bundle, name: ns.bundle?.name ?? 'net', allowFromIngressController: controller }));
    // (capitalised construct ids: no generated app name, a DNS label, can collide with them)
    if (!ns.secureFirst) secure();
  }
  const allowed: BuiltWorld['allowed'] = [];
  const resolve = ([n, a, track]: readonly [number, number, TrackChoice]): { peer: INetworkPeer; deployments: string[] } => {
    const target = peers[n][a];
    const ns = world.namespaces[n].name;
    if (target instanceof WebApp) return { peer: target, deployments: [`${ns}/${target.name}`] };
    if (track === 'release') return { peer: target, deployments: [`${ns}/${target.name}-stable`, `${ns}/${target.name}-canary`] };
    return { peer: target[track], deployments: [`${ns}/${target[track].name}`] };
  };
  for (const edge of world.edges) {
    const from = resolve(edge.from);
    const to = resolve(edge.to);
    bundles[edge.onReceiver ? edge.to[0] : edge.from[0]].allow(from.peer, to.peer, edge.explicitPort ? to.peer.port : undefined);
    allowed.push({ from: from.deployments, to: to.deployments, port: to.peer.port! });
  }
  return { app, allowed };
}

/** Millicores of a cpu quantity written as `<n>m` or `<n>` (what the arbitraries generate). */
function millicores(quantity: string): number {
  return quantity.endsWith('m') ? Number(quantity.slice(0, -1)) : Number(quantity) * 1000;
}

/** The error of a LimitRange whose injected cpu limit is below an app's request. */
export const LIMIT_RANGE_ERROR = /requests cpu "100m", above the cpu limit "[^"]+" that LimitRange "container-defaults"/;
/** The error of a quota on limits.cpu when apps have no cpu limit. */
export const QUOTA_ERROR = /has no cpu limit, but ResourceQuota "compute-quota" .* caps limits\.cpu/;

/**
 * The error a namespace's LimitRange and quota must raise for apps with default resources (cpu
 * request 100m and no cpu limit, memory 256Mi request and limit), if any: a default cpu limit
 * below 100m refuses them, and so does a `limits.cpu` quota when nothing gives them a cpu limit.
 */
export function namespaceRefusesDefaultApps(secure: Omit<SecureNamespaceProps, 'name'> | undefined): RegExp | undefined {
  const defaultCpuLimit = secure?.limits ? secure.limits.defaultCpu?.limit : undefined;
  if (defaultCpuLimit !== undefined && millicores(defaultCpuLimit) < 100) return LIMIT_RANGE_ERROR;
  const quotaCpu = secure?.quota?.cpu;
  if (typeof quotaCpu === 'object' && quotaCpu.limit !== undefined && defaultCpuLimit === undefined) return QUOTA_ERROR;
  return undefined;
}

/**
 * The seams a world may cross, modelled independently of the library (issue 17), as patterns of
 * the synth error each one must raise:
 * - a default cpu limit of the namespace's LimitRange below the apps' cpu request (100m, no cpu
 *   limit of their own) would get their pods refused;
 * - a flow from a namespace without sidecars into one with sidecars that denies by default or
 *   enforces STRICT mTLS (the default) would be refused at L7 although the NetworkPolicies allow it.
 */
export function expectedSeamErrors(world: World): RegExp[] {
  const errors: RegExp[] = [];
  for (const ns of world.namespaces) {
    const refused = namespaceRefusesDefaultApps(ns.secure);
    if (refused) errors.push(refused);
  }
  const sidecars = (ns: World['namespaces'][number]) => ns.secure === undefined ? undefined : ns.secure.istio !== false && (ns.secure.istio?.injection ?? true);
  for (const edge of world.edges) {
    const from = world.namespaces[edge.from[0]];
    const to = world.namespaces[edge.to[0]];
    const istio = to.secure?.istio;
    if (sidecars(from) !== false || sidecars(to) !== true || istio === false) continue;
    if (istio?.denyByDefault || (istio?.mtls ?? 'STRICT') === 'STRICT') errors.push(/without Istio sidecars .*, so it has no mesh identity and speaks plain text/);
  }
  return errors;
}

/** Synthesises a world and checks everything the bundle promises about it. */
export function checkWorld(world: World): void {
  const built = buildWorld(world);
  const seams = expectedSeamErrors(world);
  if (seams.length > 0) {
    for (const error of seams) expect(() => synthValid(built.app)).toThrow(error);
    return;
  }
  const objects = synthValid(built.app);
  const lines = new Set(reachabilityReport(objects).lines);
  for (const { from, to, port } of built.allowed) {
    for (const sender of from) {
      for (const receiver of to) {
        if (sender !== receiver) expect([...lines].filter(l => l === `${sender} → ${receiver}:${port}`)).toEqual([`${sender} → ${receiver}:${port}`]);
      }
    }
  }
  // The Istio ingress gateway reaches every release exposed through it, wherever ingress is denied.
  for (const ns of world.namespaces) {
    const denied = ['all', 'ingress'].includes(ns.bundle.defaultDeny ?? 'all') || (ns.secure !== undefined && ns.secure.defaultDenyNetwork !== false);
    for (const a of ns.apps.filter(x => x.kind === 'canary' && x.ingress && denied)) {
      for (const track of ['stable', 'canary']) {
        const line = `istio-system/{istio=ingressgateway} → ${ns.name}/${a.name}-${track}:${a.port}`;
        expect(lines.has(line) ? line : `missing: ${line}`).toBe(line);
      }
    }
  }
  for (const ns of world.namespaces) checkMonitoring(ns, lines, world.namespaces.map(n => n.name));
  const again = buildWorld(world).app.charts.flatMap(c => Testing.synth(c));
  expect(JSON.stringify(again)).toBe(JSON.stringify(objects));
}

/**
 * Where ingress is denied and the bundle allows monitoring, the monitoring namespace reaches each
 * declared metrics port, and, unless the bundle names a port, no port at all once an app of the
 * namespace declares metrics. (A monitoring namespace of the world has its own egress policies,
 * which the report also applies: skipped.)
 */
function checkMonitoring(ns: NamespaceSpec, lines: Set<string>, worldNamespaces: string[]): void {
  const monitoring = ns.bundle.allowMonitoring;
  if (!monitoring) return;
  const monitoringNamespace = (monitoring === true ? undefined : monitoring.namespace) ?? 'monitoring';
  const explicitPort = monitoring === true ? undefined : monitoring.port;
  const ingressDenied = ['all', 'ingress', undefined].includes(ns.bundle.defaultDeny) || (ns.secure !== undefined && ns.secure.defaultDenyNetwork !== false);
  const withMetrics = ns.apps.filter(a => a.metrics !== undefined);
  if (!ingressDenied || withMetrics.length === 0 || worldNamespaces.includes(monitoringNamespace)) return;
  for (const a of withMetrics) {
    for (const deployment of a.kind === 'web' ? [a.name] : [`${a.name}-stable`, `${a.name}-canary`]) {
      const line = `${monitoringNamespace}/* → ${ns.name}/${deployment}:${a.metrics}`;
      expect([line, lines.has(line)]).toEqual([line, true]);
    }
  }
  if (explicitPort === undefined) {
    expect([...lines].filter(l => l.startsWith(`${monitoringNamespace}/* → ${ns.name}/`) && l.endsWith(':*'))).toEqual([]);
  }
}
