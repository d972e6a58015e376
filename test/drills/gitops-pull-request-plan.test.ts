// Drill: a dangerous change in a pull request. The Pipeline's drift check makes every code change
// carry its synthesised output, so by the time it reaches the deliver branch ArgoCD already syncs
// it: the pull request is where it must be planned. The `plan` job's script is run for real, with
// GitHub's shell (bash --noprofile --norc -eo pipefail), in a clone where the base branch is
// `origin/main` (actions/checkout with fetch-depth: 0 fetches every branch: "Set fetch-depth: 0 to
// fetch all history for all branches and tags", https://github.com/actions/checkout#usage), and
// `BASE_REF` is what GitHub gives `github.base_ref` on pull_request events (the base branch name).
//
// On main before this change (run against it): the workflow had no job planning pull requests
// (`jobs.plan` undefined), so a pull request deleting the db chart passed every check. Both
// drills failed (the twin too: there was no plan to pass).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { parse } from 'yaml';
import { committedShop, configure, git, synthInto, ShopConfig } from './gitops-fixture';
import { Pipeline } from '../../src';

jest.setTimeout(120_000);

function planJob(): any {
  const chart = new Chart(new App(), 'shop', { namespace: 'shop' });
  const pipeline = new Pipeline(chart, 'delivery', { image: 'ghcr.io/acme/web', synth: { command: 'npx tsx app.ts', outdir: 'dist' } });
  return parse(pipeline.toYaml()).jobs.plan;
}

/** main committed with `base`, an origin holding it, and a pull request branch that changes the app to `change`, with its output. */
function pullRequest(base: ShopConfig, change: ShopConfig): string {
  const dir = committedShop(base);
  const origin = `${dir}-origin.git`;
  git(dir, 'clone', '-q', '--bare', dir, origin);
  git(dir, 'remote', 'add', 'origin', origin);
  git(dir, 'fetch', '-q', 'origin');
  git(dir, 'checkout', '-q', '-b', 'feature');
  configure(dir, change);
  synthInto(dir);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'the change');
  return dir;
}

function runPlanJob(dir: string): { code: number | null; summary: string; out: string } {
  const job = planJob();
  expect(job.if).toEqual("github.event_name == 'pull_request'");
  expect(job.permissions).toEqual({ contents: 'read' });
  const summary = path.join(dir, 'step-summary.md');
  const script = job.steps.at(-1).run;
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ...job.env, BASE_REF: 'main', GITHUB_STEP_SUMMARY: summary },
  });
  return { code: result.status, summary: fs.existsSync(summary) ? fs.readFileSync(summary, 'utf8') : '', out: `${result.stdout}${result.stderr}` };
}

describe('drill: the pull request plan (Pipeline)', () => {
  test('a pull request deleting the db chart fails the plan check, with the prunes in the job summary', () => {
    const { code, summary, out } = runPlanJob(pullRequest({ db: true }, {}));
    expect({ code, out }).toEqual({ code: 1, out: expect.stringContaining('ERROR Namespace db: removed') });
    expect(summary).toMatch(/^### Plan: 0 to add, 0 to change, 12 to remove/);
    expect(summary).toContain('- **error** `StatefulSet db/postgres`: removed');
  });

  test('healthy twin: a pull request adding a flow passes, its plan in the job summary', () => {
    const { code, summary } = runPlanJob(pullRequest({ db: true }, { db: true, allow: true }));
    expect(code).toBe(0);
    expect(summary).toMatch(/^### Plan: [1-9]\d* to add, \d+ to change, 0 to remove, \d+ unchanged; 0 error\(s\), 0 warning\(s\)/);
  });
});
