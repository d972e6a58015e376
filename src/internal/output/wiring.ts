import { ApiObject } from 'cdk8s';
import { isUnpatched } from '../core/patches';

/** The objects of one workload whose references to each other must resolve. */
export interface WorkloadWiring {
  /** The Service that must select the workloads' pods on their ports. */
  readonly service: ApiObject;
  /** The Deployments behind the Service. */
  readonly workloads: readonly ApiObject[];
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
    wiring.service, ...wiring.workloads, wiring.ingress, wiring.destinationRule, wiring.virtualService,
    wiring.httpRoute, ...wiring.routeServices ?? [],
  ];
  if (objects.every(o => o === undefined || isUnpatched(o))) return [];
  return checkWiring(wiring);
}

/** {@link wiringProblems} without the shortcut for unpatched objects. */
export function checkWiring(wiring: WorkloadWiring): string[] {
  const service = wiring.service.toJson();
  const workloads = wiring.workloads.map(w => w.toJson());
  const problems = serviceProblems(service, workloads);
  if (wiring.ingress) problems.push(...ingressProblems(wiring.ingress.toJson(), service));
  if (wiring.virtualService) {
    const subsets = wiring.destinationRule ? subsetProblems(wiring.destinationRule.toJson(), workloads, problems) : new Set<string>();
    problems.push(...routeProblems(wiring.virtualService.toJson(), service, subsets));
  }
  if (wiring.httpRoute) {
    problems.push(...httpRouteProblems(wiring.httpRoute.toJson(), (wiring.routeServices ?? [wiring.service]).map(s => s.toJson())));
  }
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

function routeProblems(virtualService: Json, service: Json, subsets: Set<string>): string[] {
  const problems: string[] = [];
  const serviceName = service.metadata?.name;
  for (const route of virtualService.spec?.http ?? []) {
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
