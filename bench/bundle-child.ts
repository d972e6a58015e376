import * as fs from 'fs';
import * as path from 'path';
import { buildSync } from 'esbuild';

/**
 * Compiles the library (src/) and the benchmark (bench/) to JavaScript, one file per module as
 * `tsc` writes lib/ (no bundle: each process loads only the modules it requires, as an installed
 * package would), into node_modules/.cache; returns the path of the child script. Measured
 * processes run plain Node without a TypeScript loader.
 */
export function bundleChild(): string {
  const root = path.resolve(__dirname, '..');
  const out = path.join(root, 'node_modules', '.cache', 'cloudnative-constructs-bench');
  fs.rmSync(out, { recursive: true, force: true });
  const sources = ['src', 'bench'].flatMap(dir => (fs.readdirSync(path.join(root, dir), { recursive: true }) as string[])
    .map(f => path.join(dir, f)));
  buildSync({
    entryPoints: sources.filter(f => f.endsWith('.ts') && !f.endsWith('.d.ts')).map(f => path.join(root, f)),
    outbase: root,
    outdir: out,
    bundle: false,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'error',
  });
  for (const json of sources.filter(f => f.endsWith('.json'))) fs.copyFileSync(path.join(root, json), path.join(out, json));
  return path.join(out, 'bench', 'child.js');
}
