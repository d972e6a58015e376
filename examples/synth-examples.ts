import { App } from 'cdk8s';
import { buildBoutique } from './boutique';
import { writeReachabilityReports } from './reachability';
import { buildShop } from './shop';
import { synth, writeWorkflows } from '../src';

/**
 * Synthesises every example app: one `<chart>.k8s.yaml` and `<chart>.reachability.md` per chart
 * into `outdir` (the shop's charts and the Online Boutique's), and each Pipeline's workflow file
 * under `rootDir` (the repository root).
 * Nothing is written when the app is invalid.
 */
export function synthExamples(outdir: string, rootDir = '.'): void {
  const app = new App({ outdir });
  // Google's Online Boutique in a namespace of its own (one App per output folder: the shop's
  // Pipeline, with argocd.charts 'all', gives it its own Application; built first because 'all'
  // reads the charts that exist when the Pipeline is constructed)
  buildBoutique(app);
  buildShop(app);
  synth(app, { listFiles: true });
  writeReachabilityReports(app);
  writeWorkflows(app, { rootDir });
}
