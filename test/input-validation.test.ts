import { App, Chart, Testing, Yaml } from 'cdk8s';
import {
  Autoscaled, CanaryRelease, NetworkPolicyBundle, Pipeline, reachabilityReport, ScheduledJob, SecureNamespace, StatefulApp, WebApp,
} from '../src';
import { synthValid } from './harness';
import { PropValidationError } from '../src/internal/core/errors';

// Regression tests for the inputs that crashed (a TypeError from deep inside) or were silently
// accepted or inverted (issue 17), now rejected by the props schema checked at the start of every
// constructor, or by the constructs' own checks. Each names the construct path, the prop, the
// value and what is allowed.

const IMAGE = 'ghcr.io/acme/web:1.4.2';
const chartIn = () => new Chart(Testing.app(), 'test', { namespace: 'shop' });
const web = (props: Record<string, unknown>) => () => new WebApp(chartIn(), 'web', { image: IMAGE, ...props } as never);
const release = (props: Record<string, unknown>) => () => new CanaryRelease(chartIn(), 'api', {
  stable: { image: IMAGE }, canary: { image: 'ghcr.io/acme/web:1.5.0' }, canaryWeight: 10, ...props,
} as never);
const bundle = (props: Record<string, unknown>) => () => new NetworkPolicyBundle(chartIn(), 'net', props as never);
const namespace = (props: Record<string, unknown>) => () => new SecureNamespace(chartIn(), 'ns', { name: 'shop', ...props } as never);
const scaling = (props: Record<string, unknown>) => () => {
  const chart = chartIn();
  new Autoscaled(chart, 'scaling', { target: new WebApp(chart, 'web', { image: IMAGE }), maxReplicas: 5, ...props } as never);
};
const pipeline = (props: Record<string, unknown>) => () => new Pipeline(chartIn(), 'delivery', { image: 'ghcr.io/acme/web', ...props } as never);

/** The thrown error is the library's, not a TypeError. */
function libraryError(build: () => unknown): PropValidationError {
  try {
    build();
  } catch (error) {
    if (error instanceof PropValidationError) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('inputs that crashed now fail with the library error', () => {
  test.each([
    ['secretEnv without a key', web({ secretEnv: { DB: { secret: 'db' } } }), 'test/web: invalid secretEnv.DB.key undefined: is required: a string'],
    ['partOf a number', web({ partOf: 5 }), 'test/web: invalid partOf 5: must be a string'],
    ['scaleUp null', scaling({ scaleUp: null }), 'test/scaling: invalid scaleUp null: must be an object { stabilizationSeconds?, maxPercentPerMinute?, maxPodsPerMinute? }'],
    ['scaleDown null', scaling({ scaleDown: null }), 'test/scaling: invalid scaleDown null: must be an object { stabilizationSeconds?, maxPercentPerMinute?, maxPodsPerMinute? }'],
    ['faultInjection.abort null', release({ faultInjection: { abort: null } }), 'test/api: invalid faultInjection.abort null: must be an object { percent, httpStatus }'],
    ['faultInjection.delay null', release({ faultInjection: { delay: null } }), 'test/api: invalid faultInjection.delay null: must be an object { percent, fixedDelay }'],
    ['defaultDeny a prototype key', bundle({ defaultDeny: 'constructor' }), 'test/net: invalid defaultDeny "constructor": must be one of "all", "ingress", "egress", "none"'],
  ])('%s', (_case, build, message) => {
    expect(libraryError(build).message).toBe(message);
  });

  test('reachabilityReport reports a document that is not an object, and skips empty documents', () => {
    expect(() => reachabilityReport([5 as never])).toThrow('reachabilityReport: invalid reachabilityReport.source[0] 5: must be an object');
    // GIVEN a YAML stream ending in `---` (an empty last document) and a NetworkPolicy with a null rule
    const chart = chartIn();
    new WebApp(chart, 'web', { image: IMAGE });
    new NetworkPolicyBundle(chart, 'net');
    const stream = `${Yaml.stringify(...synthValid(chart))}---\n`;
    const documents = parseStream(stream);
    expect(documents[documents.length - 1]).toBeNull();
    // WHEN reported THEN the empty document is skipped: web may only reach DNS
    const dnsOnly = ['shop/web → kube-system/{k8s-app=kube-dns}:53', 'shop/web → kube-system/{k8s-app=kube-dns}:53/UDP'];
    expect(reachabilityReport(documents as object[]).lines).toEqual(dnsOnly);
    // AND a null ingress rule reads as the API server decodes it: an empty rule, allowing every peer
    const withNullRule = documents.filter(d => d !== null).map(d => (d.kind === 'NetworkPolicy' && d.metadata.name === 'default-deny'
      ? { ...d, spec: { ...d.spec, policyTypes: ['Ingress'], ingress: [null] } } : d));
    expect(reachabilityReport([...withNullRule, null] as object[]).lines).toEqual(['(anywhere) → shop/web:*', ...dnsOnly]);
    expect(reachabilityReport([null] as never).lines).toEqual([]);
  });
});

function parseStream(text: string): any[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('yaml').parseAllDocuments(text).map((d: { toJS(): unknown }) => d.toJS());
}

describe('wrong-typed inputs that were accepted or inverted now fail with the library error', () => {
  test.each([
    ['readOnlyRootFilesystem "false"', web({ readOnlyRootFilesystem: 'false' }), 'test/web: invalid readOnlyRootFilesystem "false": must be true or false'],
    ['automountToken "yes"', web({ serviceAccount: { automountToken: 'yes' } }), 'test/web: invalid serviceAccount.automountToken "yes": must be true or false'],
    ['secretEnv key a number', web({ secretEnv: { X: { secret: 'db', key: 5 } } }), 'test/web: invalid secretEnv.X.key 5: must be a string'],
    ['partOf not a label value', web({ partOf: 'Not A Label!' }), 'test/web: invalid partOf "Not A Label!": must be a label value: at most 63 letters, digits, \'-\', \'_\' or \'.\', starting and ending with a letter or digit'],
    ['probes a string', web({ probes: '/healthz' }), 'test/web: invalid probes "/healthz": must be an object { readiness?, liveness?, startup? }'],
    ['an unknown prop', web({ replica: 3 }), /^test\/web: invalid replica 3: is not a known option \(did you mean "replicas"\?\); allowed: .*\bname, .*\bport, .*\breplicas\b/],
    // on main before this change: "invalid sidecars[0].image undefined: is required: a string", the typo unnamed
    ['a misspelt required prop', web({ sidecars: [{ name: 'proxy', imagee: 'ghcr.io/acme/proxy:1.0.0' }] }),
      'test/web: invalid sidecars[0].image undefined: is required: a string (did you mean "image" instead of "imagee"?)'],
    ['cidr ":::/64"', bundle({ egress: [{ cidr: ':::/64', ports: [443] }] }), 'test/net: invalid egress[0].cidr ":::/64": must be a CIDR block such as "10.0.0.0/8" or "2001:db8::/32"'],
    ['defaultDeny "toString"', bundle({ defaultDeny: 'toString' }), 'test/net: invalid defaultDeny "toString": must be one of "all", "ingress", "egress", "none"'],
    ['describedObject.kind empty', scaling({ metrics: [{ type: 'object', name: 'hits', value: '10', describedObject: { apiVersion: 'networking.k8s.io/v1', kind: '', name: 'web' } }] }),
      'test/scaling: invalid metrics[0].describedObject.kind "": must be a Kubernetes kind such as "Ingress" or "Service"'],
    ['metric type unknown', scaling({ metrics: [{ type: 'objects', name: 'hits' }] }), 'test/scaling: invalid metrics[0].type "objects": must be one of "pods", "object", "external"'],
    ['argocd.automated "false"', pipeline({ argocd: { repoURL: 'https://github.com/acme/shop.git', automated: 'false' } }), 'test/delivery: invalid argocd.automated "false": must be true or false'],
    ['istio.injection "false"', namespace({ istio: { injection: 'false' } }), 'test/ns: invalid istio.injection "false": must be true or false'],
    ['timeout a number', release({ timeout: 5 }), 'test/api: invalid timeout 5: must be a string or a cdk8s Duration'],
  ])('%s', (_case, build, message) => {
    expect(libraryError(build).message).toMatch(typeof message === 'string' ? new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : message);
  });

  test('IPv6 CIDRs are still accepted in their RFC 4291 forms', () => {
    for (const cidr of ['2001:db8::/32', '::/0', '::1/128', 'fe80::1:2:3:4:5/128', 'fe80:0:0:1::/64', '1:2:3:4:5:6:7:8/128']) {
      const chart = chartIn();
      new NetworkPolicyBundle(chart, 'net', { egress: [{ cidr, ports: [443] }] });
      expect(synthValid(chart).find(o => o.metadata.name === 'net-egress')!.spec.egress[0].to[0].ipBlock.cidr).toBe(cidr);
    }
    for (const cidr of [':::/64', '1::2::3/64', '1:2:3:4:5:6:7:8:9/64', '12345::/16', ':1::/64']) {
      expect(() => bundle({ egress: [{ cidr, ports: [443] }] })()).toThrow(/must be a CIDR block/);
    }
  });

  test('an env name shaped like a prototype key is not taken as set in env', () => {
    const chart = chartIn();
    new WebApp(chart, 'web', { image: IMAGE, env: { A: '1' }, secretEnv: { constructor: { secret: 'db', key: 'url' } } });
    const env = synthValid(chart).find(o => o.kind === 'Deployment')!.spec.template.spec.containers[0].env;
    expect(env.map((e: { name: string }) => e.name)).toEqual(['A', 'constructor']);
  });

  test('a new App without props still works (plain JavaScript callers omit them)', () => {
    expect(() => new NetworkPolicyBundle(new Chart(new App(), 'c', { namespace: 'shop' }), 'net')).not.toThrow();
  });
});

describe('integers above the API server\'s int32 limit fail at synth (on main before this change: written, and the apply refused)', () => {
  // Kubernetes declares these fields int32 (e.g. JobSpec.backoffLimit, DeploymentSpec.replicas,
  // HorizontalPodAutoscalerSpec.maxReplicas, Probe.periodSeconds), so the API server refuses
  // 2147483648; every integer the library writes goes through one check (checkInteger).
  const TOO_BIG = 2147483648;
  const job = (props: Record<string, unknown>) => () => new ScheduledJob(chartIn(), 'job', { image: IMAGE, schedule: '@daily', ...props } as never);
  const db = (props: Record<string, unknown>) => () => new StatefulApp(chartIn(), 'db', { image: IMAGE, storage: { size: '1Gi', mountPath: '/data' }, ...props } as never);
  test.each([
    ['ScheduledJob', 'backoffLimit', job({ backoffLimit: TOO_BIG })],
    ['ScheduledJob', 'ttlSecondsAfterFinished', job({ ttlSecondsAfterFinished: TOO_BIG })],
    ['ScheduledJob', 'successfulJobsHistoryLimit', job({ successfulJobsHistoryLimit: TOO_BIG })],
    ['ScheduledJob', 'failedJobsHistoryLimit', job({ failedJobsHistoryLimit: TOO_BIG })],
    ['ScheduledJob', 'activeDeadlineSeconds', job({ activeDeadlineSeconds: TOO_BIG })],
    ['ScheduledJob', 'startingDeadlineSeconds', job({ startingDeadlineSeconds: TOO_BIG })],
    ['WebApp', 'replicas', web({ replicas: TOO_BIG })],
    ['WebApp', 'probes.readiness.periodSeconds', web({ probes: { readiness: { path: '/ready', periodSeconds: TOO_BIG } } })],
    ['WebApp', 'probes.liveness.failureThreshold', web({ probes: { liveness: { path: '/live', failureThreshold: TOO_BIG } } })],
    ['WebApp', 'terminationGracePeriodSeconds', web({ terminationGracePeriodSeconds: TOO_BIG })],
    ['WebApp', 'tolerations[0].tolerationSeconds', web({ tolerations: [{ operator: 'Exists', effect: 'NoExecute', tolerationSeconds: TOO_BIG }] })],
    ['StatefulApp', 'replicas', db({ replicas: TOO_BIG })],
    ['StatefulApp', 'updatePartition', db({ updatePartition: TOO_BIG })],
    ['Autoscaled', 'maxReplicas', scaling({ maxReplicas: TOO_BIG })],
    ['CanaryRelease', 'stable.replicas', release({ stable: { image: IMAGE, replicas: TOO_BIG } })],
    ['SecureNamespace', 'quota.pods', namespace({ quota: { pods: TOO_BIG } })],
  ])('%s %s', (_construct, prop, build) => {
    expect(libraryError(build).message).toMatch(new RegExp(`^test/\\w+: invalid ${prop.replace(/[.[\]]/g, '\\$&')} 2147483648: must be an integer >= \\d+ and <= 2147483647 \\(the API server stores it as a 32-bit integer\\)$`));
  });

  test('a disruption budget above int32', () => {
    expect(libraryError(web({ replicas: 3, disruptionBudget: { maxUnavailable: TOO_BIG } })).message)
      .toBe('test/web: invalid disruptionBudget.maxUnavailable 2147483648: must be a non-negative integer (at most 2147483647, the API server\'s 32-bit limit) or a percentage such as "50%"');
  });

  test('the largest int32 is accepted', () => {
    const chart = chartIn();
    new ScheduledJob(chart, 'job', { image: IMAGE, schedule: '@daily', backoffLimit: 2147483647, activeDeadlineSeconds: 2147483647 });
    expect(synthValid(chart).find(o => o.kind === 'CronJob')!.spec.jobTemplate.spec.backoffLimit).toBe(2147483647);
  });
});
