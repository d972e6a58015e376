import * as path from 'path';
import { buildSync } from 'esbuild';

/**
 * Bundles bench/child.ts once (TypeScript compiled away, node_modules external) so that measured
 * processes run plain Node without a TypeScript loader; returns the bundle's path.
 */
export function bundleChild(): string {
  const root = path.resolve(__dirname, '..');
  const childJs = path.join(root, 'node_modules', '.cache', 'cloudnative-constructs-bench', 'child.js');
  buildSync({
    entryPoints: [path.join(__dirname, 'child.ts')],
    outfile: childJs,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    logLevel: 'error',
  });
  return childJs;
}
