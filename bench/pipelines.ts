/**
 * `npx tsx bench/pipelines.ts [--n 6,30,60] [--runs 5]`: N namespace charts × 10 WebApps with one
 * Pipeline (and its ArgoCD Application) each, synthesised with `synth(app)`, each measurement in a
 * fresh Node process, runs of the sizes interleaved; prints medians and the time per chart. The
 * cost per chart must stay flat: time(60) ≤ 2.3 × time(30). A benchmark, not a test.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { bundleChild } from './bundle-child';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const sizes = arg('n', '6,30,60').split(',').map(Number);
const runs = Number(arg('runs', '5'));
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const childJs = bundleChild();
const root = path.resolve(__dirname, '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cnc-bench-ns-'));
const samples = new Map<number, Array<{ ms: number; peakRssMiB: number; objects: number }>>();
console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, load average ${os.loadavg().map(l => l.toFixed(1)).join(' ')}, Node ${process.version}`);
for (let r = 0; r < runs; r++) {
  for (const n of sizes) {
    const outdir = path.join(tmp, `${n}-${r}`);
    const out = execFileSync(process.execPath, [childJs, 'namespaces', String(n), outdir], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    fs.rmSync(outdir, { recursive: true, force: true });
    samples.set(n, [...(samples.get(n) ?? []), JSON.parse(out.trim().split('\n').pop()!)]);
  }
}
fs.rmSync(tmp, { recursive: true, force: true });

console.log(`namespace charts × 10 WebApps, one Pipeline + Application each; ${runs} runs, median (min–max)`);
const timeOf = (n: number) => median(samples.get(n)!.map(s => s.ms));
for (const n of sizes) {
  const xs = samples.get(n)!;
  const ms = timeOf(n);
  console.log(`  N=${String(n).padStart(3)}  ${ms.toFixed(0).padStart(6)} ms (${Math.min(...xs.map(s => s.ms)).toFixed(0)}–${Math.max(...xs.map(s => s.ms)).toFixed(0)})`
    + `  ${(ms / n).toFixed(1).padStart(6)} ms/chart  ${median(xs.map(s => s.peakRssMiB)).toFixed(0).padStart(4)} MiB  ${xs[0].objects} objects`);
}
if (samples.has(30) && samples.has(60)) {
  const ratio = timeOf(60) / timeOf(30);
  console.log(`time(60) / time(30) = ${ratio.toFixed(2)} (flat per chart: ≤ 2.3)`);
}
console.log(`load average after: ${os.loadavg().map(l => l.toFixed(1)).join(' ')}`);
