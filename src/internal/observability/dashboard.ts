import { ObjectiveRulesInput, RECORD_BUDGET_REMAINING, objectiveLabels } from './burn-rate';
import { errorRatio, latencyQuantile, matchers, requestRate, slowRatio } from './promql';
import { shortHash } from '../core/checksum';

/** The rate window of the dashboard's panels. */
const PANEL_WINDOW = '5m';
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

/** What a dashboard shows: the objectives of one workload. */
export interface DashboardInput {
  /** The objective's name and namespace (title and uid). */
  readonly name: string;
  readonly namespace: string;
  /** One per objective (availability, latency), on the same source and target. */
  readonly objectives: readonly ObjectiveRulesInput[];
}

interface Target { readonly expr: string; readonly legendFormat: string; readonly refId: string }

function panel(id: number, type: string, title: string, gridPos: Record<string, number>, targets: Target[],
  fieldConfig: Record<string, unknown>): Record<string, unknown> {
  return {
    id,
    type,
    title,
    datasource: DATASOURCE,
    gridPos,
    targets: targets.map(t => ({ ...t, datasource: DATASOURCE })),
    fieldConfig: { defaults: fieldConfig, overrides: [] },
  };
}

/**
 * A Grafana dashboard of one workload's objectives: request rate, error ratio and latency
 * percentiles per canary track (the source's track label in every legend), and the error budget
 * left of each objective. Deterministic: its uid is a hash of the namespace and name.
 */
export function buildDashboard(input: DashboardInput): Record<string, unknown> {
  const { source, target } = input.objectives[0];
  const by = { by: [source.trackLabel] };
  const legend = `{{${source.trackLabel}}}`;
  const panels: Array<Record<string, unknown>> = [];
  const width = 12;
  const add = (type: string, title: string, targets: Target[], fieldConfig: Record<string, unknown>): void => {
    const i = panels.length;
    panels.push(panel(i + 1, type, title, { h: 8, w: width, x: (i % 2) * width, y: Math.floor(i / 2) * 8 }, targets, fieldConfig));
  };
  add('timeseries', 'Request rate', [{ expr: requestRate(source, target, PANEL_WINDOW, by), legendFormat: legend, refId: 'A' }], { unit: 'reqps' });
  add('timeseries', `Error ratio (${source.failures})`, [{ expr: errorRatio(source, target, PANEL_WINDOW, by), legendFormat: legend, refId: 'A' }], { unit: 'percentunit', min: 0 });
  add('timeseries', 'Latency', ['0.5', '0.9', '0.99'].map((q, i) => ({
    expr: latencyQuantile(source, target, Number(q), PANEL_WINDOW, by), legendFormat: `p${Number(q) * 100} ${legend}`, refId: String.fromCharCode(65 + i),
  })), { unit: 's', min: 0 });
  const latency = input.objectives.find(o => o.objective.sli === 'latency');
  if (latency) {
    add('timeseries', `Requests slower than ${latency.objective.threshold}`, [{
      expr: slowRatio(source, target, latency.objective.thresholdSeconds!, PANEL_WINDOW, by), legendFormat: legend, refId: 'A',
    }], { unit: 'percentunit', min: 0 });
  }
  for (const objective of input.objectives) {
    add('stat', `Error budget left: ${objective.objective.sli} ${objective.objective.percent}% over ${objective.window}`, [{
      expr: `${RECORD_BUDGET_REMAINING}${matchers(objectiveLabels(objective))}`, legendFormat: objective.objective.sli, refId: 'A',
    }], { unit: 'percentunit', thresholds: { mode: 'absolute', steps: [{ color: 'red', value: null }, { color: 'orange', value: 0.25 }, { color: 'green', value: 0.5 }] } });
  }
  return {
    uid: `slo-${shortHash(`${input.namespace}/${input.name}`, 16)}`,
    title: `SLO ${input.namespace}/${input.name}`,
    tags: ['slo', input.namespace],
    editable: false,
    schemaVersion: 39,
    time: { from: 'now-7d', to: 'now' },
    refresh: '1m',
    templating: { list: [{ name: 'datasource', type: 'datasource', query: 'prometheus', label: 'Prometheus' }] },
    panels,
  };
}
