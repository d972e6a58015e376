import * as fs from 'fs';
import * as path from 'path';
import { ValidateFunction } from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import { containersOf, groupOf, podTemplateOf, specPath } from './pod-specs';
import { Manifest, Problem, problem } from './types';

// Evaluates the Fairwinds Polaris checks copied into test/polaris/checks (the plain-schema ones;
// see test/polaris/README.md for those skipped because they need Go templating). Semantics
// follow Polaris: `Container` checks run on every container and init container (unless the
// check declares `containers.exclude: [initContainer]`); with `schemaTarget: PodSpec` the schema
// sees the pod spec holding only that container; `PodSpec` / `PodTemplate` / `Controller` checks
// see those parts of workloads; `group/Kind` checks see objects of that kind. An object is exempt
// from a check when annotated `polaris.fairwinds.com/<checkId>-exempt: "true"` (or from all with
// `polaris.fairwinds.com/exempt: "true"`).

const DIR = path.join(__dirname, '..', 'polaris');

/** One failed Polaris check. */
export interface PolarisFinding {
  readonly checkId: string;
  readonly severity: 'danger' | 'warning' | 'ignore';
  readonly problem: Problem;
}

interface Check {
  id: string;
  severity: PolarisFinding['severity'];
  target: string;
  schemaTarget?: string;
  failureMessage: string;
  controllers?: { include?: string[]; exclude?: string[] };
  skipInitContainers: boolean;
  validate: ValidateFunction;
}

let checks: Check[] | undefined;

/** Go's RE2 inline `(?i)` flag is turned into the JavaScript `i` flag. */
const regExp = Object.assign(
  (pattern: string, flags: string) => new RegExp(pattern.replace(/\(\?i\)/g, ''), pattern.includes('(?i)') ? `${flags}i` : flags),
  { code: 'polarisRegExp' },
);

/** Drops `required:` with nothing under it (YAML null) and `$schema` variants ajv does not know. */
function clean(v: any): any {
  if (Array.isArray(v)) return v.map(clean);
  if (!v || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).filter(([k, x]) => !(k === 'required' && x === null) && k !== '$schema').map(([k, x]) => [k, clean(x)]));
}

let severities: Record<string, PolarisFinding['severity']> | undefined;

/** Severity of a Polaris check in Polaris's default configuration (`ignore` when not listed). */
export function polarisSeverity(id: string): PolarisFinding['severity'] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  severities ??= require('yaml').parse(fs.readFileSync(path.join(DIR, 'default.yaml'), 'utf8')).checks as Record<string, PolarisFinding['severity']>;
  return severities[id] ?? 'ignore';
}

function loadChecks(): Check[] {
  if (checks) return checks;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const YAML = require('yaml');
  const ajv = new Ajv2019({ strict: false, allErrors: false, validateFormats: false, code: { regExp } });
  checks = fs.readdirSync(path.join(DIR, 'checks')).filter((f) => f.endsWith('.yaml')).sort().map((f) => {
    const id = f.replace(/\.yaml$/, '');
    const def = YAML.parse(fs.readFileSync(path.join(DIR, 'checks', f), 'utf8'));
    const schema = def.schema ?? YAML.parse(def.schemaString);
    return {
      id,
      severity: polarisSeverity(id),
      target: def.target,
      schemaTarget: def.schemaTarget,
      failureMessage: def.failureMessage ?? def.FailureMessage ?? id,
      controllers: def.controllers,
      skipInitContainers: (def.containers?.exclude ?? []).includes('initContainer'),
      validate: ajv.compile(clean(schema)),
    };
  });
  return checks;
}

/** True when `obj` carries a Polaris exemption annotation for check `id` (or for all checks). */
export function polarisExempt(obj: Manifest, id: string): boolean {
  const a = obj.metadata?.annotations ?? {};
  return a['polaris.fairwinds.com/exempt'] === 'true' || a[`polaris.fairwinds.com/${id}-exempt`] === 'true';
}

function controllerAllowed(check: Check, kind: string): boolean {
  if (check.controllers?.include && !check.controllers.include.includes(kind)) return false;
  return !(check.controllers?.exclude ?? []).includes(kind);
}

/** Runs every copied Polaris check on one object; returns the failures (all severities). */
export function polarisFindings(obj: Manifest): PolarisFinding[] {
  return polarisEvaluation(obj).findings;
}

/**
 * Runs every copied Polaris check on one object: how many checks it was evaluated against
 * (each container counts once per container check, as Polaris counts results) and the failures.
 */
export function polarisEvaluation(obj: Manifest): { evaluated: number; findings: PolarisFinding[] } {
  const out: PolarisFinding[] = [];
  let evaluated = 0;
  const t = podTemplateOf(obj);
  const run = (check: Check, subject: unknown, p: string) => {
    evaluated++;
    if (!check.validate(subject)) out.push({ checkId: check.id, severity: check.severity, problem: problem(obj, p, `polaris/${check.id} (${check.severity}): ${check.failureMessage}`) });
  };
  for (const check of loadChecks()) {
    if (check.severity === 'ignore' || polarisExempt(obj, check.id)) continue;
    if (['Container', 'PodSpec', 'PodTemplate', 'Controller'].includes(check.target)) {
      if (!t || !controllerAllowed(check, obj.kind)) continue;
      if (check.target === 'Controller') run(check, obj, '');
      if (check.target === 'PodTemplate') run(check, { metadata: t.metadata, spec: t.spec }, t.path);
      if (check.target === 'PodSpec') run(check, t.spec, specPath(t));
      if (check.target !== 'Container') continue;
      for (const { container, path: p, list } of containersOf(t)) {
        if (list === 'ephemeralContainers' || (list === 'initContainers' && check.skipInitContainers)) continue;
        run(check, check.schemaTarget === 'PodSpec' ? { ...t.spec, initContainers: [], containers: [container] } : container, p);
      }
    } else {
      const [group, kind] = check.target.split('/');
      if (kind === obj.kind && group === groupOf(obj.apiVersion)) run(check, obj, '');
    }
  }
  return { evaluated, findings: out };
}
