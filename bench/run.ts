/**
 * `npm run bench [-- --n 1,10,100,1000 --runs 5 --configs ours,ours-app-synth,peer]`
 *
 * Synthesises N web apps (each autoscaled, with an allow() rule) with this library and with the
 * equivalent hand-written cdk8s-plus-28 code, each measurement in a fresh Node process (clean
 * peak memory), several runs interleaved, and prints medians, the ratio ours / hand-written and
 * the growth exponent between N = 100 and N = 1000. A benchmark, not a test: it asserts nothing
 * about timing.
 *
 * Configurations:
 * - `ours`: this library, written with its fast `synth(app)` entry point;
 * - `ours-app-synth`: this library, written with cdk8s's own `app.synth()`;
 * - `peer`: hand-written cdk8s-plus-28, written with `app.synth()` (the reference);
 * - `peer-fast-synth`: hand-written cdk8s-plus-28, written with this library's `synth(app)`.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { bundleChild } from './bundle-child';

interface Sample {
  ms: number;
  cpuMs: number;
  buildMs: number;
  synthMs: number;
  peakRssMiB: number;
  baseRssMiB: number;
  objects: number;
  bytes: number;
  files: number;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const sizes = arg('n', '1,10,100,1000').split(',').map(Number);
const runs = Number(arg('runs', '5'));
const configs = arg('configs', 'ours,ours-app-synth,peer').split(',');
const REFERENCE = 'peer';
const OURS = 'ours';

const root = path.resolve(__dirname, '..');
const childJs = bundleChild();

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const results = new Map<string, Sample[]>(); // key `${config}@${n}`
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cnc-bench-'));
console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}, load average ${os.loadavg().map(l => l.toFixed(1)).join(' ')}`);
console.log(`runs per point: ${runs} (fresh process each, configurations interleaved)\n`);

for (const n of sizes) {
  for (let r = 0; r < runs; r++) {
    for (const config of configs) {
      const outdir = path.join(tmp, `${config}-${n}-${r}`);
      const out = execFileSync(process.execPath, [childJs, config, String(n), outdir], { cwd: root, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'] });
      const sample = JSON.parse(out.trim().split('\n').pop()!) as Sample;
      fs.rmSync(outdir, { recursive: true, force: true });
      const key = `${config}@${n}`;
      results.set(key, [...(results.get(key) ?? []), sample]);
    }
  }
  process.stderr.write(`  N=${n} done\n`);
}
fs.rmSync(tmp, { recursive: true, force: true });

console.log('allow() rules included; the peer uses deployment.connections.allowFrom(). Each process loads only its own library.');
console.log(`load average after the runs: ${os.loadavg().map(l => l.toFixed(1)).join(' ')} (the machine's other work inflates every time; the ratios of interleaved runs less so)`);
console.log('time = wall time of building the constructs and writing the manifests, median (min–max); cpu = CPU time of the same, median; peak = process peak RSS, median\n');

const pad = (s: string, w: number) => s.padStart(w);
const header = ['N', 'config', 'time ms', 'min–max', 'build ms', 'write ms', 'cpu ms', 'peak MiB', 'objects', 'bytes', 'time ×peer', 'cpu ×peer', 'mem ×peer'];
const widths = [5, 16, 9, 15, 9, 9, 9, 9, 8, 10, 11, 10, 10];
console.log(header.map((h, i) => (i === 1 ? h.padEnd(widths[i]) : pad(h, widths[i]))).join(' '));
for (const n of sizes) {
  const ref = results.get(`${REFERENCE}@${n}`);
  for (const config of configs) {
    const samples = results.get(`${config}@${n}`)!;
    const ms = median(samples.map(s => s.ms));
    const mem = median(samples.map(s => s.peakRssMiB));
    const cpu = median(samples.map(s => s.cpuMs));
    const refMs = ref ? median(ref.map(s => s.ms)) : NaN;
    const refCpu = ref ? median(ref.map(s => s.cpuMs)) : NaN;
    const refMem = ref ? median(ref.map(s => s.peakRssMiB)) : NaN;
    const row = [
      String(n), config, ms.toFixed(0),
      `${Math.min(...samples.map(s => s.ms)).toFixed(0)}–${Math.max(...samples.map(s => s.ms)).toFixed(0)}`,
      median(samples.map(s => s.buildMs)).toFixed(0), median(samples.map(s => s.synthMs)).toFixed(0), cpu.toFixed(0),
      mem.toFixed(1), String(samples[0].objects), String(samples[0].bytes),
      (ms / refMs).toFixed(2), (cpu / refCpu).toFixed(2), (mem / refMem).toFixed(2),
    ];
    console.log(row.map((c, i) => (i === 1 ? c.padEnd(widths[i]) : pad(c, widths[i]))).join(' '));
  }
}

if (sizes.includes(100) && sizes.includes(1000)) {
  console.log('\ngrowth exponent of time between N=100 and N=1000 (1.0 = linear): log(t1000 / t100) / log(10)');
  for (const config of configs) {
    const t100 = median(results.get(`${config}@100`)!.map(s => s.ms));
    const t1000 = median(results.get(`${config}@1000`)!.map(s => s.ms));
    console.log(`  ${config.padEnd(16)} ${(Math.log(t1000 / t100) / Math.log(10)).toFixed(3)}`);
  }
}
const big = Math.max(...sizes);
const o = results.get(`${OURS}@${big}`);
const p = results.get(`${REFERENCE}@${big}`);
if (o && p) {
  const rt = median(o.map(s => s.ms)) / median(p.map(s => s.ms));
  const rc = median(o.map(s => s.cpuMs)) / median(p.map(s => s.cpuMs));
  const rm = median(o.map(s => s.peakRssMiB)) / median(p.map(s => s.peakRssMiB));
  console.log(`\nat N=${big}: ours / hand-written cdk8s-plus-28 = ${rt.toFixed(2)}× wall time (target ≤ 0.3), ${rc.toFixed(2)}× CPU time, ${rm.toFixed(2)}× peak memory (target ≤ 0.65)`);
}
