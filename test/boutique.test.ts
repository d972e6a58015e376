import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { findObject, Manifest, synthValid } from './harness';
import { BOUTIQUE_UPSTREAM, buildBoutique } from '../examples/boutique';
import { ourFigures } from '../examples/boutique/compare';
import FACTS from '../examples/boutique/upstream-facts.json';
import { trafficPairs } from '../src/testing';

// The Online Boutique example against the upstream manifests it follows
// (GoogleCloudPlatform/microservices-demo, release/kubernetes-manifests.yaml at the commit in
// examples/boutique.ts). The upstream facts are examples/boutique/upstream-facts.json, extracted
// from that file by examples/boutique/extract-facts.ts (Apache-2.0, Copyright Google LLC), never
// from our output.

interface UpstreamWorkload {
  name: string;
  image: string;
  containerPorts: number[];
  env: Record<string, string>;
  resources: any;
  readinessProbe?: any;
  livenessProbe?: any;
  terminationGracePeriodSeconds: number;
  initContainers: Array<{ name: string; image: string; env: Record<string, string> }>;
}
interface UpstreamService { name: string; type: string; selector: Record<string, string>; ports: Array<{ port: number; targetPort: number }> }

const WORKLOADS = FACTS.workloads as unknown as UpstreamWorkload[];
const SERVICES = FACTS.services as unknown as UpstreamService[];
/** The one image we do not take as is: upstream's `redis:alpine` floats, which the library refuses. */
const PINNED = { 'redis:alpine': 'docker.io/library/redis:7.2.4-alpine' } as Record<string, string>;

const objects = synthValid(buildBoutiqueApp());
function buildBoutiqueApp(): App {
  const app = new App({ outdir: 'unused' });
  buildBoutique(app);
  return app;
}

const deployment = (name: string) => findObject(objects, 'Deployment', name);
const mainContainer = (name: string) => deployment(name).spec.template.spec.containers[0];
/** A probe or Service target port as a number (ours name the container's ports). */
function portNumber(container: any, port: number | string): number {
  return typeof port === 'number' ? port : container.ports.find((p: any) => p.name === port).containerPort;
}

/** Who calls whom: every `*_ADDR` variable naming `<service>:<port>` of a Service of the manifests. */
function upstreamFlows(): string[] {
  const flows: string[] = [];
  for (const w of WORKLOADS) {
    const env: Record<string, string> = Object.assign({}, w.env, ...w.initContainers.map((i) => i.env));
    for (const [name, value] of Object.entries(env)) {
      if (!name.endsWith('_ADDR')) continue;
      const [host, port] = value.split(':');
      const service = SERVICES.find((s) => s.name === host);
      if (!service) continue; // the optional shoppingassistantservice is not among the 12
      const target = service.ports.find((p) => p.port === Number(port))!.targetPort;
      flows.push(`${w.name} → ${service.selector.app}:${target}`);
    }
  }
  return [...new Set(flows)].sort();
}

describe('Online Boutique', () => {
  test('follows a cited upstream commit', () => {
    expect(FACTS.source).toMatchObject(BOUTIQUE_UPSTREAM);
    expect(BOUTIQUE_UPSTREAM.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  test('runs the 12 services of the upstream manifests as Deployments, with their images', () => {
    expect(WORKLOADS.map((w) => w.name).sort()).toHaveLength(12);
    expect(objects.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name).sort()).toEqual(WORKLOADS.map((w) => w.name).sort());
    for (const w of WORKLOADS) expect([w.name, mainContainer(w.name).image]).toEqual([w.name, PINNED[w.image] ?? w.image]);
  });

  test.each(WORKLOADS.map((w) => [w.name, w] as const))('%s listens on the upstream ports, behind the upstream Service ports', (name, w) => {
    const container = mainContainer(name);
    expect((container.ports ?? []).map((p: any) => p.containerPort)).toEqual(w.containerPorts);
    for (const svc of SERVICES.filter((s) => s.selector.app === name)) {
      const ours = findObject(objects, 'Service', svc.name);
      expect(ours.spec.type ?? 'ClusterIP').toEqual(svc.type);
      expect(ours.spec.ports.map((p: any) => ({ port: p.port, targetPort: portNumber(container, p.targetPort) }))).toEqual(svc.ports);
    }
  });

  test.each(WORKLOADS.map((w) => [w.name, w] as const))('%s has the upstream env, resources, probes and grace period', (name, w) => {
    const container = mainContainer(name);
    expect(Object.fromEntries((container.env ?? []).map((e: any) => [e.name, e.value]))).toEqual(w.env);
    expect(container.resources).toEqual(w.resources);
    expect(deployment(name).spec.template.spec.terminationGracePeriodSeconds ?? 30).toEqual(w.terminationGracePeriodSeconds);
    for (const kind of ['readinessProbe', 'livenessProbe'] as const) {
      const upstream = w[kind];
      const ours = container[kind];
      if (!upstream) {
        expect([kind, ours]).toEqual([kind, undefined]);
        continue;
      }
      // every field upstream sets, with ports as numbers; ours may add what upstream leaves to defaults
      const handler = Object.keys(upstream).find((k) => ['grpc', 'httpGet', 'tcpSocket'].includes(k))!;
      expect(Object.keys(ours).filter((k) => ['grpc', 'httpGet', 'tcpSocket', 'exec'].includes(k))).toEqual([handler]);
      expect({ ...ours[handler], port: portNumber(container, ours[handler].port) }).toMatchObject(upstream[handler]);
      for (const timing of ['initialDelaySeconds', 'periodSeconds']) {
        if (upstream[timing] !== undefined) expect([kind, timing, ours[timing]]).toEqual([kind, timing, upstream[timing]]);
      }
    }
    const inits = deployment(name).spec.template.spec.initContainers ?? [];
    const envOf = (i: any) => Object.fromEntries((i.env ?? []).map((e: any) => [e.name, e.value]));
    expect(inits.map((i: any) => ({ name: i.name, image: i.image, env: envOf(i) }))).toEqual(w.initContainers);
  });

  test('the NetworkPolicies allow exactly the calls the services make (from their *_ADDR env), and the outside in through frontend-external', () => {
    const flows = upstreamFlows();
    expect(flows).toHaveLength(16);
    // every pair of the 12 workloads: allowed on the receiver's port if and only if upstream calls it
    const allowed: string[] = [];
    for (const from of WORKLOADS) {
      for (const to of WORKLOADS) {
        if (from === to) continue;
        for (const pair of trafficPairs(objects, `boutique/${from.name}`, `boutique/${to.name}`)) {
          for (const port of pair.allowedPorts) allowed.push(`${from.name} → ${to.name}:${port}`);
        }
      }
    }
    expect(allowed.sort()).toEqual(flows);
    // AND frontend-external admits any source on the storefront's port, and nothing else
    const external = findObject(objects, 'NetworkPolicy', 'frontend-external') as Manifest | undefined;
    expect(external?.spec.ingress).toEqual([{ ports: [{ port: 8080, protocol: 'TCP' }] }]);
  });
});

describe('the README\'s comparison table', () => {
  test('states the figures of the committed output (examples/boutique/compare.ts)', () => {
    // GIVEN our row of the table, as the comparison script computes it from dist/boutique/
    const ours = ourFigures();
    const row = `| \`examples/boutique.ts\` | ${ours.typescriptLines} lines of TypeScript | ${ours.yamlLines} lines, ${ours.objects} objects | `
      + `${ours.polarisDangers} danger, ${ours.polarisWarnings} warning | ${ours.polarisScore} | ${ours.podSecurityViolations} |`;
    // THEN the README says it, and the claims hold: no Pod Security violation, no Polaris danger
    expect(fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8').split('\n')).toContain(row);
    expect([ours.podSecurityViolations, ours.polarisDangers]).toEqual([0, 0]);
  });
});
