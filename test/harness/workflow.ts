import { execFileSync } from 'child_process';
import * as path from 'path';

/** One workflow file to check. */
export interface WorkflowFile {
  readonly content: string;
  /** File name shown in errors, e.g. `.github/workflows/delivery.yml`. */
  readonly name?: string;
}

/**
 * Parses several workflows with GitHub's own parser (@actions/workflow-parser) in one child
 * process (the parser is ESM-only and needs a JSON import loader on Node 20).
 * Returns, per file, the parser's error messages (empty when valid).
 */
export function validateWorkflows(files: WorkflowFile[]): string[][] {
  if (files.length === 0) return [];
  const input = JSON.stringify(files.map((f, i) => ({ name: f.name ?? `workflow-${i}.yml`, content: f.content })));
  const out = execFileSync(
    process.execPath,
    ['--no-warnings', '--import', path.join(__dirname, 'json-import-loader.mjs'), path.join(__dirname, 'workflow-check.mjs')],
    { input, encoding: 'utf8', cwd: path.join(__dirname, '..', '..'), maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(out) as string[][];
}

/** Parses one workflow with GitHub's own parser; returns its errors, [] when valid. */
export function validateWorkflow(yamlText: string, fileName = 'workflow.yml'): string[] {
  return validateWorkflows([{ content: yamlText, name: fileName }])[0];
}
