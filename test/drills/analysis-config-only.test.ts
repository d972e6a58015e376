// Drill: a config-only change (same image tag) is measured on the new pods only. The stable pods
// run 2.1.0; the change adds an environment variable, and the new pods fail 1.6 % of their
// requests (above the 1 % a 99 % success rate allows), while the stable pods answer everything.
// Istio labels each pod's requests with its `service.istio.io/canonical-revision` (else its
// `app.kubernetes.io/version`): the new pods must carry a revision of their own.
// On main before this change (1d1ea1e), recorded by running this file against it: Promoted — both
// pod sets reported `destination_canonical_revision="2.1.0"` and the analysis selected that, so
// the new pods' 1.6 % was diluted by the stable pods' traffic (0.16 % at 10 %, 0.8 % at 50 %).
import { Chart, JsonPatch, Testing, ApiObject } from 'cdk8s';
import { ANALYSIS, NEW_IMAGE, runDrill, synthesise } from './analysis-drill';
import { istioRevision } from './analysis-traffic';
import { ProgressiveRelease } from '../../src';

const stable = { image: NEW_IMAGE, analysis: ANALYSIS, env: { LOG_LEVEL: 'info' } };
const changed = { ...stable, env: { LOG_LEVEL: 'info', FEATURE_X: 'on' } };

describe('drill: a config-only change is measured on the new pods only', () => {
  test('new pods failing 1.6 % beside healthy stable pods of the same image are aborted at 10 %', () => {
    const outcome = runDrill({ stable, canary: changed, canaryBehaviour: { errorRatio: 0.016 } });
    expect([outcome.outcome, outcome.weight, outcome.message]).toEqual(['Aborted', 10, 'metric success-rate Failed']);
    expect(outcome.measurements.find(m => m.metric === 'success-rate')?.value[0]).toBeCloseTo(0.984, 6);
  });

  test('healthy twin: the same change on healthy pods is promoted', () => {
    expect(runDrill({ stable, canary: changed, canaryBehaviour: { errorRatio: 0.001 } }).outcome).toEqual('Promoted');
  });

  test('every change of the pod template gives a new revision; the same template the same one', () => {
    const revision = (props: Record<string, unknown>) => istioRevision(synthesise(props).rollout.spec.template.metadata.labels);
    const base = revision(stable);
    expect(revision(stable)).toEqual(base);
    expect(revision(changed)).not.toEqual(base);
    expect(revision({ ...stable, config: { A: '1' } })).not.toEqual(revision({ ...stable, config: { A: '2' } }));
    expect(revision({ ...stable, image: 'ghcr.io/acme/api:2.1.1' })).not.toEqual(base);
    // the analysis only changes the Rollout's strategy, not its pods
    expect(revision({ ...stable, analysis: { ...ANALYSIS, failureLimit: 3, interval: '1m' }, steps: [{ weight: 10, pause: '10m' }, { weight: 100 }] })).toEqual(base);
  });

  test('a JSON patch of the pod template changes the revision the analysis selects', () => {
    const revisions = [false, true].map(patched => {
      const chart = new Chart(Testing.app(), 'drill', { namespace: 'shop' });
      const release = new ProgressiveRelease(chart, 'api', { image: NEW_IMAGE, steps: [{ weight: 10, pause: '5m' }, { weight: 100 }], analysis: ANALYSIS });
      if (patched) ApiObject.of(release.rollout).addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/env', [{ name: 'X', value: '1' }]));
      const rollout = Testing.synth(chart).find(o => o.kind === 'Rollout');
      const arg = rollout.spec.strategy.canary.analysis.args.find((a: any) => a.name === 'canary-revision');
      expect(arg.value).toEqual(istioRevision(rollout.spec.template.metadata.labels));
      return arg.value;
    });
    expect(revisions[0]).not.toEqual(revisions[1]);
  });
});
