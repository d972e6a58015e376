import { ApiObject } from 'cdk8s';
import { isUnpatched } from '../core/patches';

/**
 * One pod-owning object and what the other objects (Service, NetworkPolicies, probes, PDB, HPA,
 * peers' policies) were written against: they must still hold on the final object.
 */
export interface WiredWorkload {
  /** The Deployment (or other pod owner). */
  readonly object: ApiObject;
  /** The name the HorizontalPodAutoscaler and reports refer to it by. */
  readonly name: string;
  /** Labels its pods must carry: the Service, PDB and NetworkPolicies select them. */
  readonly selector: Record<string, string>;
  /** Container ports NetworkPolicies and probes were written for. */
  readonly ports: readonly number[];
  /** The HorizontalPodAutoscaler that owns its replica count, if any. */
  readonly autoscaler?: ApiObject;
  /** Its PodDisruptionBudget, if any. */
  readonly budget?: ApiObject;
}

/** The objects of one workload whose references to each other must resolve. */
export interface WorkloadWiring {
  /** The Service that must select the workloads' pods on their ports. */
  readonly service: ApiObject;
  /** The Deployments behind the Service. */
  readonly workloads: readonly WiredWorkload[];
  /** An Ingress whose backend must be the Service and one of its ports. */
  readonly ingress?: ApiObject;
  /** A DestinationRule whose subsets must each select pods of one of the workloads. */
  readonly destinationRule?: ApiObject;
  /** A VirtualService whose destinations must be the Service and subsets of the DestinationRule. */
  readonly virtualService?: ApiObject;
  /** An HTTPRoute whose backends (and mirrors) must be `routeServices` (default: the Service) and their ports. */
  readonly httpRoute?: ApiObject;
  /** The Services the HTTPRoute may send to. */
  readonly routeServices?: readonly ApiObject[];
  /** A ServiceMonitor that must select the Service by its labels and scrape one of its named ports. */
  readonly serviceMonitor?: ApiObject;
}

type Json = Record<string, any>;

/**
 * Checks, on the objects as they will be written (after every JSON patch a user added), that
 * the Service selects pods exposing its target ports, that the Ingress and VirtualService point
 * at the Service and its ports, and that route subsets exist and select pods. Each problem names
 * both ends.
 */
export function wiringProblems(wiring: WorkloadWiring): string[] {
  // Objects that carry no JSON patch are exactly what the constructs wrote, which wire up by
  // construction (test/synth.test.ts runs the full check on them). Skipping them spares a full
  // `toJson()` of every Service and Deployment at every validation: in a thousand-app synth it
  // was a fifth of the time.
  const objects = [
    wiring.service, ...wiring.workloads.flatMap(w => [w.object, w.autoscaler, w.budget]),
    wiring.ingress, wiring.destinationRule, wiring.virtualService,
    wiring.httpRoute, ...wiring.routeServices ?? [], wiring.serviceMonitor,
  ];
  if (objects.every(o => o === undefined || isUnpatched(o))) return [];
  return checkWiring(wiring);
}

/** {@link wiringProblems} without the shortcut for unpatched objects. */
export function checkWiring(wiring: WorkloadWiring): string[] {
  const service = wiring.service.toJson();
  const workloads = wiring.workloads.map(w => w.object.toJson());
  const problems = wiring.workloads.flatMap((w, i) => workloadProblems(w, workloads[i]));
  problems.push(...serviceProblems(service, workloads));
  if (wiring.ingress) problems.push(...ingressProblems(wiring.ingress.toJson(), service));
  if (wiring.virtualService) {
    const subsets = wiring.destinationRule ? subsetProblems(wiring.destinationRule.toJson(), workloads, problems) : new Set<string>();
    problems.push(...routeProblems(wiring.virtualService.toJson(), service, subsets));
  }
  if (wiring.httpRoute) {
    problems.push(...httpRouteProblems(wiring.httpRoute.toJson(), (wiring.routeServices ?? [wiring.service]).map(s => s.toJson())));
  }
  if (wiring.serviceMonitor) problems.push(...serviceMonitorProblems(wiring.serviceMonitor.toJson(), service));
  return problems;
}

function ref(object: Json): string {
  return `${object.kind} ${object.metadata?.name}`;
}

function selects(selector: Json | undefined, labels: Json | undefined): boolean {
  return Object.entries(selector ?? {}).every(([key, value]) => labels?.[key] === value);
}

function podLabels(workload: Json): Json | undefined {
  return workload.spec?.template?.metadata?.labels;
}

function containerPorts(workload: Json): Json[] {
  return (workload.spec?.template?.spec?.containers ?? []).flatMap((c: Json) => c.ports ?? []);
}

function serviceProblems(service: Json, workloads: Json[]): string[] {
  const selected = workloads.filter(w => selects(service.spec?.selector, podLabels(w)));
  if (selected.length === 0) {
    return [`${ref(service)} selects no pods: its selector ${JSON.stringify(service.spec?.selector ?? {})} matches none of ${workloads.map(ref).join(', ')}`];
  }
  const problems: string[] = [];
  for (const port of service.spec?.ports ?? []) {
    const target = port.targetPort ?? port.port;
    for (const workload of selected) {
      const exposed = containerPorts(workload).some(p => (typeof target === 'string' ? p.name === target : p.containerPort === target));
      if (!exposed) problems.push(`${ref(service)} port ${JSON.stringify(port.name ?? port.port)} targets ${JSON.stringify(target)}, which no container of ${ref(workload)} exposes`);
    }
  }
  return problems;
}

function ingressProblems(ingress: Json, service: Json): string[] {
  const servicePorts: Json[] = service.spec?.ports ?? [];
  const problems: string[] = [];
  for (const rule of ingress.spec?.rules ?? []) {
    for (const path of rule.http?.paths ?? []) {
      const backend = path.backend?.service;
      if (backend?.name !== service.metadata?.name) {
        problems.push(`${ref(ingress)} path ${JSON.stringify(path.path)} points at Service ${JSON.stringify(backend?.name)}, not at ${ref(service)}`);
      } else if (!servicePorts.some(p => p.port === backend.port?.number || (backend.port?.name !== undefined && p.name === backend.port.name))) {
        problems.push(`${ref(ingress)} path ${JSON.stringify(path.path)} points at port ${JSON.stringify(backend.port)}, which ${ref(service)} does not expose`);
      }
    }
  }
  return problems;
}

function subsetProblems(rule: Json, workloads: Json[], problems: string[]): Set<string> {
  const names = new Set<string>();
  for (const subset of rule.spec?.subsets ?? []) {
    names.add(subset.name);
    if (!workloads.some(w => selects(subset.labels, podLabels(w)))) {
      problems.push(`${ref(rule)} subset ${JSON.stringify(subset.name)} selects no pods: its labels ${JSON.stringify(subset.labels ?? {})} match none of ${workloads.map(ref).join(', ')}`);
    }
  }
  return names;
}

/**
 * What the other objects were written against must hold on the final workload: its name (HPA
 * target), its selector matching its own pods and the pods carrying the labels others select
 * on, the container ports policies and probes use, probes on exposed ports, no `spec.replicas`
 * under an autoscaler, and a PDB that selects the pods.
 */
function workloadProblems(wired: WiredWorkload, workload: Json): string[] {
  const problems: string[] = [];
  const it = ref(workload);
  const name = workload.metadata?.name;
  if (name !== wired.name) {
    const dependants = [wired.autoscaler ? `HorizontalPodAutoscaler ${JSON.stringify(wired.autoscaler.name)} targets ${wired.object.kind} ${JSON.stringify(wired.name)}, which no longer exists` : undefined,
      'reports and peers name the old one'].filter(Boolean).join('; ');
    problems.push(`${wired.object.kind} ${JSON.stringify(wired.name)} was renamed to ${JSON.stringify(name)} by a JSON patch: ${dependants}; rename it through the construct's name prop instead`);
  }
  const labels = podLabels(workload) ?? {};
  const matchLabels = workload.spec?.selector?.matchLabels;
  if (matchLabels && !selects(matchLabels, labels)) {
    problems.push(`${it} selector ${JSON.stringify(matchLabels)} does not match its own pod labels ${JSON.stringify(labels)} (changed by a JSON patch); the API server refuses it`);
  }
  const missing = Object.entries(wired.selector).filter(([k, v]) => labels[k] !== v);
  if (missing.length > 0) {
    problems.push(`${it} pods no longer carry ${missing.map(([k, v]) => `${k}=${v}`).join(', ')} (relabelled by a JSON patch): the Service, PodDisruptionBudget and NetworkPolicies that select ${JSON.stringify(wired.selector)} select none of its pods; change labels through the construct's props instead`);
  }
  const containers: Json[] = workload.spec?.template?.spec?.containers ?? [];
  const exposed: Json[] = containers.flatMap((c: Json) => c.ports ?? []);
  for (const port of wired.ports) {
    if (!exposed.some(p => p.containerPort === port)) {
      problems.push(`${it} no longer exposes container port ${port} (a JSON patch changed its ports to ${JSON.stringify(exposed.map(p => p.containerPort))}): NetworkPolicies and probes written for port ${port} point at nothing; change the port through the construct's port prop instead`);
    }
  }
  for (const container of containers) {
    const ports: Json[] = container.ports ?? [];
    for (const kind of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
      const probe = container[kind];
      const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port ?? probe?.grpc?.port;
      if (port === undefined) continue;
      // A named port resolves in the probe's own container; a number reaches any container of the pod.
      if (!(typeof port === 'string' ? ports.some(p => p.name === port) : exposed.some(p => p.containerPort === port))) {
        problems.push(`${it} container ${JSON.stringify(container.name)} ${kind} checks port ${JSON.stringify(port)}, which ${typeof port === 'string' ? 'the container does not declare' : 'no container of the pod exposes'} (${JSON.stringify(exposed.map(p => p.containerPort))}); the probe would always fail`);
      }
    }
  }
  if (wired.autoscaler) {
    const hpa = wired.autoscaler.toJson() as Json;
    if (workload.spec?.replicas !== undefined) {
      problems.push(`${it} has spec.replicas ${JSON.stringify(workload.spec.replicas)} (added by a JSON patch), but ${ref(hpa)} owns its replica count: every GitOps sync would reset the autoscaler's count; remove the patch`);
    }
    const target = hpa.spec?.scaleTargetRef ?? {};
    if (name === wired.name && (target.name !== name || target.kind !== workload.kind)) {
      problems.push(`${ref(hpa)} targets ${target.kind} ${JSON.stringify(target.name)} (changed by a JSON patch), not ${it}: it scales nothing while ${it} runs without spec.replicas`);
    }
  }
  if (wired.budget) {
    const budget = wired.budget.toJson() as Json;
    if (!selects(budget.spec?.selector?.matchLabels, labels)) {
      problems.push(`${ref(budget)} selector ${JSON.stringify(budget.spec?.selector?.matchLabels ?? {})} selects none of the pods of ${it}: it protects nothing`);
    }
  }
  return problems;
}

function routeProblems(virtualService: Json, service: Json, subsets: Set<string>): string[] {
  const problems: string[] = [];
  const serviceName = service.metadata?.name;
  for (const route of virtualService.spec?.http ?? []) {
    const weights: unknown[] = (route.route ?? []).map((r: Json) => r.weight);
    const bad = weights.find(w => w !== undefined && (typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w > 100));
    const sum = weights.reduce((total: number, w) => total + (typeof w === 'number' ? w : 0), 0);
    if (bad !== undefined) {
      problems.push(`${ref(virtualService)} route ${JSON.stringify(route.name ?? '')} has weight ${JSON.stringify(bad)}, outside 0–100 (changed by a JSON patch); Istio refuses the route: set canaryWeight instead`);
    } else if (weights.length > 1 && sum !== 100) {
      problems.push(`${ref(virtualService)} route ${JSON.stringify(route.name ?? '')} weights ${JSON.stringify(weights)} sum to ${sum}, not 100 (changed by a JSON patch); Istio refuses the route: set canaryWeight instead`);
    }
    const destinations = [...(route.route ?? []).map((r: Json) => r.destination), ...(route.mirror ? [route.mirror] : [])];
    for (const destination of destinations) {
      const host = String(destination?.host ?? '');
      if (host.split('.')[0] !== serviceName) {
        problems.push(`${ref(virtualService)} route ${JSON.stringify(route.name ?? '')} sends traffic to host ${JSON.stringify(host)}, not to ${ref(service)}`);
      } else if (destination.subset !== undefined && !subsets.has(destination.subset)) {
        problems.push(`${ref(virtualService)} route ${JSON.stringify(route.name ?? '')} sends traffic to subset ${JSON.stringify(destination.subset)}, which no DestinationRule of ${ref(service)} defines`);
      }
    }
  }
  return problems;
}

function httpRouteProblems(route: Json, services: Json[]): string[] {
  const problems: string[] = [];
  for (const rule of route.spec?.rules ?? []) {
    const mirrors = (rule.filters ?? []).filter((f: Json) => f.type === 'RequestMirror').map((f: Json) => f.requestMirror?.backendRef);
    for (const backend of [...rule.backendRefs ?? [], ...mirrors]) {
      const service = services.find(s => s.metadata?.name === backend?.name);
      if (!service) {
        problems.push(`${ref(route)} rule ${JSON.stringify(rule.name ?? '')} sends traffic to Service ${JSON.stringify(backend?.name)}, not to ${services.map(ref).join(' or ')}`);
      } else if (!(service.spec?.ports ?? []).some((p: Json) => p.port === backend.port)) {
        problems.push(`${ref(route)} rule ${JSON.stringify(rule.name ?? '')} sends traffic to port ${JSON.stringify(backend.port)}, which ${ref(service)} does not expose`);
      }
    }
  }
  return problems;
}

function serviceMonitorProblems(monitor: Json, service: Json): string[] {
  const selector = monitor.spec?.selector;
  if (!selects(selector?.matchLabels, service.metadata?.labels) || (selector?.matchExpressions ?? []).length > 0) {
    return [`${ref(monitor)} selects Services by ${JSON.stringify(selector ?? {})}, which ${ref(service)} (labels ${JSON.stringify(service.metadata?.labels ?? {})}) does not match: nothing is scraped`];
  }
  const problems: string[] = [];
  const names = (service.spec?.ports ?? []).map((p: Json) => p.name).filter((n: unknown) => n !== undefined);
  for (const endpoint of monitor.spec?.endpoints ?? []) {
    if (!names.includes(endpoint.port)) {
      problems.push(`${ref(monitor)} scrapes port ${JSON.stringify(endpoint.port)}, which ${ref(service)} does not name (its ports: ${names.map((n: string) => JSON.stringify(n)).join(', ') || 'none named'}): nothing is scraped`);
    }
    for (const rule of endpoint.relabelings ?? []) {
      const keepsService = rule.action === 'keep' && rule.sourceLabels?.length === 1 && rule.sourceLabels[0] === '__meta_kubernetes_service_name';
      if (keepsService && !new RegExp(`^(?:${rule.regex ?? '(.*)'})$`).test(service.metadata?.name ?? '')) {
        problems.push(`${ref(monitor)} keeps only Services named ${JSON.stringify(rule.regex)}, not ${ref(service)}: nothing is scraped`);
      }
    }
  }
  return problems;
}
