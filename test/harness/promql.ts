import { parser } from '@prometheus-io/lezer-promql';

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
