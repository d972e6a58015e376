import { parser } from '@prometheus-io/lezer-promql';
import { Manifest, Problem, problem } from './types';

/** What a PromQL expression reads, by Prometheus's own grammar (`@prometheus-io/lezer-promql`). */
export interface PromqlAnalysis {
  /** Syntax errors: the grammar's error nodes, with the text around them. */
  readonly errors: string[];
  /** The metric names the expression selects. */
  readonly metrics: string[];
  /** Every label name in a matcher or a `by`/`without` clause. */
  readonly labels: string[];
}

/** Parses `expr` with Prometheus's grammar and lists its errors, metrics and labels. */
export function analysePromql(expr: string): PromqlAnalysis {
  const tree = parser.parse(expr);
  const errors: string[] = [];
  const metrics = new Set<string>();
  const labels = new Set<string>();
  tree.iterate({
    enter: (node) => {
      const text = expr.slice(node.from, node.to);
      if (node.type.isError) errors.push(`syntax error at ${node.from}: …${expr.slice(Math.max(0, node.from - 20), node.to + 20)}…`);
      else if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') metrics.add(text);
      else if (node.name === 'LabelName') labels.add(text);
    },
  });
  if (expr.trim() === '') errors.push('empty expression');
  return { errors, metrics: [...metrics].sort(), labels: [...labels].sort() };
}

/**
 * Every PromQL expression of one object parses with Prometheus's grammar: a PrometheusRule's
 * rules, and the panel queries of a Grafana dashboard ConfigMap (`grafana_dashboard` label).
 * Applies to expressions a user's JSON patch wrote too: Prometheus rejects the whole rule file.
 */
export function promqlProblems(obj: Manifest): Problem[] {
  const exprs: Array<{ path: string; expr: unknown }> = [];
  if (obj.kind === 'PrometheusRule') {
    (obj.spec?.groups ?? []).forEach((group: any, g: number) => (group?.rules ?? []).forEach((rule: any, r: number) => {
      exprs.push({ path: `spec.groups[${g}].rules[${r}].expr`, expr: rule?.expr });
    }));
  } else if (obj.kind === 'ConfigMap' && obj.metadata?.labels?.grafana_dashboard !== undefined) {
    for (const [key, text] of Object.entries(obj.data ?? {})) {
      let dashboard: any;
      try {
        dashboard = JSON.parse(String(text));
      } catch (e) {
        exprs.push({ path: `data.${key}`, expr: undefined });
        continue;
      }
      (dashboard?.panels ?? []).forEach((panel: any, p: number) => (panel?.targets ?? []).forEach((target: any, t: number) => {
        exprs.push({ path: `data.${key} panels[${p}].targets[${t}].expr`, expr: target?.expr });
      }));
    }
  }
  return exprs.flatMap(({ path, expr }) => {
    if (typeof expr !== 'string') return [problem(obj, path, 'is not a PromQL string (or the dashboard is not JSON)')];
    return analysePromql(expr).errors.map(error => problem(obj, path, `PromQL ${error}`));
  });
}
