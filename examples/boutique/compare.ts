/* The README's comparison of the Online Boutique as upstream writes it and as this library
 * writes it (dist/boutique.k8s.yaml): lines, Polaris findings and score (the harness's Polaris evaluation, Polaris's own
 * score formula), Pod Security Standards violations (restricted).
 *
 * Run: `npx tsx examples/boutique/compare.ts <microservices-demo>/release/kubernetes-manifests.yaml`
 * (the commit in examples/boutique.ts); it prints the table's rows. */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { podSecurityProblems } from '../../src/testing';
import { polarisEvaluation } from '../../test/harness';

/** What the table says of one platform's manifests. */
export interface BoutiqueFigures {
  readonly yamlLines: number;
  readonly objects: number;
  readonly polarisDangers: number;
  readonly polarisWarnings: number;
  readonly polarisScore: number;
  readonly podSecurityViolations: number;
}

/** Lines that say something: neither blank nor a comment. */
export function meaningfulLines(text: string, comment: RegExp): number {
  return text.split('\n').filter((l) => l.trim() !== '' && !comment.test(l)).length;
}

/** The figures of a YAML stream (Polaris: `2 × passed ÷ (2 × passed + warnings + 2 × dangers)`, as Polaris scores). */
export function figures(yaml: string): BoutiqueFigures {
  const objects = parseAllDocuments(yaml).map((d) => d.toJS()).filter((o) => o?.kind);
  let evaluated = 0;
  const findings = objects.flatMap((o) => {
    const e = polarisEvaluation(o);
    evaluated += e.evaluated;
    return e.findings;
  });
  const dangers = findings.filter((f) => f.severity === 'danger').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  const passed = evaluated - dangers - warnings;
  return {
    yamlLines: meaningfulLines(yaml, /^\s*#/),
    objects: objects.length,
    polarisDangers: dangers,
    polarisWarnings: warnings,
    polarisScore: Math.floor((100 * 2 * passed) / (2 * passed + warnings + 2 * dangers)),
    podSecurityViolations: objects.flatMap((o) => podSecurityProblems(o, 'restricted')).length,
  };
}

/** The boutique as this library writes it: the committed output, and the TypeScript it comes from. */
export function ourFigures(): BoutiqueFigures & { typescriptLines: number } {
  const root = path.join(__dirname, '..', '..');
  return {
    ...figures(fs.readFileSync(path.join(root, 'dist', 'boutique.k8s.yaml'), 'utf8')),
    typescriptLines: meaningfulLines(fs.readFileSync(path.join(root, 'examples', 'boutique.ts'), 'utf8'), /^\s*(\/\/|\/\*|\*)/),
  };
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: tsx examples/boutique/compare.ts <release/kubernetes-manifests.yaml>');
  const upstream = figures(fs.readFileSync(file, 'utf8'));
  const ours = ourFigures();
  const row = (label: string, f: BoutiqueFigures, written: string) =>
    `| ${label} | ${written} | ${f.yamlLines} lines, ${f.objects} objects | ${f.polarisDangers} danger, ${f.polarisWarnings} warning | ${f.polarisScore} | ${f.podSecurityViolations} |`;
  process.stdout.write([
    '| | written by hand | YAML | Polaris findings | Polaris score | Pod Security (restricted) violations |',
    '|---|---|---|---|---|---|',
    row('upstream `release/kubernetes-manifests.yaml`', upstream, `${upstream.yamlLines} lines of YAML`),
    row('`examples/boutique.ts`', ours, `${ours.typescriptLines} lines of TypeScript`),
    '',
  ].join('\n'));
}
