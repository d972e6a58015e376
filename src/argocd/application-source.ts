import { ApiObject, App, Chart, Lazy, Names, YamlOutputType } from 'cdk8s';

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

/** The file or folder label of every chart of one app, for one synthesis. */
const LABELS = new WeakMap<App, Map<Chart, string>>();

/**
 * Forgets the chart labels computed for `app`: called at the start of every synthesis (from a
 * validation of the Applications chart), so that charts added since are numbered anew.
 */
export function forgetChartLabels(app: App): void {
  LABELS.delete(app);
}

/**
 * The label cdk8s gives each chart's file or folder: its DNS label, prefixed by its index in
 * dependency order once charts depend on each other. Computed once per synthesis for the whole
 * app (`app.charts` builds a dependency graph of every construct: once per Application would
 * make synthesis quadratic in the number of charts).
 */
function chartLabels(app: App): Map<Chart, string> {
  let labels = LABELS.get(app);
  if (!labels) {
    const charts = app.charts;
    const dependant = charts.some(c => c.node.dependencies.some(d => Chart.isChart(d)));
    labels = new Map(charts.map((chart, index) => [chart,
      dependant ? `${index.toString().padStart(4, '0')}-${Names.toDnsLabel(chart)}` : Names.toDnsLabel(chart)]));
    LABELS.set(app, labels);
  }
  return labels;
}

/**
 * Where the files of `chart` are, as written by `synth` (or cdk8s's `app.synth()`) under the
 * app's output type, given the output folder relative to the repository root. Computed at
 * synthesis (a chart's file is numbered once charts depend on each other).
 */
export function chartSource(app: App, chart: Chart, repoOutdir: string): ChartSource {
  const label = chartLabels(app).get(chart) ?? Names.toDnsLabel(chart);
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

/**
 * `chart`'s folder and files as tokens resolved at synthesis, when the output type and the chart
 * order are known (`include` is omitted under `FOLDER_PER_CHART_FILE_PER_RESOURCE`).
 */
export function lazyChartSource(app: App, chart: Chart, repoOutdir: string): { readonly path: string; readonly include?: string } {
  const include = app.yamlOutputType === YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE
    ? undefined
    : Lazy.any({ produce: () => chartSource(app, chart, repoOutdir).include }) as unknown as string;
  return { path: Lazy.any({ produce: () => chartSource(app, chart, repoOutdir).path }) as unknown as string, include };
}
