import { App } from 'cdk8s';
import { writeReachabilityReports } from './reachability';
import { buildShop } from './shop';
import { synth, writeWorkflows } from '../src';

/**
 * Synthesises every example app: one `<chart>.k8s.yaml` and `<chart>.reachability.md` per chart
 * into `outdir`, and each Pipeline's workflow file under `rootDir` (the repository root).
 * Nothing is written when the app is invalid.
 */
export function synthExamples(outdir: string, rootDir = '.'): void {
  const app = new App({ outdir });
  buildShop(app);
  synth(app, { listFiles: true });
  writeReachabilityReports(app);
  writeWorkflows(app, { rootDir });
}
