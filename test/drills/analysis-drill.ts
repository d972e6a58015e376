// Runs a ProgressiveRelease's rollout as Argo Rollouts would, over synthetic metrics evaluated by
// Prometheus's engine: build the stable release and the new one, take the new Rollout and its
// AnalysisTemplates as synthesised, generate the requests both pod sets answer during the rollout
// (the weights from the Rollout's own steps), and hand every measurement's query to promtool.
import { Chart, Testing } from 'cdk8s';
import { PodBehaviour, rolloutSeries } from './analysis-traffic';
import { runRollout, RolloutOutcome, durationSeconds } from './argo-rollouts';
import { evaluate } from './promtool';
import { ProgressiveRelease, ProgressiveReleaseProps, ServiceLevelObjective, ServiceLevelObjectiveProps } from '../../src';

export const NAMESPACE = 'shop';
export const IMAGE = 'ghcr.io/acme/api:2.0.0';
export const NEW_IMAGE = 'ghcr.io/acme/api:2.1.0';
/** The README's example: 10 % for 5 minutes, 50 % for 10 minutes, then everything. */
export const STEPS = [{ weight: 10, pause: '5m' }, { weight: 50, pause: '10m' }, { weight: 100 }];
export const ANALYSIS = { successRate: 99, maxLatency: '500ms', interval: '1m', failureLimit: 2 };

/** When the new template is applied, seconds after the series start (the stable pods have history by then). */
const START = 600;
/** Seconds between scrapes: kube-prometheus-stack's default. */
const SCRAPE = 30;

/** The release's objects as synthesised. */
export interface Synthesised {
  readonly rollout: any;
  readonly templates: any[];
}

/**
 * Synthesises a ProgressiveRelease `api` in namespace `shop` (with an objective `api` when
 * `slo` is given). Props are passed as plain data, as a JavaScript user would, so that a drill
 * also runs against code that does not know a prop yet.
 */
export function synthesise(props: Record<string, unknown>, slo?: Omit<ServiceLevelObjectiveProps, 'target'>): Synthesised {
  const chart = new Chart(Testing.app(), 'drill', { namespace: NAMESPACE });
  const objective = slo ? new ServiceLevelObjective(chart, 'api-slo', { target: { name: 'api', namespace: NAMESPACE }, ...slo }) : undefined;
  const analysis = props.analysis as Record<string, unknown> | undefined;
  new ProgressiveRelease(chart, 'api', {
    image: NEW_IMAGE,
    steps: STEPS,
    ...props,
    ...(objective ? { analysis: { ...analysis, slo: objective } } : {}),
  } as unknown as ProgressiveReleaseProps);
  const objects = Testing.synth(chart);
  return {
    rollout: objects.find(o => o.kind === 'Rollout'),
    templates: objects.filter(o => o.kind === 'AnalysisTemplate'),
  };
}

/** A rollout from `stable` to `canary` (props of the release before and after the change). */
export interface Drill {
  readonly stable?: Record<string, unknown>;
  readonly canary: Record<string, unknown>;
  readonly slo?: Omit<ServiceLevelObjectiveProps, 'target'>;
  readonly stableBehaviour?: PodBehaviour;
  readonly canaryBehaviour: PodBehaviour;
  /** Requests per second reaching the canary at `t` seconds after the rollout starts. @default 20 × its weight */
  readonly canaryRps?: (sinceStart: number) => number;
}

/** Runs the drill's rollout to its outcome; times in the outcome are seconds since the rollout started. */
export function runDrill(drill: Drill): RolloutOutcome {
  const before = synthesise({ image: IMAGE, ...drill.stable });
  const after = synthesise(drill.canary, drill.slo);
  const steps: any[] = after.rollout.spec.strategy.canary.steps;
  const pauses = steps.reduce((sum, s) => sum + (s.pause ? (s.pause.duration ? durationSeconds(s.pause.duration) : Infinity) : 0), 0);
  const end = START + Math.min(pauses, 3600) + 300;
  const weights: Array<{ at: number; weight: number }> = [];
  let at = START;
  for (const step of steps) {
    if (step.setWeight !== undefined) weights.push({ at, weight: step.setWeight });
    if (step.pause) at += step.pause.duration ? durationSeconds(step.pause.duration) : Infinity;
  }
  const canaryWeight = (t: number) => [...weights].reverse().find(w => w.at <= t)?.weight ?? 0;
  const series = rolloutSeries({
    namespace: NAMESPACE,
    service: 'api',
    stable: { labels: before.rollout.spec.template.metadata.labels, behaviour: drill.stableBehaviour ?? {}, track: 'stable' },
    canary: { labels: after.rollout.spec.template.metadata.labels, behaviour: drill.canaryBehaviour, track: 'canary' },
    canaryWeight,
    canaryRps: drill.canaryRps ? (t => (t < START ? 0 : drill.canaryRps!(t - START))) : undefined,
    scrape: SCRAPE,
    end,
  });
  const outcome = runRollout({
    rollout: after.rollout,
    templates: after.templates,
    namespace: NAMESPACE,
    start: START,
    horizon: end,
    measure: queries => evaluate({ series, interval: `${SCRAPE}s` }, queries.map(q => ({ expr: q.query, at: `${q.at}s` })))
      .map(samples => samples.map(s => s.value)),
  });
  return {
    ...outcome,
    at: outcome.at - START,
    measurements: outcome.measurements.map(m => ({ ...m, at: m.at - START })),
  };
}

/** A one-line account of a run, for failure messages. */
export function account(outcome: RolloutOutcome): string {
  return `${outcome.outcome} at ${outcome.at}s, weight ${outcome.weight} (${outcome.message}); measurements: `
    + outcome.measurements.map(m => `${m.metric}@${m.at}s=${JSON.stringify(m.value)}→${m.phase}`).join(', ');
}
