import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import {
  Autoscaled, CanaryRelease, isNetworkPeer, isScalableWorkload, NetworkPolicyBundle, Pipeline, ProgressiveRelease, ProgressiveReleaseProps,
  reachabilityReport, SecureNamespace, ServiceLevelObjective, WebApp,
} from '../src';
import { chartIn, findObject, Manifest, manifestProblems, synthValid } from './harness';
import { analysePromql } from './harness/promql';

const IMAGE = 'ghcr.io/acme/api:2.1.0';
const STEPS = [{ weight: 10, pause: '5m' }, { weight: 50, pause: '10m' }, { weight: 100 }];

function release(chart: Chart, props: Partial<ProgressiveReleaseProps> = {}, id = 'api'): ProgressiveRelease {
  return new ProgressiveRelease(chart, id, { image: IMAGE, steps: STEPS, ...props });
}

function synthRelease(props: Partial<ProgressiveReleaseProps> = {}): Manifest[] {
  const chart = chartIn();
  release(chart, props);
  return synthValid(chart);
}

const rollout = (objects: Manifest[]) => findObject(objects, 'Rollout', 'api');
const canary = (objects: Manifest[]) => rollout(objects).spec.strategy.canary;
const metricOf = (objects: Manifest[], name: string) => findObject(objects, 'AnalysisTemplate', name).spec.metrics[0];
/** A query as Argo Rollouts sends it, with the Rollout's arguments substituted. */
const substituted = (query: string) => query.replace(/\{\{args\.namespace\}\}/g, 'shop').replace(/\{\{args\.canary-revision\}\}/g, '2.1.0-0123456789');
const REVISION = /^2\.1\.0-[0-9a-f]{10}$/;

describe('ProgressiveRelease defaults', () => {
  // GIVEN a release with three steps and no analysis
  const objects = synthRelease();

  test('creates a Rollout, one Service, a DestinationRule and a VirtualService, and no AnalysisTemplate', () => {
    // THEN
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/api', 'Rollout/api', 'Service/api', 'DestinationRule/api', 'VirtualService/api', 'PodDisruptionBudget/api',
    ]);
    expect(objects.every(o => o.metadata.namespace === 'shop')).toBe(true);
    expect(rollout(objects).apiVersion).toEqual('argoproj.io/v1alpha1');
  });

  test('steps are setWeight followed by its pause', () => {
    expect(canary(objects).steps).toEqual([
      { setWeight: 10 }, { pause: { duration: '5m' } }, { setWeight: 50 }, { pause: { duration: '10m' } }, { setWeight: 100 },
    ]);
    expect(canary(objects).analysis).toBeUndefined();
  });

  test('Argo Rollouts splits by the DestinationRule subsets of one Service, on the route "primary"', () => {
    expect(canary(objects).trafficRouting).toEqual({
      istio: {
        virtualService: { name: 'api', routes: ['primary'] },
        destinationRule: { name: 'api', canarySubsetName: 'canary', stableSubsetName: 'stable' },
      },
    });
    expect(canary(objects).canaryService).toBeUndefined();
    expect(canary(objects).stableService).toBeUndefined();
  });

  test('the VirtualService starts with every request on the stable subset', () => {
    expect(findObject(objects, 'VirtualService', 'api').spec).toEqual({
      hosts: ['api'],
      http: [{
        name: 'primary',
        route: [
          { destination: { host: 'api', subset: 'stable' }, weight: 100 },
          { destination: { host: 'api', subset: 'canary' }, weight: 0 },
        ],
      }],
    });
  });

  test('both subsets select the release\'s pods (Argo Rollouts adds the ReplicaSet hash), as does the Service', () => {
    const selector = { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' };
    expect(findObject(objects, 'DestinationRule', 'api').spec).toEqual({
      host: 'api',
      subsets: [{ name: 'stable', labels: selector }, { name: 'canary', labels: selector }],
    });
    expect(findObject(objects, 'Service', 'api').spec.selector).toEqual(selector);
    expect(rollout(objects).spec.selector).toEqual({ matchLabels: selector });
  });

  test('the canary and stable pods carry their role as ephemeral metadata', () => {
    expect(canary(objects).canaryMetadata).toEqual({ labels: { 'cloudnative-constructs.io/track': 'canary' } });
    expect(canary(objects).stableMetadata).toEqual({ labels: { 'cloudnative-constructs.io/track': 'stable' } });
  });

  test('the pod template is the hardened workload template, versioned by the image tag', () => {
    const template = rollout(objects).spec.template;
    expect(template.metadata.labels['app.kubernetes.io/version']).toEqual('2.1.0');
    expect(template.spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(template.spec.automountServiceAccountToken).toBe(false);
    expect(template.spec.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] },
    });
    expect(template.spec.containers[0].ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(rollout(objects).spec.replicas).toEqual(2);
  });

  test('the pods carry the revision of their template as Istio\'s canonical revision: the tag and a hash of the template', () => {
    const revision = (props: Partial<ProgressiveReleaseProps>) => rollout(synthRelease(props)).spec.template.metadata.labels['service.istio.io/canonical-revision'];
    expect(revision({})).toMatch(REVISION);
    expect(revision({})).toEqual(revision({ steps: [{ weight: 20, pause: '1h' }, { weight: 100 }] }));
    expect(revision({ env: { A: '1' } })).not.toEqual(revision({}));
    expect(revision({ image: 'ghcr.io/acme/api@sha256:' + 'a'.repeat(64) })).toMatch(/^aaaaaaaaaaaa-[0-9a-f]{10}$/);
  });

  test('is a scalable workload and a network peer', () => {
    const r = release(chartIn());
    expect(isScalableWorkload(r)).toBe(true);
    expect(isNetworkPeer(r)).toBe(true);
    expect(r.scaleTargetRef).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'api' });
    expect(ProgressiveRelease.isProgressiveRelease(r)).toBe(true);
    expect(ProgressiveRelease.isProgressiveRelease(new WebApp(chartIn(), 'web', { image: IMAGE }))).toBe(false);
  });

  test('snapshot', () => {
    expect(synthRelease({ analysis: { successRate: 99.5, maxLatency: '300ms' } })).toMatchSnapshot();
  });
});

describe('ProgressiveRelease shares the workload options', () => {
  test('sidecars, files, probes and ports reach the Rollout\'s pod template, hardened', () => {
    // GIVEN
    const objects = synthRelease({
      port: 9000,
      ports: [{ name: 'admin', port: 9001, expose: false }],
      probes: { readiness: { path: '/ready', port: 'admin' } },
      files: { '/etc/api/app.yaml': 'a: 1\n' },
      sidecars: [{ name: 'proxy', image: 'ghcr.io/acme/proxy:1.0.0' }],
    });
    // THEN
    const spec = rollout(objects).spec.template.spec;
    expect(spec.containers.map((c: any) => c.name)).toEqual(['api', 'proxy']);
    expect(spec.containers[1].securityContext.allowPrivilegeEscalation).toBe(false);
    expect(spec.containers[0].readinessProbe.httpGet).toEqual({ path: '/ready', port: 9001 });
    expect(spec.volumes.map((v: any) => v.name)).toContain('files');
    expect(Object.values(findObject(objects, 'ConfigMap', 'api-files').data)).toEqual(['a: 1\n']);
    expect(spec.containers[0].volumeMounts.map((m: any) => m.mountPath)).toContain('/etc/api/app.yaml');
  });

  test('the harness checks the Rollout\'s pods: a patched root container is reported', () => {
    // GIVEN
    const chart = chartIn();
    const r = release(chart);
    ApiObject.of(r.rollout).addJsonPatch(JsonPatch.replace('/spec/template/spec/securityContext/runAsNonRoot', false));
    // THEN
    const problems = manifestProblems(Testing.synth(chart)).map(p => `${p.object} ${p.path}: ${p.message}`);
    expect(problems.some(p => p.startsWith('Rollout') && p.includes('runAsNonRoot'))).toBe(true);
  });

  test('the harness finds a Service that selects none of the Rollout\'s pods', () => {
    const chart = chartIn();
    const r = release(chart);
    ApiObject.of(r.rollout).addJsonPatch(JsonPatch.replace('/spec/template/metadata/labels/app.kubernetes.io~1instance', 'other'));
    expect(() => chart.toJson()).toThrow(/Service api selects no pods/);
  });

  test('fails when appProtocol is tcp', () => {
    expect(() => release(chartIn(), { appProtocol: 'tcp' })).toThrow(/test\/api: invalid appProtocol "tcp": must be "http", "http2" or "grpc"/);
  });

  test('fails when the image is not pinned', () => {
    expect(() => release(chartIn(), { image: 'ghcr.io/acme/api:latest' })).toThrow(/invalid image "ghcr.io\/acme\/api:latest"/);
  });

  test('fails when replicas is 0', () => {
    expect(() => release(chartIn(), { replicas: 0 })).toThrow(/invalid replicas 0: must be an integer >= 1/);
  });

  test('fails when a name is taken by a CanaryRelease of the namespace', () => {
    const chart = chartIn();
    new CanaryRelease(chart, 'other', { name: 'api', stable: { image: IMAGE }, canary: { image: IMAGE }, canaryWeight: 0 });
    expect(() => release(chart)).toThrow(/api/);
  });
});

describe('ProgressiveRelease steps', () => {
  test('a final indefinite pause waits for a manual promotion', () => {
    const objects = synthRelease({ steps: [{ weight: 5, pause: '30s' }, { weight: 25, pause: 'indefinite' }] });
    expect(canary(objects).steps).toEqual([{ setWeight: 5 }, { pause: { duration: '30s' } }, { setWeight: 25 }, { pause: {} }]);
  });

  test('pauses combine hours, minutes and seconds; a step without pause has none', () => {
    const objects = synthRelease({ steps: [{ weight: 1, pause: '1h30m' }, { weight: 2 }, { weight: 100, pause: '45s' }] });
    expect(canary(objects).steps).toEqual([{ setWeight: 1 }, { pause: { duration: '1h30m' } }, { setWeight: 2 }, { setWeight: 100 }, { pause: { duration: '45s' } }]);
  });

  test('fails when there is no step', () => {
    expect(() => release(chartIn(), { steps: [] })).toThrow(/test\/api: invalid steps \[\]: must list at least one step/);
  });

  test.each([0, 101, 12.5, -5])('fails when a weight is %p', (weight) => {
    expect(() => release(chartIn(), { steps: [{ weight }, { weight: 100 }] }))
      .toThrow(new RegExp(`invalid steps\\[0\\]\\.weight ${weight}: must be an integer percentage between 1 and 100`));
  });

  test('fails when weights do not rise', () => {
    expect(() => release(chartIn(), { steps: [{ weight: 50 }, { weight: 50 }, { weight: 100 }] }))
      .toThrow(/invalid steps\[1\]\.weight 50: must be greater than the previous step's weight 50/);
    expect(() => release(chartIn(), { steps: [{ weight: 50 }, { weight: 20 }, { weight: 100 }] }))
      .toThrow(/invalid steps\[1\]\.weight 20: must be greater than the previous step's weight 50/);
  });

  test('fails when the last step neither reaches 100 nor waits for a promotion', () => {
    expect(() => release(chartIn(), { steps: [{ weight: 10, pause: '5m' }, { weight: 50, pause: '1h' }] }))
      .toThrow(/invalid steps\[1\] \{"weight":50,"pause":"1h"\}: must end the rollout: give the last step weight 100, or pause "indefinite"/);
  });

  test.each(['5', '10ms', '1d', '', '1m30', '0s', 'forever', '30m1h'])('fails when a pause is %p', (pause) => {
    expect(() => release(chartIn(), { steps: [{ weight: 10, pause }, { weight: 100 }] }))
      .toThrow(/invalid steps\[0\]\.pause .*: must be a duration of whole hours, minutes and seconds greater than 0/);
  });

  test('suggests seconds for a bare number', () => {
    expect(() => release(chartIn(), { steps: [{ weight: 10, pause: '30' }, { weight: 100 }] })).toThrow(/did you mean "30s"\?/);
  });

  test('fails on an unknown step option', () => {
    const steps = [{ weight: 10, duration: '5m' } as unknown as { weight: number }, { weight: 100 }];
    expect(() => release(chartIn(), { steps })).toThrow(/invalid steps\[0\]\.duration "5m": is not a known option; allowed: weight, pause/);
  });
});

describe('ProgressiveRelease analysis', () => {
  // GIVEN a release analysed on success rate and latency
  const objects = synthRelease({ analysis: { successRate: 99, maxLatency: '500ms' } });

  test('one AnalysisTemplate per objective, run in the background once the first weight is set', () => {
    expect(canary(objects).analysis).toEqual({
      templates: [{ templateName: 'api-success-rate' }, { templateName: 'api-latency' }],
      startingStep: 1,
      args: [
        { name: 'namespace', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'canary-revision', value: expect.stringMatching(REVISION) },
      ],
    });
    // the revision the analysis selects is the one Istio reports for the template's pods
    expect(canary(objects).analysis.args[1].value).toEqual(rollout(objects).spec.template.metadata.labels['service.istio.io/canonical-revision']);
    for (const name of ['api-success-rate', 'api-latency']) {
      expect(findObject(objects, 'AnalysisTemplate', name).spec.args).toEqual([{ name: 'namespace' }, { name: 'canary-revision' }]);
    }
  });

  test('the success rate is one minus the new pods\' share of 5xx; no data is inconclusive, never a success', () => {
    const metric = metricOf(objects, 'api-success-rate');
    expect(metric).toMatchObject({ name: 'success-rate', interval: '1m', initialDelay: '2m', failureLimit: 2 });
    expect(metric.successCondition).toEqual('len(result) > 0 && !isNaN(result[0]) && result[0] >= 0.99');
    expect(metric.failureCondition).toEqual('len(result) > 0 && !isNaN(result[0]) && result[0] < 0.99');
    expect(metric.provider.prometheus.query).toMatch(/^1 - \(\(sum\(rate\(istio_requests_total\{.*response_code=~"5\.\."\}\[2m\]\)\) or sum\(rate\(.*\)\) \* 0\) \/ sum\(/);
    expect(metric.provider.prometheus.address).toEqual('http://prometheus-operated.monitoring.svc:9090');
    const query = analysePromql(substituted(metric.provider.prometheus.query));
    expect(query.errors).toEqual([]);
    expect(query.metrics).toEqual(['istio_requests_total']);
  });

  test('every query selects the new pods only: the destination reporter, the Service and the canary revision', () => {
    for (const name of ['api-success-rate', 'api-latency']) {
      const query: string = metricOf(objects, name).provider.prometheus.query;
      const selectors = query.split(/istio_[a-z_]+/).slice(1).map(rest => rest.slice(0, rest.indexOf('[')));
      expect(selectors.length).toBeGreaterThan(0);
      for (const selector of selectors) {
        expect(selector).toContain('reporter="destination"');
        expect(selector).toContain('destination_service_namespace="{{args.namespace}}"');
        expect(selector).toContain('destination_service_name="api"');
        expect(selector).toContain('destination_canonical_revision="{{args.canary-revision}}"');
      }
    }
  });

  test('noData: "fail" counts a measurement without data as a failure', () => {
    const metric = metricOf(synthRelease({ analysis: { successRate: 99.5, noData: 'fail' } }), 'api-success-rate');
    expect(metric.successCondition).toEqual('len(result) > 0 && !isNaN(result[0]) && result[0] >= 0.995');
    expect(metric.failureCondition).toEqual('len(result) == 0 || isNaN(result[0]) || result[0] < 0.995');
  });

  test('the latency is the p99 of the new pods in seconds', () => {
    const metric = metricOf(objects, 'api-latency');
    expect(metric.successCondition).toEqual('len(result) > 0 && !isNaN(result[0]) && result[0] <= 0.5');
    expect(metric.failureCondition).toEqual('len(result) > 0 && !isNaN(result[0]) && result[0] > 0.5');
    const query = analysePromql(substituted(metric.provider.prometheus.query));
    expect(query.errors).toEqual([]);
    expect(query.metrics).toEqual(['istio_request_duration_milliseconds_bucket']);
    expect(metric.provider.prometheus.query).toMatch(/^histogram_quantile\(0\.99, sum by \(le\) \(rate\(/);
  });

  test('interval, failure limit, percentile and Prometheus address are written as given; the window covers two intervals', () => {
    const given = synthRelease({ analysis: { maxLatency: '1.5s', latencyPercentile: 95, interval: '5m', failureLimit: 0, prometheusAddress: 'https://prom.example.com/api' } });
    const metric = metricOf(given, 'api-latency');
    expect(metric).toMatchObject({ interval: '5m', initialDelay: '10m', failureLimit: 0, successCondition: 'len(result) > 0 && !isNaN(result[0]) && result[0] <= 1.5' });
    expect(metric.provider.prometheus.address).toEqual('https://prom.example.com/api');
    expect(metric.provider.prometheus.query).toMatch(/^histogram_quantile\(0\.95, .*\[10m\]\)\)\) \* 0\.001$/);
    expect(canary(given).analysis.templates).toEqual([{ templateName: 'api-latency' }]);
    expect(given.some(o => o.kind === 'AnalysisTemplate' && o.metadata.name === 'api-success-rate')).toBe(false);
  });

  test('fails when analysis measures nothing', () => {
    expect(() => release(chartIn(), { analysis: {} })).toThrow(/invalid analysis \{\}: must measure something/);
  });

  test.each([0, 101, -1])('fails when successRate is %p', (successRate) => {
    expect(() => release(chartIn(), { analysis: { successRate } })).toThrow(/invalid analysis\.successRate .*: must be a percentage greater than 0 and at most 100/);
  });

  test('fails when successRate is not a number', () => {
    expect(() => release(chartIn(), { analysis: { successRate: Number.NaN } })).toThrow(/invalid analysis\.successRate NaN: must be a number/);
  });

  test.each(['prometheus:9090', 'ftp://prom:21', 'http://', 'http://prom .example'])('fails when prometheusAddress is %p', (prometheusAddress) => {
    expect(() => release(chartIn(), { analysis: { successRate: 99, prometheusAddress } }))
      .toThrow(/invalid analysis\.prometheusAddress .*: must be an http:\/\/ or https:\/\/ URL/);
  });

  test.each(['1', '500us', 'fast', '-1s'])('fails when maxLatency is %p', (maxLatency) => {
    expect(() => release(chartIn(), { analysis: { maxLatency } })).toThrow(/invalid analysis\.maxLatency .*: must be a positive duration in milliseconds or seconds/);
  });

  test('fails when noData is neither "inconclusive" nor "fail"', () => {
    expect(() => release(chartIn(), { analysis: { successRate: 99, noData: 'success' as any } }))
      .toThrow(/^test\/api: invalid analysis\.noData "success": must be "fail" or "inconclusive"$/);
  });

  test('fails when the steps pause too little below weight 100 for the analysis to abort, naming the minimum', () => {
    expect(() => release(chartIn(), { steps: [{ weight: 25, pause: '4m' }, { weight: 100 }], analysis: { successRate: 99 } })).toThrow(new RegExp(
      '^test/api: invalid steps \\[.*\\]: pause 4m in all before weight 100, but the analysis needs at least 5m there to abort a failing release: '
      + 'it first measures 2m after the first weight .*then every 1m, and aborts at failed measurement 3.*pause at least 5m in all below weight 100 '
      + '\\(e\\.g\\. \\{ weight: 25, pause: "5m" \\} first\\), pause "indefinite", or lower analysis\\.interval or analysis\\.failureLimit$'));
    expect(() => release(chartIn(), { steps: [{ weight: 100 }], analysis: { successRate: 99, interval: '30s', failureLimit: 1 } }))
      .toThrow(/pause nowhere before weight 100, but the analysis needs at least 2m there .*\(e\.g\. \[\{ weight: 10, pause: "2m" \}, \{ weight: 100 \}\]\)/);
    expect(() => release(chartIn(), { steps: [{ weight: 25, pause: '5m' }, { weight: 100 }], analysis: { successRate: 99 } })).not.toThrow();
    expect(() => release(chartIn(), { steps: [{ weight: 25, pause: '1m' }, { weight: 100 }] })).not.toThrow();
  });

  test('fails on a bad interval, failure limit or percentile', () => {
    expect(() => release(chartIn(), { analysis: { successRate: 99, interval: '90' } })).toThrow(/invalid analysis\.interval "90": .*did you mean "90s"/);
    expect(() => release(chartIn(), { analysis: { successRate: 99, failureLimit: -1 } })).toThrow(/invalid analysis\.failureLimit -1: must be an integer >= 0/);
    expect(() => release(chartIn(), { analysis: { maxLatency: '1s', latencyPercentile: 100 } })).toThrow(/invalid analysis\.latencyPercentile 100/);
    expect(() => release(chartIn(), { analysis: { successRate: 99, latencyPercentile: 90 } })).toThrow(/invalid analysis\.latencyPercentile 90: applies to maxLatency/);
  });

  test('a Rollout patched to analyse with a template that does not exist fails at synthesis', () => {
    const chart = chartIn();
    const r = release(chart, { analysis: { successRate: 99 } });
    ApiObject.of(r.rollout).addJsonPatch(JsonPatch.replace('/spec/strategy/canary/analysis/templates/0/templateName', 'api-typo'));
    expect(r.node.validate()).toEqual([
      'test/api: Rollout api analyses with AnalysisTemplate "api-typo", which does not exist (templates: api-success-rate)',
    ]);
  });
});

describe('ProgressiveRelease analysis from a ServiceLevelObjective', () => {
  const objective = (chart: Chart, props: Partial<ConstructorParameters<typeof ServiceLevelObjective>[2]> = {}) =>
    new ServiceLevelObjective(chart, 'api-slo', { target: { name: 'api', namespace: 'shop' }, availability: 99.9, latency: { threshold: '250ms', percent: 99 }, ...props });

  test('each objective becomes a template comparing the new pods\' bad-request ratio with its budget', () => {
    // GIVEN an objective created before the release it measures
    const chart = chartIn();
    const slo = objective(chart);
    release(chart, { analysis: { slo } });
    // WHEN
    const objects = synthValid(chart);
    // THEN
    expect(canary(objects).analysis.templates).toEqual([{ templateName: 'api-slo-availability' }, { templateName: 'api-slo-latency' }]);
    const availability = metricOf(objects, 'api-slo-availability');
    expect(availability.successCondition).toEqual('len(result) > 0 && !isNaN(result[0]) && result[0] <= 0.001');
    expect(availability.failureCondition).toEqual('len(result) > 0 && !isNaN(result[0]) && result[0] > 0.001');
    const latency = metricOf(objects, 'api-slo-latency');
    expect(latency.successCondition).toEqual('len(result) > 0 && !isNaN(result[0]) && result[0] <= 0.01');
    expect(latency).toMatchObject({ interval: '1m', initialDelay: '2m', failureLimit: 2 });
    for (const metric of [availability, latency]) {
      const query: string = metric.provider.prometheus.query;
      expect(analysePromql(substituted(query)).errors).toEqual([]);
      expect(query).toContain('destination_canonical_revision="{{args.canary-revision}}"');
      expect(query).toContain('destination_service_namespace="{{args.namespace}}"');
      expect(query).not.toContain('destination_workload=');
    }
    expect(analysePromql(substituted(availability.provider.prometheus.query)).metrics).toEqual(['istio_requests_total']);
    expect(analysePromql(substituted(latency.provider.prometheus.query)).metrics)
      .toEqual(['istio_request_duration_milliseconds_bucket', 'istio_request_duration_milliseconds_count']);
    expect(latency.provider.prometheus.query).toContain('le=~"250(\\\\.0+)?"');
  });

  test('with the app\'s own metrics, the new pods are the series labelled track="canary" by their ephemeral label', () => {
    const chart = chartIn();
    const slo = objective(chart, { source: 'app', latency: undefined, availability: 99.5 });
    release(chart, { metrics: { port: 9090 }, analysis: { slo, maxLatency: '1s' } });
    const objects = synthValid(chart);
    const query: string = metricOf(objects, 'api-slo-availability').provider.prometheus.query;
    expect(query).toContain('http_requests_total{namespace="{{args.namespace}}",job="api",track="canary"');
    expect(analysePromql(substituted(query)).errors).toEqual([]);
    expect(canary(objects).analysis.templates).toEqual([{ templateName: 'api-slo-availability' }, { templateName: 'api-latency' }]);
    expect(findObject(objects, 'ServiceMonitor', 'api').spec.endpoints[0].relabelings).toEqual(expect.arrayContaining([
      { action: 'replace', sourceLabels: ['__meta_kubernetes_pod_label_cloudnative_constructs_io_track'], targetLabel: 'track' },
    ]));
  });

  test('fails when the objective measures another workload', () => {
    const chart = chartIn();
    const slo = objective(chart, { target: { name: 'web', namespace: 'shop' } });
    expect(() => release(chart, { analysis: { slo } }))
      .toThrow(/test\/api: invalid analysis\.slo "test\/api-slo": measures shop\/web, not this release \(shop\/api\)/);
  });

  test('a gRPC release\'s queries count its gRPC server errors, and an objective measuring it as HTTP is refused', () => {
    const chart = chartIn();
    const slo = objective(chart, { target: { name: 'api', namespace: 'shop', appProtocol: 'grpc' } });
    release(chart, { appProtocol: 'grpc', analysis: { slo, successRate: 99 } });
    const objects = synthValid(chart);
    for (const template of ['api-slo-availability', 'api-success-rate']) {
      const query: string = metricOf(objects, template).provider.prometheus.query;
      expect(query).toContain('grpc_response_status=~"2|4|12|13|14|15"');
      expect(analysePromql(substituted(query)).errors).toEqual([]);
    }
    const other = chartIn();
    const http = objective(other, { target: { name: 'api', namespace: 'shop' } });
    expect(() => release(other, { appProtocol: 'grpc', analysis: { slo: http } }))
      .toThrow(/invalid analysis\.slo "test\/api-slo": measures http requests, but the release speaks grpc, whose failures are counted otherwise; give the objective target: the release \(or appProtocol: "grpc"\)/);
  });

  test('fails when the objective reads the app\'s metrics and the release declares none', () => {
    const chart = chartIn();
    const slo = objective(chart, { source: 'app', latency: undefined });
    expect(() => release(chart, { analysis: { slo } })).toThrow(/invalid analysis\.slo "test\/api-slo": reads the app's own metrics \(source "app"\), but the release declares no metrics/);
  });

  test('fails when slo is not an objective', () => {
    const slo = { availability: 99 } as unknown as ServiceLevelObjective;
    expect(() => release(chartIn(), { analysis: { slo } })).toThrow(/invalid analysis\.slo \{"availability":99\}: must be a ServiceLevelObjective/);
  });
});

describe('ProgressiveRelease with other constructs', () => {
  test('Autoscaled targets the Rollout, which then omits replicas', () => {
    // GIVEN
    const chart = chartIn();
    const r = release(chart);
    new Autoscaled(chart, 'scaling', { target: r, maxReplicas: 8 });
    // WHEN
    const objects = synthValid(chart);
    // THEN
    expect(findObject(objects, 'HorizontalPodAutoscaler', 'api').spec.scaleTargetRef).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'api' });
    expect(rollout(objects).spec.replicas).toBeUndefined();
    expect(findObject(objects, 'PodDisruptionBudget', 'api').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: r.selector } });
  });

  test('NetworkPolicyBundle.allow and a deny-by-default mesh treat it like any workload; the reachability report sees it', () => {
    // GIVEN
    const chart = chartIn();
    new SecureNamespace(chart, 'ns', { name: 'shop', istio: { denyByDefault: true } });
    const web = new WebApp(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2' });
    const api = release(chart);
    new NetworkPolicyBundle(chart, 'net').allow(web, api, 8080);
    // WHEN
    const objects = synthValid(chart);
    // THEN
    expect(findObject(objects, 'NetworkPolicy', 'api-from-web').spec.podSelector).toEqual({ matchLabels: api.selector });
    const policy = findObject(objects, 'AuthorizationPolicy', 'api-from-web').spec;
    expect(policy.selector).toEqual({ matchLabels: api.selector });
    expect(policy.rules[0].from[0].source.principals).toEqual(['cluster.local/ns/shop/sa/web']);
    expect(reachabilityReport(chart).lines).toContain('shop/web → shop/api:8080');
  });

  const REPO = 'https://github.com/acme/shop.git';
  const WEIGHTS = { group: 'networking.istio.io', kind: 'VirtualService', name: 'api', namespace: 'shop', jqPathExpressions: ['.spec.http[].route[].weight'] };
  const HASHES = { group: 'networking.istio.io', kind: 'DestinationRule', name: 'api', namespace: 'shop', jqPathExpressions: ['.spec.subsets[].labels."rollouts-pod-template-hash"'] };

  test('a Pipeline Application that syncs it ignores the route weights and respects that in syncs', () => {
    // GIVEN a pipeline created before the release
    const app = Testing.app();
    const chart = new Chart(app, 'test', { namespace: 'shop' });
    new Pipeline(chart, 'delivery', { image: 'ghcr.io/acme/api', argocd: { repoURL: REPO, automated: true } });
    release(chart);
    // WHEN
    const objects = synthValid(app);
    // THEN
    const application = findObject(objects, 'Application', 'delivery').spec;
    expect(application.ignoreDifferences).toEqual([WEIGHTS, HASHES]);
    expect(application.syncPolicy.syncOptions).toEqual(['PruneLast=true', 'PrunePropagationPolicy=foreground', 'ApplyOutOfSyncOnly=true', 'RespectIgnoreDifferences=true']);
  });

  test('with one Application per chart, only the Application of the release\'s chart ignores its weights', () => {
    // GIVEN two namespace charts, the release in the second
    const app = Testing.app();
    const web = new Chart(app, 'web', { namespace: 'web' });
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    new Pipeline(web, 'delivery', { image: 'ghcr.io/acme/api', argocd: { repoURL: REPO, charts: 'all' } });
    new WebApp(web, 'site', { image: 'ghcr.io/acme/web:1.4.2' });
    release(shop);
    // WHEN
    const applications = synthValid(app).filter(o => o.kind === 'Application');
    // THEN
    const byChart = Object.fromEntries(applications.map(a => [a.spec.source.directory?.include ?? a.metadata.name, a.spec]));
    expect(Object.keys(byChart).sort()).toEqual(['shop.k8s.yaml', 'web.k8s.yaml']);
    expect(byChart['shop.k8s.yaml'].ignoreDifferences).toEqual([WEIGHTS, HASHES]);
    expect(byChart['shop.k8s.yaml'].syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
    expect(byChart['web.k8s.yaml'].ignoreDifferences).toBeUndefined();
    expect(byChart['web.k8s.yaml'].syncPolicy.syncOptions).not.toContain('RespectIgnoreDifferences=true');
  });

  test('in a chart without a namespace no object names one, and the analysis reads the Rollout\'s namespace at run time', () => {
    // GIVEN
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    new Pipeline(chart, 'delivery', { image: 'ghcr.io/acme/api', argocd: { repoURL: REPO, namespace: 'shop' } });
    release(chart, { analysis: { successRate: 99 } });
    // WHEN
    const objects = synthValid(app);
    // THEN
    expect(objects.filter(o => o.kind !== 'Application').every(o => o.metadata.namespace === undefined)).toBe(true);
    expect(canary(objects).analysis.args[0]).toEqual({ name: 'namespace', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } });
    expect(findObject(objects, 'Application', 'delivery').spec.ignoreDifferences.map((d: any) => d.namespace)).toEqual([undefined, undefined]);
  });

  test('an Application without a ProgressiveRelease to sync ignores nothing', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test', { namespace: 'shop' });
    new Pipeline(chart, 'delivery', { image: 'ghcr.io/acme/api', argocd: { repoURL: REPO } });
    new WebApp(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2' });
    const application = findObject(synthValid(app), 'Application', 'delivery').spec;
    expect(application.ignoreDifferences).toBeUndefined();
    expect(application.syncPolicy.syncOptions).not.toContain('RespectIgnoreDifferences=true');
  });
});
