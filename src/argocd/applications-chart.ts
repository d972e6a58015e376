import { App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { forgetChartLabels } from './application-source';
import { hasBrand } from '../internal/core/brand';
import { PropValidationError } from '../internal/core/errors';

const BRAND = Symbol.for('cloudnative-constructs.ApplicationsChart');

/** The folder, inside the app's `outdir`, that holds the ArgoCD Applications (no Application syncs it). */
export const APPLICATIONS_FOLDER = 'argocd';

/** Whether `x` is the chart holding the app's ArgoCD Applications. */
export function isApplicationsChart(x: unknown): boolean {
  return hasBrand(x, BRAND);
}

/**
 * The chart, at the root of the app, that holds every ArgoCD Application a `Pipeline` creates:
 * kept apart from the charts the Applications sync, so that no Application manages itself.
 * `synth` writes it into `<outdir>/argocd/`; cdk8s's own `app.synth()` writes it as the chart
 * `argocd` (a folder of its own under `FOLDER_PER_CHART_FILE_PER_RESOURCE`).
 */
export function applicationsChart(scope: IConstruct): Chart {
  const root = scope.node.root;
  const existing = root.node.tryFindChild(APPLICATIONS_FOLDER);
  if (existing && isApplicationsChart(existing)) return existing as Chart;
  if (existing) {
    throw new PropValidationError(scope.node.path, 'argocd', APPLICATIONS_FOLDER,
      `the app already has a construct with the id "${APPLICATIONS_FOLDER}" (${existing.node.path}), which the ArgoCD Applications chart needs; rename that construct`);
  }
  const chart = new Chart(root as App, APPLICATIONS_FOLDER, { disableResourceNameHashes: true });
  Object.defineProperty(chart, BRAND, { value: true });
  // every synthesis validates first: the charts' files are numbered anew for it
  chart.node.addValidation({ validate: () => (forgetChartLabels(root as App), []) });
  return chart;
}

/** The charts an Application can sync: every chart but the one holding the Applications. */
export function syncableCharts(app: App): Chart[] {
  return app.node.findAll().filter((c): c is Chart => Chart.isChart(c) && !isApplicationsChart(c));
}
