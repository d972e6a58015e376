/**
 * One measured synthesis, run in a fresh process by bench/run.ts and bench/pipelines.ts:
 *   node child.js <config> <n> <outdir>
 * Prints one JSON line: { ms, cpuMs, buildMs, synthMs, peakRssMiB, baseRssMiB, objects, bytes, files }.
 * `ms` is the wall time of building the constructs and writing the manifests (module loading
 * excluded), `cpuMs` the CPU time (user + system) the process spent on the same (steadier than
 * wall time on a busy machine); `peakRssMiB` is the process's peak resident set size (getrusage ru_maxrss), module
 * loading included. Each configuration loads only its own library (the hand-written one never
 * loads this library, ours never loads cdk8s-plus), as an app of either kind would.
 * Configurations: `ours`, `ours-app-synth`, `peer`, `peer-fast-synth` (see run.ts) and
 * `namespaces` (n namespace charts × 10 WebApps with a Pipeline each, see namespaces.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';

const [config, nArg, outdir] = process.argv.slice(2);
const n = Number(nArg);
const ours = config === 'ours' || config === 'ours-app-synth' || config === 'namespaces';
const fastSynth = config === 'ours' || config === 'peer-fast-synth' || config === 'namespaces';
if (!ours && config !== 'peer' && config !== 'peer-fast-synth') throw new Error(`unknown configuration ${config}`);
/* eslint-disable @typescript-eslint/no-require-imports */
const build: (app: App, n: number) => unknown = config === 'namespaces' ? require('./namespaces').buildNamespaces
  : ours ? require('./app-ours').buildOurs : require('./app-peer').buildPeer;
const synth: ((app: App) => unknown) | undefined = fastSynth ? require('../src/synth').synth : undefined;
/* eslint-enable @typescript-eslint/no-require-imports */
const baseRssMiB = process.memoryUsage().rss / 2 ** 20;

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const app = new App({ outdir });
build(app, n);
const t1 = performance.now();
if (synth) synth(app);
else app.synth();
const t2 = performance.now();
const cpu = process.cpuUsage(cpu0);

const peakRssMiB = process.resourceUsage().maxRSS / 1024;
let objects = 0;
let bytes = 0;
let files = 0;
for (const file of fs.readdirSync(outdir, { recursive: true }) as string[]) {
  const full = path.join(outdir, file);
  if (!fs.statSync(full).isFile()) continue;
  const text = fs.readFileSync(full, 'utf8');
  files++;
  bytes += Buffer.byteLength(text);
  objects += text.length === 0 ? 0 : text.split(/^---$/m).length;
}
process.stdout.write(JSON.stringify({ ms: t2 - t0, cpuMs: (cpu.user + cpu.system) / 1000, buildMs: t1 - t0, synthMs: t2 - t1, peakRssMiB, baseRssMiB, objects, bytes, files }) + '\n');
