import * as path from 'path';
import { App } from 'cdk8s';
import { buildBoutique } from './boutique';
import { writeReachabilityReports } from './reachability';
import { buildShop } from './shop';
import { synth, writeWorkflows } from '../src';

/**
 * Synthesises every example app: one `<chart>.k8s.yaml` and `<chart>.reachability.md` per chart
 * into `outdir` (the Online Boutique into `<outdir>/boutique/`), and each Pipeline's workflow
 * file under `rootDir` (the repository root).
 * Nothing is written when the app is invalid.
 */
export function synthExamples(outdir: string, rootDir = '.'): void {
  const app = new App({ outdir });
  buildShop(app);
  synth(app, { listFiles: true });
  writeReachabilityReports(app);
  writeWorkflows(app, { rootDir });

  // Google's Online Boutique, a platform of its own: <outdir>/boutique/
  const boutique = new App({ outdir: path.join(outdir, 'boutique') });
  buildBoutique(boutique);
  synth(boutique, { listFiles: true });
  writeReachabilityReports(boutique);
}
