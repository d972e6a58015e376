/* Extracts the facts the boutique test compares (ports, Services, env, probes, resources) from
 * the upstream Online Boutique manifests into upstream-facts.json beside this file.
 *
 * Run: `git clone https://github.com/GoogleCloudPlatform/microservices-demo && git -C
 * microservices-demo checkout <commit>` (the commit in examples/boutique.ts), then
 * `npx tsx examples/boutique/extract-facts.ts microservices-demo/release/kubernetes-manifests.yaml`. */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { BOUTIQUE_UPSTREAM } from '../boutique';

const PROBE_FIELDS = ['initialDelaySeconds', 'periodSeconds', 'grpc', 'httpGet', 'tcpSocket'];

function probe(p: any): any {
  return p === undefined ? undefined : Object.fromEntries(PROBE_FIELDS.filter((f) => p[f] !== undefined).map((f) => [f, p[f]]));
}

function envOf(container: any): Record<string, string> {
  return Object.fromEntries((container.env ?? []).map((e: any) => [e.name, e.value]));
}

/** The facts of the upstream manifests, by workload: what every reimplementation must keep. */
export function extractFacts(yaml: string): object {
  const docs = parseAllDocuments(yaml).map((d) => d.toJS()).filter(Boolean);
  const workloads = docs.filter((d) => d.kind === 'Deployment').map((d) => {
    const spec = d.spec.template.spec;
    const c = spec.containers[0];
    return {
      name: d.metadata.name,
      image: c.image,
      containerPorts: (c.ports ?? []).map((p: any) => p.containerPort),
      env: envOf(c),
      resources: c.resources,
      readinessProbe: probe(c.readinessProbe),
      livenessProbe: probe(c.livenessProbe),
      terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds ?? 30,
      initContainers: (spec.initContainers ?? []).map((i: any) => ({ name: i.name, image: i.image, env: envOf(i) })),
    };
  });
  const services = docs.filter((d) => d.kind === 'Service').map((d) => ({
    name: d.metadata.name,
    type: d.spec.type ?? 'ClusterIP',
    selector: d.spec.selector,
    ports: d.spec.ports.map((p: any) => ({ port: p.port, targetPort: p.targetPort })),
  }));
  return { source: { ...BOUTIQUE_UPSTREAM, licence: 'Apache-2.0, Copyright Google LLC' }, workloads, services };
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: tsx examples/boutique/extract-facts.ts <release/kubernetes-manifests.yaml>');
  fs.writeFileSync(path.join(__dirname, 'upstream-facts.json'), `${JSON.stringify(extractFacts(fs.readFileSync(file, 'utf8')), null, 2)}\n`);
}
