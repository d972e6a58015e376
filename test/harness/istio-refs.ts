import { groupOf } from './pod-specs';
import { matches, nsOf, templatesIn } from './selectors';
import { join, Manifest, Problem, problem } from './types';

// Istio cross-references, resolved within the referring object's namespace only. A host is
// resolved to a Service of the set when it is a short name (`api`) or the FQDN/short form of a
// Service in the same namespace (`api.shop`, `api.shop.svc`, `api.shop.svc.cluster.local`);
// any other dotted host, a wildcard or another namespace's service is external and skipped.

const isIstio = (o: Manifest, kind: string) => o.kind === kind && groupOf(o.apiVersion) === 'networking.istio.io';

/** The Service name a host refers to within `ns`, or undefined when the host is external. */
export function serviceNameOf(host: unknown, ns: string): string | undefined {
  if (typeof host !== 'string' || host.includes('*')) return undefined;
  const parts = host.split('.');
  if (parts.length === 1) return host;
  const rest = parts.slice(2).join('.');
  if (parts[1] === ns && ['', 'svc', 'svc.cluster.local'].includes(rest)) return parts[0];
  return undefined;
}

function service(objects: Manifest[], ns: string, name: string): Manifest | undefined {
  return objects.find((o) => o.kind === 'Service' && groupOf(o.apiVersion) === '' && nsOf(o) === ns && o.metadata?.name === name);
}

function destinationRules(objects: Manifest[], ns: string, svcName: string): Manifest[] {
  return objects.filter((o) => isIstio(o, 'DestinationRule') && nsOf(o) === ns && serviceNameOf(o.spec?.host, ns) === svcName);
}

function destinationProblems(objects: Manifest[], vs: Manifest, dest: any, path: string): Problem[] {
  const ns = nsOf(vs);
  const name = serviceNameOf(dest?.host, ns);
  if (name === undefined) return [];
  const svc = service(objects, ns, name);
  if (!svc) return [problem(vs, join(path, 'host'), `Service "${name}" does not exist in the set`)];
  const port = dest.port?.number;
  if (port !== undefined && !(svc.spec?.ports ?? []).some((p: any) => p?.port === port)) {
    return [problem(vs, join(path, 'port.number'), `Service "${name}" has no port ${port}`)];
  }
  if (dest.subset === undefined) return [];
  const rules = destinationRules(objects, ns, name);
  const found = rules.some((dr) => (dr.spec?.subsets ?? []).some((s: any) => s?.name === dest.subset));
  return found ? [] : [problem(vs, join(path, 'subset'), `subset "${dest.subset}" of host "${dest.host}" is not defined by a DestinationRule in the set (rules: ${rules.map((r) => r.metadata.name).join(', ') || 'none'})`)];
}

/** VirtualService destinations (Service, port, subset), gateways and route weights; DestinationRule subsets select pods. */
export function istioRouteProblems(objects: Manifest[]): Problem[] {
  const out: Problem[] = [];
  for (const vs of objects.filter((o) => isIstio(o, 'VirtualService'))) {
    for (const proto of ['http', 'tcp', 'tls']) {
      (vs.spec?.[proto] ?? []).forEach((r: any, i: number) => {
        const rp = join(join('spec', proto), i);
        const routes: any[] = r?.route ?? [];
        routes.forEach((d: any, j: number) => out.push(...destinationProblems(objects, vs, d?.destination, join(join(join(rp, 'route'), j), 'destination'))));
        if (r?.mirror) out.push(...destinationProblems(objects, vs, r.mirror, join(rp, 'mirror')));
        const weighted = routes.length > 1 || routes.some((d) => d?.weight !== undefined);
        const sum = routes.reduce((n, d) => n + (d?.weight ?? 0), 0);
        if (weighted && sum !== 100) out.push(problem(vs, join(rp, 'route'), `route weights sum to ${sum}, not 100`));
      });
    }
    (vs.spec?.gateways ?? []).forEach((g: string, i: number) => {
      const [gwNs, gwName] = g.includes('/') ? g.split('/') : [nsOf(vs), g];
      if (g === 'mesh' || gwNs !== nsOf(vs)) return;
      if (!objects.some((o) => isIstio(o, 'Gateway') && nsOf(o) === gwNs && o.metadata?.name === gwName)) {
        out.push(problem(vs, join(join('spec', 'gateways'), i), `Gateway "${g}" does not exist in the set`));
      }
    });
  }
  for (const dr of objects.filter((o) => isIstio(o, 'DestinationRule'))) {
    const name = serviceNameOf(dr.spec?.host, nsOf(dr));
    if (name === undefined) continue;
    const svc = service(objects, nsOf(dr), name);
    if (!svc) {
      out.push(problem(dr, 'spec.host', `Service "${name}" does not exist in the set`));
      continue;
    }
    const templates = templatesIn(objects, nsOf(dr)).filter((t) => matches({ matchLabels: svc.spec?.selector ?? {} }, t.metadata?.labels));
    (dr.spec?.subsets ?? []).forEach((s: any, i: number) => {
      if (!templates.some((t) => matches({ matchLabels: s?.labels ?? {} }, t.metadata?.labels))) {
        out.push(problem(dr, join(join('spec.subsets', i), 'labels'), `subset "${s?.name}" selects no pod of Service "${name}"`));
      }
    });
  }
  return out;
}
