/**
 * `npx tsx bench/dev-loop.ts [--runs 7]`: the developer loop, end to end (TypeScript included):
 * synthesising the examples with ts-node (the cdk8s default runner) and with tsx, each run a fresh
 * process, medians. Also times `npm run synth` as a whole.
 */
import { execFileSync, execSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const i = process.argv.indexOf('--runs');
const runs = i >= 0 ? Number(process.argv[i + 1]) : 7;
const root = path.resolve(__dirname, '..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function time(run: () => void): number {
  const t0 = performance.now();
  run();
  return performance.now() - t0;
}

const commands: Array<[string, (outdir: string) => void]> = [
  ['ts-node (cdk8s default)', (out) => execFileSync(bin('ts-node'), ['bench/dev-loop-app.ts', out], { cwd: root, stdio: 'ignore' })],
  ['tsx', (out) => execFileSync(bin('tsx'), ['bench/dev-loop-app.ts', out], { cwd: root, stdio: 'ignore' })],
  ['npm run synth', () => execSync('npm run synth --silent', { cwd: root, stdio: 'ignore' })],
];
const samples = new Map<string, number[]>();
for (let r = 0; r < runs; r++) {
  for (const [name, run] of commands) {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cnc-dev-loop-'));
    samples.set(name, [...(samples.get(name) ?? []), time(() => run(out))]);
    fs.rmSync(out, { recursive: true, force: true });
  }
}
console.log(`examples synthesised end to end, ${runs} runs each, fresh process, median (min–max):`);
for (const [name, xs] of samples) {
  console.log(`  ${name.padEnd(24)} ${median(xs).toFixed(0).padStart(6)} ms  (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`);
}
const tsNode = median(samples.get('ts-node (cdk8s default)')!);
const tsx = median(samples.get('tsx')!);
console.log(`tsx / ts-node = ${(tsx / tsNode).toFixed(2)} (target ≤ 0.5)`);
