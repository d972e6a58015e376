/**
 * One measured synthesis, run in a fresh process by bench/run.ts and bench/pipelines.ts:
 *   node child.js <config> <n> <outdir>
 * (`namespaces`: n namespace charts × 10 WebApps with a Pipeline each, see namespaces.ts)
 * Prints one JSON line: { ms, buildMs, synthMs, peakRssMiB, baseRssMiB, objects, bytes, files, allow }.
 * `ms` is the wall time of building the constructs and writing the manifests (module loading
 * excluded: it is the same for every configuration); `peakRssMiB` is the process's peak resident
 * set size (getrusage ru_maxrss), module loading included.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { synth } from '../src';
import { buildOurs, buildPeer, hasNetworkPolicyBundle } from './apps';
import { buildNamespaces } from './namespaces';

const [config, nArg, outdir] = process.argv.slice(2);
const n = Number(nArg);
const baseRssMiB = process.memoryUsage().rss / 2 ** 20;
const withPolicies = hasNetworkPolicyBundle();

const t0 = performance.now();
const app = new App({ outdir });
if (config === 'ours' || config === 'ours-app-synth') buildOurs(app, n);
else if (config === 'peer' || config === 'peer-fast-synth') buildPeer(app, n, withPolicies);
else if (config === 'namespaces') buildNamespaces(app, n);
else throw new Error(`unknown configuration ${config}`);
const t1 = performance.now();
if (config === 'ours' || config === 'peer-fast-synth' || config === 'namespaces') synth(app);
else app.synth();
const t2 = performance.now();

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
process.stdout.write(JSON.stringify({ ms: t2 - t0, buildMs: t1 - t0, synthMs: t2 - t1, peakRssMiB, baseRssMiB, objects, bytes, files, allow: withPolicies }) + '\n');
