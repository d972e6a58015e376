// Drill: a CanaryRelease promotion through ArgoCD's sync waves never routes requests to a subset
// without a ready pod.
//
// The Pipeline annotates synced charts with sync waves (src/argocd/sync-waves.ts): Deployments in
// wave 0, DestinationRule and VirtualService (custom resources) in wave 1. ArgoCD applies wave 0,
// waits until the Deployments have rolled out, then applies wave 1 (modelled in ./argocd-sync.ts
// from ArgoCD's and Kubernetes' docs). At every intermediate state, each DestinationRule subset
// that a route sends weight > 0 to must select at least one ready pod behind the route's Service;
// otherwise Envoy answers 503 "no healthy upstream" (https://istio.io/latest/docs/ops/common-problems/network-issues/#503-errors-after-setting-destination-rule).
// The Gateway API path (HTTPRoute backendRefs to the Services `<name>-stable` / `<name>-canary`,
// which select by track) is held to the same rule; it passed on main too.
//
// On main before this change the subsets selected `app.kubernetes.io/version` as well as the
// track: promoting 2.1.0 to stable rolled the stable Deployment to 2.1.0 in wave 0 while the
// subset `stable` still selected version 2.0.0, so the stable track (90 % of the requests) had no
// pod from "Deployment shop/api-stable: 1 old pod(s) removed" (the last old pod gone) until the
// DestinationRule moved in wave 1 (and, had ArgoCD applied the VirtualService before the
// DestinationRule, all of the requests for a moment); a canary image bump emptied the canary
// subset the same way, for its 10 % and for the header match.
import { Chart, Testing } from 'cdk8s';
import { ClusterState, K8sObject, selects, syncStates } from './argocd-sync';
import { CanaryRelease, CanaryReleaseProps, HttpsGateway } from '../../src';
import { addSyncWaves } from '../../src/argocd/sync-waves';

type Release = Pick<CanaryReleaseProps, 'stable' | 'canary' | 'canaryWeight' | 'routing' | 'match'>;

/** The synthesised objects of a release as the Pipeline syncs them (with sync waves). */
function synthesise(props: Release): K8sObject[] {
  const app = Testing.app(); // a temporary output folder
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const route = props.routing === 'gateway-api'
    ? { route: { gateway: new HttpsGateway(chart, 'public', { hosts: ['api.example.com'] }), hosts: ['api.example.com'] } }
    : {};
  new CanaryRelease(chart, 'api', { ...props, ...route, port: 8080 } as CanaryReleaseProps);
  addSyncWaves(chart);
  app.synth(); // runs the validations that write the sync waves
  return chart.toJson();
}

function find(objects: readonly K8sObject[], kind: string, name: string): K8sObject | undefined {
  return objects.find(o => o.kind === kind && o.metadata.name === name);
}

/** The routes' destinations with weight > 0 that have no ready pod, in one state. */
function emptyDestinations(state: ClusterState): string[] {
  const ready = state.pods.filter(p => p.ready);
  const readyBehind = (service: string, subset: Record<string, string> = {}): number => {
    const selector = find(state.objects, 'Service', service)?.spec.selector ?? { none: 'no such Service' };
    return ready.filter(p => selects(selector, p.labels) && selects(subset, p.labels)).length;
  };
  const problems: string[] = [];
  for (const vs of state.objects.filter(o => o.kind === 'VirtualService')) {
    for (const route of vs.spec.http ?? []) {
      for (const { destination, weight } of route.route) {
        if (weight === 0) continue;
        const rule = state.objects.find(o => o.kind === 'DestinationRule' && o.spec.host === destination.host);
        const subset = rule?.spec.subsets.find((s: { name: string }) => s.name === destination.subset);
        if (readyBehind(destination.host, subset?.labels ?? { none: 'no such subset' }) === 0) {
          problems.push(`${state.step}: route ${route.name} → subset ${destination.subset} (weight ${weight ?? 100}) has no ready pod`);
        }
      }
    }
  }
  for (const route of state.objects.filter(o => o.kind === 'HTTPRoute')) {
    for (const rule of route.spec.rules) {
      for (const ref of rule.backendRefs ?? []) {
        if (ref.weight !== 0 && readyBehind(ref.name) === 0) problems.push(`${state.step}: HTTPRoute backend ${ref.name} (weight ${ref.weight ?? 1}) has no ready pod`);
      }
    }
  }
  return problems;
}

/** Every problem at every state of every modelled order of the sync from `before` to `after`. */
function syncProblems(before: Release, after: Release): string[] {
  return syncStates(synthesise(before), synthesise(after)).flatMap(states => states.flatMap(emptyDestinations));
}

const V2 = 'ghcr.io/acme/api:2.0.0';
const V21 = 'ghcr.io/acme/api:2.1.0';
const V22 = 'ghcr.io/acme/api:2.2.0';

describe.each(['istio', 'gateway-api'] as const)('drill: CanaryRelease through sync waves (routing %s)', (routing) => {
  test('promotion: the canary\'s version becomes stable and the canary weight goes to 0 in one commit', () => {
    const before = { routing, stable: { image: V2, replicas: 2 }, canary: { image: V21 }, canaryWeight: 10 };
    const after = { routing, stable: { image: V21, replicas: 2 }, canary: { image: V21 }, canaryWeight: 0 };
    expect(syncProblems(before, after)).toEqual([]);
  });

  test('promotion after all traffic went to the canary (weight 100, then stable 2.1.0 and weight 0)', () => {
    const weight100 = { routing, stable: { image: V2 }, canary: { image: V21, replicas: 2 }, canaryWeight: 100 };
    const promoted = { routing, stable: { image: V21 }, canary: { image: V21, replicas: 2 }, canaryWeight: 0 };
    expect(syncProblems({ ...weight100, canaryWeight: 10 }, weight100)).toEqual([]);
    expect(syncProblems(weight100, promoted)).toEqual([]);
  });

  test('a new canary image while the canary serves 10 %', () => {
    const before = { routing, stable: { image: V2 }, canary: { image: V21 }, canaryWeight: 10 };
    expect(syncProblems(before, { ...before, canary: { image: V22 } })).toEqual([]);
  });

  test('a header match always reaching the canary, through a canary image bump with single replicas', () => {
    const before = { routing, stable: { image: V2, replicas: 1 }, canary: { image: V21, replicas: 1 }, canaryWeight: 0, match: { headers: { 'x-canary': 'always' } } };
    expect(syncProblems(before, { ...before, canary: { image: V22, replicas: 1 } })).toEqual([]);
  });
});

test('scaling the canary to 0 in the commit that takes its weight to 0: its Deployment waits for the routes (wave 2)', () => {
  // on main before this change: the canary Deployment (wave 0) lost its pods while the old
  // VirtualService (wave 1 not yet applied) still sent it 10 %
  const before = synthesise({ stable: { image: V2 }, canary: { image: V21 }, canaryWeight: 10 });
  const after = synthesise({ stable: { image: V2 }, canary: { image: V21, replicas: 0 }, canaryWeight: 0 });
  expect(find(after, 'Deployment', 'api-canary')!.metadata.annotations).toMatchObject({ 'argocd.argoproj.io/sync-wave': '2' });
  expect(syncStates(before, after).flatMap(states => states.flatMap(emptyDestinations))).toEqual([]);
  // the drill sees the hole once that wave is taken away
  const unordered = after.map(o => (o.kind === 'Deployment' ? { ...o, metadata: { ...o.metadata, annotations: {} } } : o));
  const problems = syncStates(before, unordered).flatMap(states => states.flatMap(emptyDestinations));
  expect(problems[0]).toMatch(/^wave 0: Deployment\/shop\/api-canary: .*route split → subset canary \(weight 10\) has no ready pod$/);
});
