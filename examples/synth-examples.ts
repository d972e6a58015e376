import { App } from 'cdk8s';
import { buildShop } from './shop';

/**
 * Synthesises every example app into `outdir`: one `<chart>.k8s.yaml` per chart.
 */
export function synthExamples(outdir: string): void {
  const app = new App({ outdir });
  buildShop(app);
  app.synth();
}
