import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { Pipeline } from '../src';

// The deliver job's scripts, run for real against temporary repositories, with the shell GitHub
// uses for run: steps (bash --noprofile --norc -eo pipefail).

function deliverJob(synthCommand: string): any {
  const p = new Pipeline(new Chart(Testing.app(), 'shop', { namespace: 'shop' }), 'delivery', {
    image: 'ghcr.io/acme/web', synth: { command: synthCommand, outdir: 'dist' },
  });
  return parse(p.toYaml()).jobs.deliver;
}

function step(job: any, name: RegExp): string {
  return job.steps.find((s: any) => name.test(s.name)).run;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function run(cwd: string, script: string, env: Record<string, string> = {}) {
  const job = deliverJob('true');
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd, encoding: 'utf8', env: { ...process.env, ...job.env, IMAGE: 'ghcr.io/acme/web', ...env } });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

/** A repository with committed manifests in dist/ (and a bare origin). */
function repo(): { work: string; origin: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cnc-deliver-'));
  const origin = path.join(root, 'origin.git');
  const work = path.join(root, 'work');
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', origin]);
  execFileSync('git', ['clone', '-q', origin, work], { stdio: 'ignore' });
  git(work, 'config', 'user.email', 't@example.com');
  git(work, 'config', 'user.name', 't');
  git(work, 'checkout', '-q', '-b', 'main');
  fs.mkdirSync(path.join(work, 'dist'));
  fs.writeFileSync(path.join(work, 'dist', 'shop.k8s.yaml'), 'kind: Namespace\n');
  git(work, 'add', '.');
  git(work, 'commit', '-qm', 'init');
  git(work, 'push', '-q', 'origin', 'main');
  return { work, origin };
}

describe('deliver job: the output checks fail loudly', () => {
  const drift = step(deliverJob('true'), /drifted/);

  test('passes when the committed output is what the code synthesises', () => {
    const { work } = repo();
    expect(run(work, drift).code).toBe(0);
  });

  test('fails when the output folder is missing', () => {
    const { work } = repo();
    fs.rmSync(path.join(work, 'dist'), { recursive: true });
    const r = run(work, drift);
    expect(r.code).toBe(1);
    expect(r.out).toContain('::error::The synth command wrote no folder dist');
  });

  test('fails when the output folder is git-ignored (the cdk8s init template ignores dist/)', () => {
    const { work } = repo();
    fs.writeFileSync(path.join(work, '.gitignore'), 'dist/\n');
    const r = run(work, drift);
    expect(r.code).toBe(1);
    expect(r.out).toContain('::error::dist is git-ignored');
  });

  test('fails when nothing of the output folder is committed', () => {
    const { work } = repo();
    git(work, 'rm', '-q', '--cached', '-r', 'dist');
    git(work, 'commit', '-qm', 'untrack');
    const r = run(work, drift);
    expect(r.code).toBe(1);
    expect(r.out).toContain('::error::Nothing in dist is committed');
  });

  test('fails when the committed output drifted', () => {
    const { work } = repo();
    fs.writeFileSync(path.join(work, 'dist', 'shop.k8s.yaml'), 'kind: Namespace\nmetadata: {}\n');
    const r = run(work, drift);
    expect(r.code).toBe(1);
    expect(r.out).toContain('differs from what the code synthesises');
  });
});

describe('deliver job: a push refused because another delivery landed first is retried on top of it', () => {
  test('two deliveries from the same base both land', () => {
    const { work, origin } = repo();
    // a second clone at the same base: another Pipeline's deliver job
    const other = path.join(path.dirname(work), 'other');
    execFileSync('git', ['clone', '-q', origin, other], { stdio: 'ignore' });
    git(other, 'config', 'user.email', 'o@example.com');
    git(other, 'config', 'user.name', 'o');
    const synth = 'echo "image: $(jq -r \'.["ghcr.io/acme/web"] // "none"\' image-digests.json 2>/dev/null || echo none)" > dist/web.k8s.yaml';
    const job = deliverJob(synth);
    const script = [step(job, /digest/), synth, step(job, /Commit/)].join('\n');
    const first = run(other, script, { DIGEST: `sha256:${'a'.repeat(64)}`, IMAGE: 'ghcr.io/acme/api' });
    expect(first.code).toBe(0);
    const second = run(work, script, { DIGEST: `sha256:${'b'.repeat(64)}` });
    expect(second.out).toContain('::warning::Push refused (attempt 1)');
    expect(second.code).toBe(0);
    const log = git(work, 'log', '--format=%s', 'origin/main');
    expect(log.split('\n').filter(Boolean)).toEqual([
      `deliver: ghcr.io/acme/web@sha256:${'b'.repeat(64)} [skip ci]`,
      `deliver: ghcr.io/acme/api@sha256:${'a'.repeat(64)} [skip ci]`,
      'init',
    ]);
    expect(JSON.parse(git(work, 'show', 'origin/main:image-digests.json'))).toEqual({
      'ghcr.io/acme/api': `sha256:${'a'.repeat(64)}`,
      'ghcr.io/acme/web': `sha256:${'b'.repeat(64)}`,
    });
  });
});
