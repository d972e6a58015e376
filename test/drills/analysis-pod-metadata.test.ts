// Drill: pod metadata the platform owns cannot be set through `podLabels` / `podAnnotations`, on
// any workload construct. Setting `service.istio.io/canonical-revision` on a ProgressiveRelease
// made every analysis query select nothing, so a failing canary was promoted; setting
// `sidecar.istio.io/inject: "false"` takes a pod out of the mesh and of every AuthorizationPolicy
// of a deny-by-default namespace, silently.
// On main before this change (1d1ea1e), recorded by running this file against it: every key below
// was accepted on every construct, and the ProgressiveRelease with a pinned canonical revision
// and a canary failing 10 % of its requests was Promoted (every measurement `[]`, a success).
import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { ANALYSIS, NEW_IMAGE, runDrill } from './analysis-drill';
import { CanaryRelease, ProgressiveRelease, ScheduledJob, StatefulApp, WebApp, Worker } from '../../src';

const IMAGE = 'ghcr.io/acme/app:1.0.0';
type Build = (scope: Construct, extra: Record<string, unknown>) => void;
const constructs: Array<[string, Build]> = [
  ['WebApp', (s, p) => new WebApp(s, 'app', { image: IMAGE, ...p })],
  ['Worker', (s, p) => new Worker(s, 'app', { image: IMAGE, ...p })],
  ['StatefulApp', (s, p) => new StatefulApp(s, 'app', { image: IMAGE, port: 6379, ...p })],
  ['ScheduledJob', (s, p) => new ScheduledJob(s, 'app', { image: IMAGE, schedule: '@daily', ...p })],
  ['CanaryRelease', (s, p) => new CanaryRelease(s, 'app', { stable: { image: IMAGE }, canary: { image: 'ghcr.io/acme/app:1.1.0' }, canaryWeight: 10, ...p })],
  ['ProgressiveRelease', (s, p) => new ProgressiveRelease(s, 'app', { image: IMAGE, steps: [{ weight: 10, pause: '5m' }, { weight: 100 }], ...p })],
];

const owned: Array<['podLabels' | 'podAnnotations', string, RegExp]> = [
  ['podLabels', 'sidecar.istio.io/inject', /owned by SecureNamespace's Istio injection/],
  ['podAnnotations', 'sidecar.istio.io/inject', /owned by SecureNamespace's Istio injection/],
  ['podLabels', 'istio.io/rev', /owned by SecureNamespace's Istio injection/],
  ['podAnnotations', 'traffic.sidecar.istio.io/excludeInboundPorts', /owned by SecureNamespace's Istio injection.*bypasses mTLS and every AuthorizationPolicy/],
  ['podLabels', 'service.istio.io/canonical-name', /owned by the library \(Istio's telemetry identity of the pods\)/],
  ['podLabels', 'service.istio.io/canonical-revision', /owned by the library \(Istio's telemetry identity of the pods\)/],
  ['podLabels', 'rollouts-pod-template-hash', /owned by Argo Rollouts/],
  ['podLabels', 'pod-template-hash', /owned by Kubernetes' Deployment controller/],
  ['podLabels', 'controller-revision-hash', /owned by Kubernetes' StatefulSet controller/],
  ['podLabels', 'app.kubernetes.io/name', /written by the library and selects the pods/],
  ['podLabels', 'app.kubernetes.io/instance', /written by the library and selects the pods/],
];

describe('drill: owned pod metadata is refused on every workload construct', () => {
  test.each(constructs)('%s refuses every owned key, naming the prop, the value and the owner', (_name, build) => {
    for (const [prop, key, owner] of owned) {
      const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
      const escaped = `${prop}.${key}`.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      expect(() => build(chart, { [prop]: { [key]: 'false' } })).toThrow(new RegExp(`^test/app: invalid ${escaped} "false": .*${owner.source}`));
    }
  });

  test.each(constructs)('healthy twin: %s takes a team\'s own labels and annotations', (_name, build) => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    build(chart, { podLabels: { team: 'payments' }, podAnnotations: { 'vault.hashicorp.com/agent-inject': 'true', 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'true' } });
    const pods = Testing.synth(chart).map(o => o.spec?.template ?? o.spec?.jobTemplate?.spec?.template).filter(t => t !== undefined);
    expect(pods.length).toBeGreaterThan(0);
    expect(pods.every(t => t.metadata.labels.team === 'payments' && t.metadata.annotations['vault.hashicorp.com/agent-inject'] === 'true')).toBe(true);
  });

  test('a pinned canonical revision cannot hide a failing canary from its analysis', () => {
    const drill = () => runDrill({
      canary: { image: NEW_IMAGE, analysis: ANALYSIS, podLabels: { 'service.istio.io/canonical-revision': 'pinned' } },
      canaryBehaviour: { errorRatio: 0.1 },
    });
    expect(drill).toThrow(/^drill\/api: invalid podLabels.service.istio.io\/canonical-revision "pinned": .*owned by the library/);
  });
});
