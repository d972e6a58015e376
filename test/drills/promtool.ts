// Prometheus's own engine for the failure drills: `promtool test rules` loads synthetic series,
// evaluates the rule groups under test every `evaluation_interval` (recording rules and alerts, whose
// state is queryable as the ALERTS series), and evaluates PromQL at chosen times.
// @see https://prometheus.io/docs/prometheus/latest/configuration/unit_testing_rules/
import { execFileSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { stringify } from 'yaml';

/** One synthetic series in promtool's expanding notation, e.g. `{ series: 'up{job="a"}', values: '1x60' }`. */
export interface InputSeries {
  readonly series: string;
  readonly values: string;
}

/** A Prometheus rule group as a PrometheusRule's `spec.groups[]` holds it. */
export interface RuleGroup {
  readonly name: string;
  readonly interval?: string;
  readonly rules: ReadonlyArray<Record<string, unknown>>;
}

/** One instant vector sample of a query's result. */
export interface Sample {
  readonly labels: Record<string, string>;
  readonly value: number;
}

/** A PromQL expression evaluated at a time offset from the series' start (`'10m'`, `'2h'`). */
export interface Query {
  readonly expr: string;
  readonly at: string;
}

/** What the queries run over. */
export interface Scenario {
  /** The synthetic series. */
  readonly series: InputSeries[];
  /** The step of the series' values. @default '1m' */
  readonly interval?: string;
  /** Rule groups evaluated every `evaluationInterval` before the queries read them. @default none */
  readonly groups?: ReadonlyArray<RuleGroup>;
  /** @default '1m' */
  readonly evaluationInterval?: string;
}

const PROMTOOL_MISSING = 'promtool is not installed: run `npm test` (it installs Debian package `prometheus` as root) '
  + 'or install it yourself (`apt-get install prometheus`, `brew install prometheus`)';

// a sample no real query returns: every query "fails" against it, so promtool prints what it got
const SENTINEL = [{ labels: '{__drill_sentinel__="1"}', value: -1 }];

/**
 * Evaluates each query over the scenario with Prometheus's engine and returns its samples, in
 * query order (an empty array when the result is empty, as Prometheus returns "no data").
 */
export function evaluate(scenario: Scenario, queries: ReadonlyArray<Query>): Sample[][] {
  const tests = [{
    interval: scenario.interval ?? '1m',
    input_series: scenario.series,
    promql_expr_test: queries.map((q) => ({ expr: q.expr, eval_time: q.at, exp_samples: SENTINEL })),
  }];
  const output = runPromtool(scenario, tests).output;
  const results = parseFailures(output);
  return queries.map((q, i) => {
    const got = results[i];
    if (!got || got.expr !== q.expr) throw new Error(`promtool output did not report query ${i} (${q.expr}):\n${output}`);
    return got.samples;
  });
}

/** Evaluates one query at several times, e.g. every analysis interval. */
export function evaluateOverTime(scenario: Scenario, expr: string, times: ReadonlyArray<string>): Sample[][] {
  return evaluate(scenario, times.map((at) => ({ expr, at })));
}

/** The rule groups load without error in Prometheus (a rule file Prometheus rejects is never evaluated). */
export function checkRules(groups: ReadonlyArray<RuleGroup>): void {
  runPromtool({ series: [], groups }, [{ interval: '1m', input_series: [], promql_expr_test: [] }], true);
}

interface PromtoolRun {
  readonly output: string;
}

function runPromtool(scenario: Scenario, tests: object[], mustPass = false): PromtoolRun {
  const dir = mkdtempSync(join(tmpdir(), 'drill-'));
  try {
    writeFileSync(join(dir, 'rules.yml'), stringify({ groups: scenario.groups ?? [] }));
    writeFileSync(join(dir, 'test.yml'), stringify({
      rule_files: ['rules.yml'],
      evaluation_interval: scenario.evaluationInterval ?? '1m',
      tests,
    }));
    try {
      const output = execFileSync('promtool', ['test', 'rules', join(dir, 'test.yml')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      return { output };
    } catch (e: any) {
      if (e.code === 'ENOENT') throw new Error(PROMTOOL_MISSING);
      const output = `${e.stdout ?? ''}${e.stderr ?? ''}`;
      if (mustPass || !/FAILED:/.test(output) || /could not|error/i.test(output.split('FAILED:')[0] ?? '')) {
        throw new Error(`promtool rejected the rules or the test:\n${output}`);
      }
      return { output };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface ReportedQuery {
  readonly expr: string;
  readonly samples: Sample[];
}

/** Reads promtool's failure report: `expr: "<quoted>", time: <t>,` … `got: <samples>` per query. */
function parseFailures(output: string): ReportedQuery[] {
  const reported: ReportedQuery[] = [];
  const lines = output.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const exprLine = /^\s*expr: (".*"), time: [^,]+,\s*$/.exec(lines[i]);
    if (!exprLine) continue;
    const gotLine = lines.slice(i + 1).find((line) => /^\s*got: /.test(line));
    if (gotLine === undefined) throw new Error(`promtool reported no result for ${exprLine[1]}:\n${output}`);
    reported.push({ expr: JSON.parse(exprLine[1]), samples: parseSamples(gotLine.replace(/^\s*got: /, '')) });
  }
  return reported;
}

/** `{a="x", b="y"} 1E+00, {} NaN` → samples; `nil` → none. */
export function parseSamples(text: string): Sample[] {
  if (text.trim() === 'nil') return [];
  const samples: Sample[] = [];
  let pos = 0;
  while (pos < text.length) {
    if (text[pos] !== '{') throw new Error(`unexpected promtool sample text at ${pos}: ${text}`);
    const labels: Record<string, string> = {};
    pos++;
    while (text[pos] !== '}') {
      const name = /^\s*([A-Za-z_][A-Za-z0-9_]*)="/.exec(text.slice(pos));
      if (!name) throw new Error(`unexpected promtool label text at ${pos}: ${text}`);
      pos += name[0].length;
      let value = '';
      while (text[pos] !== '"') {
        if (text[pos] === '\\') pos++;
        value += text[pos++];
      }
      labels[name[1]] = value;
      pos++;
      if (text[pos] === ',') pos++;
      while (text[pos] === ' ') pos++;
    }
    const number = /^\} (\S+?)(, |$)/.exec(text.slice(pos));
    if (!number) throw new Error(`unexpected promtool value text at ${pos}: ${text}`);
    samples.push({ labels, value: parsePromNumber(number[1]) });
    pos += number[0].length;
  }
  return samples;
}

function parsePromNumber(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  const value = Number(text);
  if (Number.isNaN(value)) throw new Error(`unexpected promtool number: ${text}`);
  return value;
}
