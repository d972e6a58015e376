// Drill: pod metadata the platform owns cannot be set through a JSON patch either. `podLabels` and
// `podAnnotations` refuse Istio's injection and capture keys (analysis-pod-metadata.test.ts), but
// the same keys written by `ApiObject.of(...).addJsonPatch(...)` on the pod-owning object took the
// pods out of the mesh, and so out of every AuthorizationPolicy of a deny-by-default namespace, or
// left a port outside mTLS — silently.
// On main before this change (90f69ad), recorded by running this file against it: each of the
// three patches below synthesised without an error (3 of 5 failed); the healthy twins held.
import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { ProgressiveRelease, ScheduledJob, SecureNamespace, WebApp } from '../../src';

const IMAGE = 'ghcr.io/acme/app:1.0.0';

/** A deny-by-default meshed namespace `shop` with one workload, whose pod-owning object is returned. */
function build(add: (scope: Construct) => void): { chart: Chart; owner: ApiObject } {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  new SecureNamespace(chart, 'ns', { name: 'shop', istio: { denyByDefault: true } });
  add(chart);
  const owner = chart.node.findAll().find(c => ApiObject.isApiObject(c) && ['Deployment', 'Rollout', 'CronJob'].includes(c.kind)) as ApiObject;
  return { chart, owner };
}

const webApp = (scope: Construct) => new WebApp(scope, 'app', { image: IMAGE });
const release = (scope: Construct) => new ProgressiveRelease(scope, 'app', { image: IMAGE, steps: [{ weight: 10, pause: '5m' }, { weight: 100 }] });
const job = (scope: Construct) => new ScheduledJob(scope, 'app', { image: IMAGE, schedule: '@daily' });

describe('drill: owned pod metadata written by a JSON patch', () => {
  test.each([
    ['WebApp', webApp, '/spec/template/metadata/labels/sidecar.istio.io~1inject', 'false', /shop\/app: a JSON patch sets pod label sidecar\.istio\.io\/inject "false" of Deployment "app": .*owned by SecureNamespace's Istio injection/],
    ['ProgressiveRelease', release, '/spec/template/metadata/annotations', { 'traffic.sidecar.istio.io/excludeInboundPorts': '8080' },
      /shop\/app: a JSON patch sets pod annotation traffic\.sidecar\.istio\.io\/excludeInboundPorts "8080" of Rollout "app": .*bypasses mTLS/],
    ['ScheduledJob', job, '/spec/jobTemplate/spec/template/metadata/labels/istio.io~1rev', 'canary', /shop\/app: a JSON patch sets pod label istio\.io\/rev "canary" of CronJob "app"/],
  ])('%s: the patch is a synth-time error naming the key, the value and the owner', (_name, add, patchPath, value, message) => {
    const { chart, owner } = build(add as (s: Construct) => void);
    owner.addJsonPatch(JsonPatch.add(patchPath, value));
    expect(() => Testing.synth(chart)).toThrow(message);
  });

  test('healthy twin: a patch adding a team\'s own pod label and annotation is taken', () => {
    const { chart, owner } = build(webApp);
    owner.addJsonPatch(JsonPatch.add('/spec/template/metadata/labels/team', 'payments'));
    owner.addJsonPatch(JsonPatch.add('/spec/template/metadata/annotations', { 'vault.hashicorp.com/agent-inject': 'true' }));
    const pod = Testing.synth(chart).find(o => o.kind === 'Deployment').spec.template.metadata;
    expect([pod.labels.team, pod.annotations['vault.hashicorp.com/agent-inject']]).toEqual(['payments', 'true']);
  });

  test('healthy twin (held before): a patched canonical revision of a Rollout is overwritten by the revision its analysis selects', () => {
    const { chart, owner } = build(s => new ProgressiveRelease(s, 'app', {
      image: IMAGE, steps: [{ weight: 10, pause: '5m' }, { weight: 100 }], analysis: { successRate: 99 },
    }));
    owner.addJsonPatch(JsonPatch.add('/spec/template/metadata/labels/service.istio.io~1canonical-revision', 'pinned'));
    const rollout = Testing.synth(chart).find(o => o.kind === 'Rollout');
    const revision = rollout.spec.template.metadata.labels['service.istio.io/canonical-revision'];
    expect(revision).not.toEqual('pinned');
    expect(rollout.spec.strategy.canary.analysis.args.find((a: any) => a.name === 'canary-revision').value).toEqual(revision);
  });
});
