import { groupOf } from './pod-specs';
import { matches, nsOf } from './selectors';
import { join, Manifest, Problem, problem } from './types';

// Gateway API cross-references. A parentRef is resolved only when the set holds a Gateway in the
// parent's namespace (otherwise the gateway is managed elsewhere); backendRefs to Services are
// resolved in the route's namespace (a backend in another namespace needs a ReferenceGrant and is
// skipped). CEL rules of the CRDs are not evaluated by the schema check, so the ones that matter
// for wiring (unique listener names, hostnames) are checked here.

const GROUP = 'gateway.networking.k8s.io';
const NS_LABEL = 'kubernetes.io/metadata.name';
const isGatewayApi = (o: Manifest, kind: string) => o.kind === kind && groupOf(o.apiVersion) === GROUP;

/** Whether a listener hostname and a route hostname intersect (a wildcard covers one or more labels). */
export function hostnamesIntersect(listener: string | undefined, route: string): boolean {
  if (listener === undefined || listener === route) return true;
  const covers = (wildcard: string, host: string) => wildcard.startsWith('*.') && host.endsWith(wildcard.slice(1)) && host.length > wildcard.length - 1;
  return covers(listener, route.replace(/^\*\./, 'x.')) || covers(route, listener.replace(/^\*\./, 'x.'));
}

function namespaceLabels(objects: Manifest[], ns: string): Record<string, string> {
  const obj = objects.find((o) => o.kind === 'Namespace' && o.metadata?.name === ns);
  return { ...(obj?.metadata?.labels ?? {}), [NS_LABEL]: ns };
}

/** Whether a listener accepts routes from `routeNs` (allowedRoutes.namespaces; default Same). */
function acceptsNamespace(objects: Manifest[], gateway: Manifest, listener: any, routeNs: string): boolean {
  const from = listener?.allowedRoutes?.namespaces?.from ?? 'Same';
  if (from === 'All') return true;
  if (from === 'Same') return routeNs === nsOf(gateway);
  return matches(listener?.allowedRoutes?.namespaces?.selector ?? {}, namespaceLabels(objects, routeNs));
}

function serviceBackendProblems(objects: Manifest[], route: Manifest, ref: any, path: string): Problem[] {
  if ((ref?.group ?? '') !== '' || (ref?.kind ?? 'Service') !== 'Service') return [];
  const ns = ref.namespace ?? nsOf(route);
  if (ns !== nsOf(route)) return [];
  const svc = objects.find((o) => o.kind === 'Service' && groupOf(o.apiVersion) === '' && nsOf(o) === ns && o.metadata?.name === ref.name);
  if (!svc) return [problem(route, join(path, 'name'), `Service "${ref.name}" does not exist in the set`)];
  if (!(svc.spec?.ports ?? []).some((p: any) => p?.port === ref.port)) {
    return [problem(route, join(path, 'port'), `Service "${ref.name}" has no port ${ref.port} (ports: ${(svc.spec?.ports ?? []).map((p: any) => p?.port).join(', ')})`)];
  }
  return [];
}

function weightProblems(route: Manifest, refs: any[], path: string): Problem[] {
  if (refs.length === 1 && refs[0]?.weight === 0) return [problem(route, join(join(path, 0), 'weight'), 'the only backend has weight 0, so the rule sends no traffic anywhere')];
  if (refs.length < 2) return [];
  if (refs.some((r) => typeof r?.weight !== 'number')) return [problem(route, path, 'a rule splitting between backends must give every backend an explicit weight')];
  const sum = refs.reduce((n, r) => n + r.weight, 0);
  return sum === 100 ? [] : [problem(route, path, `backend weights sum to ${sum}, not 100`)];
}

/** Whether a rule serves content (forwards to a backend) rather than only redirecting. */
function servesContent(rule: any): boolean {
  return (rule?.backendRefs ?? []).length > 0 || !(rule?.filters ?? []).some((f: any) => f?.type === 'RequestRedirect');
}

function parentProblems(objects: Manifest[], route: Manifest, parent: any, path: string): Problem[] {
  if ((parent?.group ?? GROUP) !== GROUP || (parent?.kind ?? 'Gateway') !== 'Gateway') return [];
  const ns = parent.namespace ?? nsOf(route);
  const inNamespace = objects.filter((o) => isGatewayApi(o, 'Gateway') && nsOf(o) === ns);
  if (inNamespace.length === 0) return []; // gateway managed elsewhere
  const gateway = inNamespace.find((o) => o.metadata?.name === parent.name);
  if (!gateway) return [problem(route, join(path, 'name'), `Gateway "${ns}/${parent.name}" does not exist in the set (found: ${inNamespace.map((g) => g.metadata.name).join(', ')})`)];
  const listeners: any[] = gateway.spec?.listeners ?? [];
  const named = parent.sectionName === undefined ? listeners : listeners.filter((l) => l?.name === parent.sectionName);
  if (named.length === 0) return [problem(route, join(path, 'sectionName'), `Gateway "${ns}/${parent.name}" has no listener "${parent.sectionName}" (listeners: ${listeners.map((l) => l?.name).join(', ')})`)];
  const out: Problem[] = [];
  const accepting = named.filter((l) => acceptsNamespace(objects, gateway, l, nsOf(route)));
  if (accepting.length === 0) {
    out.push(problem(route, path, `listener ${named.map((l) => `"${l?.name}"`).join(', ')} of Gateway "${ns}/${parent.name}" does not accept routes from namespace "${nsOf(route)}" (allowedRoutes)`));
  }
  const hostnames: string[] = route.spec?.hostnames ?? [];
  for (const listener of accepting) {
    const intersect = hostnames.length === 0 || hostnames.some((h) => hostnamesIntersect(listener?.hostname, h));
    if (parent.sectionName !== undefined && !intersect) {
      out.push(problem(route, 'spec.hostnames', `no hostname intersects listener "${listener?.name}" hostname "${listener?.hostname}" of Gateway "${ns}/${parent.name}"`));
    }
    // a gateway that serves HTTPS keeps its plain-HTTP listener for the redirect (content there
    // bypasses TLS); a plain-HTTP gateway (HttpGateway: internal, or TLS terminated in front) serves on it
    const servesHttps = listeners.some((l) => l?.protocol === 'HTTPS');
    if (listener?.protocol === 'HTTP' && servesHttps && intersect && (route.spec?.rules ?? []).some(servesContent)) {
      out.push(problem(route, path, `attaches to the plain-HTTP listener "${listener?.name}" of Gateway "${ns}/${parent.name}" and serves content there; only a redirect to HTTPS belongs on it (set sectionName to an HTTPS listener)`));
    }
  }
  return out;
}

function gatewayProblems(gateway: Manifest): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  const bindings = new Set<string>();
  (gateway.spec?.listeners ?? []).forEach((l: any, i: number) => {
    if (seen.has(l?.name)) out.push(problem(gateway, join(join('spec.listeners', i), 'name'), `listener name "${l?.name}" is used twice`));
    seen.add(l?.name);
    const binding = `${l?.port}/${l?.hostname ?? '*'}`;
    if (bindings.has(binding)) out.push(problem(gateway, join(join('spec.listeners', i), 'hostname'), `two listeners bind port ${l?.port} for hostname "${l?.hostname ?? '*'}"`));
    bindings.add(binding);
  });
  return out;
}

/**
 * HTTPRoute parents (Gateway, listener, allowed namespace, hostnames, only redirects on plain
 * HTTP), backends (Service and port, mirrors included) and weights (explicit, summing to 100);
 * Gateway listener names and bindings unique.
 */
export function gatewayRouteProblems(objects: Manifest[]): Problem[] {
  const out: Problem[] = [];
  for (const gateway of objects.filter((o) => isGatewayApi(o, 'Gateway'))) out.push(...gatewayProblems(gateway));
  for (const route of objects.filter((o) => isGatewayApi(o, 'HTTPRoute'))) {
    (route.spec?.parentRefs ?? []).forEach((p: any, i: number) => out.push(...parentProblems(objects, route, p, join('spec.parentRefs', i))));
    (route.spec?.rules ?? []).forEach((r: any, i: number) => {
      const rp = join('spec.rules', i);
      const refs: any[] = r?.backendRefs ?? [];
      refs.forEach((b, j) => out.push(...serviceBackendProblems(objects, route, b, join(join(rp, 'backendRefs'), j))));
      (r?.filters ?? []).forEach((f: any, j: number) => {
        if (f?.type === 'RequestMirror') out.push(...serviceBackendProblems(objects, route, f.requestMirror?.backendRef, join(join(join(rp, 'filters'), j), 'requestMirror.backendRef')));
      });
      out.push(...weightProblems(route, refs, join(rp, 'backendRefs')));
    });
  }
  return out;
}
