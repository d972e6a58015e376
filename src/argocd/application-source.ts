import { ApiObject, App, Chart, Names, YamlOutputType } from 'cdk8s';
import { isApplicationsChart } from './applications-chart';

/** Where an Application finds one chart's files: a folder, and which of its files. */
export interface ChartSource {
  /** The folder, relative to the repository root. */
  readonly path: string;
  /**
   * A glob of the files of that folder the chart wrote.
   * @default - every file of the folder
   */
  readonly include?: string;
}

/**
 * Where the files of `chart` are, as written by `synth` (or cdk8s's `app.synth()`) under the
 * app's output type, given the output folder relative to the repository root. Computed at
 * synthesis (a chart's file is numbered once charts depend on each other).
 */
export function chartSource(app: App, chart: Chart, repoOutdir: string): ChartSource {
  const charts = app.charts;
  const dependant = charts.some(c => c.node.dependencies.some(d => Chart.isChart(d)));
  const index = charts.indexOf(chart);
  const label = dependant ? `${index.toString().padStart(4, '0')}-${Names.toDnsLabel(chart)}` : Names.toDnsLabel(chart);
  const ext = app.outputFileExtension;
  switch (app.yamlOutputType) {
    case YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE:
      return { path: `${repoOutdir}/${label}` };
    case YamlOutputType.FILE_PER_RESOURCE: {
      const files = chart.node.findAll()
        .filter((o): o is ApiObject => o instanceof ApiObject && Chart.of(o) === chart)
        .map(o => `${o.kind}.${o.name}`.replace(/[^0-9a-zA-Z-_.]/g, '') + ext);
      return { path: repoOutdir, include: files.length === 1 ? files[0] : `{${files.join(',')}}` };
    }
    default:
      return { path: repoOutdir, include: `${label}${ext}` };
  }
}

/** The charts an Application can sync: every chart but the one holding the Applications. */
export function syncableCharts(app: App): Chart[] {
  return app.node.findAll().filter((c): c is Chart => Chart.isChart(c) && !isApplicationsChart(c));
}
