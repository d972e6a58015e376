import { groupOf } from './pod-specs';
import { analysePromql } from './promql';
import { nsOf } from './selectors';
import { join, Manifest, Problem, problem } from './types';

// Argo Rollouts cross-references, resolved within the Rollout's namespace: the VirtualService
// and its named routes, the DestinationRule and its subsets, the AnalysisTemplates and the
// arguments they need; and every Prometheus query of an AnalysisTemplate parses with
// Prometheus's grammar once its `{{args.*}}` are filled in, naming only declared arguments.

const ARG = /\{\{\s*args\.([A-Za-z0-9_.-]+)\s*\}\}/g;
const isKind = (o: Manifest, group: string, kind: string) => o.kind === kind && groupOf(o.apiVersion) === group;

function find(objects: Manifest[], group: string, kind: string, ns: string, name: unknown): Manifest | undefined {
  return objects.find((o) => isKind(o, group, kind) && nsOf(o) === ns && o.metadata?.name === name);
}

function routingProblems(objects: Manifest[], rollout: Manifest, istio: any): Problem[] {
  const out: Problem[] = [];
  const ns = nsOf(rollout);
  const at = 'spec.strategy.canary.trafficRouting.istio';
  const vs = find(objects, 'networking.istio.io', 'VirtualService', ns, istio?.virtualService?.name);
  if (istio?.virtualService && !vs) out.push(problem(rollout, join(at, 'virtualService.name'), `VirtualService "${istio.virtualService.name}" does not exist in the set`));
  (istio?.virtualService?.routes ?? []).forEach((route: string, i: number) => {
    if (vs && !(vs.spec?.http ?? []).some((r: any) => r?.name === route)) {
      out.push(problem(rollout, join(join(at, 'virtualService.routes'), i), `VirtualService "${vs.metadata.name}" has no HTTP route named "${route}"`));
    }
  });
  const dr = istio?.destinationRule;
  if (dr) {
    const rule = find(objects, 'networking.istio.io', 'DestinationRule', ns, dr.name);
    if (!rule) out.push(problem(rollout, join(at, 'destinationRule.name'), `DestinationRule "${dr.name}" does not exist in the set`));
    for (const key of ['canarySubsetName', 'stableSubsetName']) {
      if (rule && !(rule.spec?.subsets ?? []).some((s: any) => s?.name === dr[key])) {
        out.push(problem(rollout, join(join(at, 'destinationRule'), key), `DestinationRule "${rule.metadata.name}" has no subset "${dr[key]}"`));
      }
    }
  }
  return out;
}

function analysisProblems(objects: Manifest[], rollout: Manifest, analysis: any): Problem[] {
  const out: Problem[] = [];
  const given = new Set((analysis?.args ?? []).map((a: any) => a?.name));
  (analysis?.templates ?? []).forEach((ref: any, i: number) => {
    if (ref?.clusterScope) return;
    const template = find(objects, 'argoproj.io', 'AnalysisTemplate', nsOf(rollout), ref?.templateName);
    const path = join(join('spec.strategy.canary.analysis.templates', i), 'templateName');
    if (!template) {
      out.push(problem(rollout, path, `AnalysisTemplate "${ref?.templateName}" does not exist in the set`));
      return;
    }
    for (const arg of template.spec?.args ?? []) {
      if (arg?.value === undefined && arg?.valueFrom === undefined && !given.has(arg?.name)) {
        out.push(problem(rollout, 'spec.strategy.canary.analysis.args', `AnalysisTemplate "${template.metadata.name}" needs argument "${arg?.name}", which the Rollout does not pass`));
      }
    }
  });
  return out;
}

function queryProblems(template: Manifest): Problem[] {
  const out: Problem[] = [];
  const declared = new Set((template.spec?.args ?? []).map((a: any) => a?.name));
  (template.spec?.metrics ?? []).forEach((metric: any, i: number) => {
    const query = metric?.provider?.prometheus?.query;
    if (typeof query !== 'string') return;
    const path = join(join('spec.metrics', i), 'provider.prometheus.query');
    for (const [, name] of query.matchAll(ARG)) {
      if (!declared.has(name)) out.push(problem(template, path, `uses {{args.${name}}}, which spec.args does not declare`));
    }
    const { errors } = analysePromql(query.replace(ARG, 'x'));
    for (const error of errors) out.push(problem(template, path, `PromQL ${error}`));
  });
  return out;
}

/** Rollouts reference Istio objects, routes, subsets and AnalysisTemplates of the set; queries parse. */
export function rolloutProblems(objects: Manifest[]): Problem[] {
  const out: Problem[] = [];
  for (const rollout of objects.filter((o) => isKind(o, 'argoproj.io', 'Rollout'))) {
    const canary = rollout.spec?.strategy?.canary;
    out.push(...routingProblems(objects, rollout, canary?.trafficRouting?.istio));
    out.push(...analysisProblems(objects, rollout, canary?.analysis));
  }
  for (const template of objects.filter((o) => isKind(o, 'argoproj.io', 'AnalysisTemplate'))) out.push(...queryProblems(template));
  return out;
}
