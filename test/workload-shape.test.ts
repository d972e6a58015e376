import { Chart } from 'cdk8s';
import {
  CanaryRelease, CanaryReleaseTrack, HardenedWorkload, ProgressiveRelease, ReplicatedWorkload, ScheduledJob, SecureNamespace, ServedWorkload,
  ServiceAccountOptions, ServiceLevelObjective, StatefulApp, WebApp, Worker, WorkloadOptions,
} from '../src';
import { chartIn, findObject, synthValid } from './harness';

/*
 * The six workload constructs share one shape (HardenedWorkload → ReplicatedWorkload →
 * ServedWorkload): what the shared options say reaches every one of them, and each keeps its
 * own `is<Construct>()` check.
 */

const IMAGE = 'ghcr.io/acme/web:1.4.2';
const STEPS = [{ weight: 10, pause: '5m' }, { weight: 100 }];

type Options = Partial<WorkloadOptions>;

/** How to build one of each workload construct (id = the key), given the same shared options. */
const BUILDERS = {
  web: (chart: Chart, options: Options) => new WebApp(chart, 'web', { image: IMAGE, ...options }),
  worker: (chart: Chart, options: Options) => new Worker(chart, 'worker', { image: IMAGE, ...options }),
  db: (chart: Chart, options: Options) => new StatefulApp(chart, 'db', { image: IMAGE, ...options }),
  job: (chart: Chart, options: Options) => new ScheduledJob(chart, 'job', { image: IMAGE, schedule: '@daily', ...options }),
  release: (chart: Chart, options: Options) => new CanaryRelease(chart, 'release', {
    stable: { image: IMAGE }, canary: { image: 'ghcr.io/acme/web:1.5.0' }, canaryWeight: 10, ...options,
  }),
  rollout: (chart: Chart, options: Options) => new ProgressiveRelease(chart, 'rollout', { image: IMAGE, steps: STEPS, ...options }),
};

/** One of each workload construct in `chart`, every one given the same shared `options`. */
function everyWorkload(chart: Chart, options: Options = {}) {
  return {
    web: BUILDERS.web(chart, options),
    worker: BUILDERS.worker(chart, options),
    db: BUILDERS.db(chart, options),
    job: BUILDERS.job(chart, options),
    release: BUILDERS.release(chart, options),
    rollout: BUILDERS.rollout(chart, options),
  };
}

describe('one workload shape', () => {
  test('every workload construct is a HardenedWorkload; those with a replica count are ReplicatedWorkloads, those behind a Service ServedWorkloads', () => {
    const { web, worker, db, job, release, rollout } = everyWorkload(chartIn());
    const kinds = (w: HardenedWorkload) => [w instanceof HardenedWorkload, w instanceof ReplicatedWorkload, w instanceof ServedWorkload];
    expect(kinds(web)).toEqual([true, true, true]);
    expect(kinds(db)).toEqual([true, true, true]);
    expect(kinds(rollout)).toEqual([true, true, true]);
    expect(kinds(worker)).toEqual([true, true, false]);
    expect(kinds(release.stable)).toEqual([true, true, false]);
    expect(kinds(job)).toEqual([true, false, false]);
    expect(kinds(release)).toEqual([true, false, false]);
  });

  test('each is<Construct>() check knows its own construct only, also from another copy of the package', () => {
    const workloads = everyWorkload(chartIn());
    const checks = [
      [WebApp.isWebApp, workloads.web, 'WebApp'],
      [Worker.isWorker, workloads.worker, 'Worker'],
      [StatefulApp.isStatefulApp, workloads.db, 'StatefulApp'],
      [ScheduledJob.isScheduledJob, workloads.job, 'ScheduledJob'],
      [CanaryRelease.isCanaryRelease, workloads.release, 'CanaryRelease'],
      [CanaryReleaseTrack.isCanaryReleaseTrack, workloads.release.canary, 'CanaryReleaseTrack'],
      [ProgressiveRelease.isProgressiveRelease, workloads.rollout, 'ProgressiveRelease'],
    ] as const;
    for (const [check, own, name] of checks) {
      const others = checks.map(([, other]) => other).filter(other => other !== own);
      expect([check(own), ...others.map(other => check(other))]).toEqual([true, ...others.map(() => false)]);
      // another copy of the package brands its instances with the same global symbol
      expect(check({ [Symbol.for(`cloudnative-constructs.${name}`)]: true })).toBe(true);
      expect(check(undefined)).toBe(false);
    }
  });

  test('serviceAccount.apiServer lets every workload construct reach the API server (it was ignored by four of them)', () => {
    const chart = chartIn();
    new SecureNamespace(chart, 'ns', { name: 'shop' });
    const serviceAccount: ServiceAccountOptions = { automountToken: true, apiServer: { cidr: '10.0.0.10/32', port: 6443 } };
    const workloads = Object.values(everyWorkload(chart, { serviceAccount }));
    const objects = synthValid(chart, { skipHardening: ['serviceAccountToken'] });
    for (const workload of workloads) {
      expect(findObject(objects, 'NetworkPolicy', `${workload.name}-to-api-server`).spec).toEqual({
        podSelector: { matchLabels: workload.selector },
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '10.0.0.10/32' } }], ports: [{ port: 6443, protocol: 'TCP' }] }],
      });
    }
    // a track runs under the release's ServiceAccount: the release's policy selects both tracks
    expect(objects.filter(o => o.kind === 'NetworkPolicy' && o.metadata.name.endsWith('-to-api-server'))).toHaveLength(6);
  });

  test('fails on every workload construct when apiServer is asked without a mounted token', () => {
    for (const [id, build] of Object.entries(BUILDERS)) {
      expect(() => build(chartIn(), { serviceAccount: { apiServer: { cidr: '10.0.0.10/32' } } }))
        .toThrow(new RegExp(`test/${id}: invalid serviceAccount\\.apiServer \\{"cidr":"10\\.0\\.0\\.10/32"\\}: needs serviceAccount\\.automountToken: true`));
    }
  });

  test('a StatefulApp says it speaks tcp, so an objective cannot measure it as HTTP; routed as HTTP it can be measured', () => {
    const chart = chartIn();
    const db = new StatefulApp(chart, 'db', { image: IMAGE });
    expect(db.appProtocol).toBe('tcp');
    expect(() => new ServiceLevelObjective(chart, 'db-slo', { target: db, availability: 99.9 }))
      .toThrow(/test\/db-slo: invalid source "istio": cannot measure test\/db \("db"\), which speaks tcp/);
    const api = new StatefulApp(chart, 'api', { image: IMAGE, appProtocol: 'http' });
    expect(new ServiceLevelObjective(chart, 'api-slo', { target: api, availability: 99.9 }).appProtocol).toBe('http');
  });

  test('a CanaryRelease track runs as the release: its ServiceAccount and ConfigMaps, its selector and name its own, no metrics port of its own', () => {
    const chart = chartIn();
    const release = new CanaryRelease(chart, 'api', {
      stable: { image: IMAGE },
      canary: { image: 'ghcr.io/acme/web:1.5.0' },
      canaryWeight: 10,
      config: { LOG_LEVEL: 'info' },
      files: { '/etc/api/app.yaml': 'a: 1\n' },
      metrics: { port: 9090 },
    });
    for (const track of [release.stable, release.canary]) {
      expect([track.serviceAccount, track.configMap, track.filesConfigMap])
        .toEqual([release.serviceAccount, release.configMap, release.filesConfigMap]);
      expect(track.serviceAccountName).toBe('api');
      expect(track.name).toBe(`api-${track.track}`);
      expect(track.selector).toEqual({ ...release.selector, 'cloudnative-constructs.io/track': track.track });
      expect(track.metricsPort).toBeUndefined();
    }
    expect(release.metricsPort).toBe(9090);
    expect([release.stable.version, release.canary.version]).toEqual(['1.4.2', '1.5.0']);
  });

  test('a replicated workload tells its replica range, its image version and what an autoscaler scales', () => {
    const chart = chartIn();
    const { web, db, rollout } = everyWorkload(chart);
    expect([web.minReplicas, web.maxReplicas, web.version]).toEqual([2, 2, '1.4.2']);
    expect([db.minReplicas, db.maxReplicas]).toEqual([1, 1]);
    expect(web.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' });
    expect(db.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' });
    expect(rollout.scaleTargetRef).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'rollout' });
  });

  test('a shared option added once reaches every workload construct: hostAliases in every pod template, tracks and CronJob runs included', () => {
    const chart = chartIn();
    everyWorkload(chart, { hostAliases: { '10.0.0.5': ['legacy.internal', 'legacy'], 'fd00::5': ['legacy6.internal'] } });
    const objects = synthValid(chart);
    const templates = {
      'Deployment/web': findObject(objects, 'Deployment', 'web').spec.template,
      'Deployment/worker': findObject(objects, 'Deployment', 'worker').spec.template,
      'StatefulSet/db': findObject(objects, 'StatefulSet', 'db').spec.template,
      'CronJob/job': findObject(objects, 'CronJob', 'job').spec.jobTemplate.spec.template,
      'Deployment/release-stable': findObject(objects, 'Deployment', 'release-stable').spec.template,
      'Deployment/release-canary': findObject(objects, 'Deployment', 'release-canary').spec.template,
      'Rollout/rollout': findObject(objects, 'Rollout', 'rollout').spec.template,
    };
    for (const [owner, template] of Object.entries(templates)) {
      expect([owner, template.spec.hostAliases]).toEqual([owner, [
        { ip: '10.0.0.5', hostnames: ['legacy.internal', 'legacy'] },
        { ip: 'fd00::5', hostnames: ['legacy6.internal'] },
      ]]);
    }
    // without the option no pod template has the field
    const plain = chartIn();
    everyWorkload(plain);
    expect(synthValid(plain).filter(o => JSON.stringify(o).includes('hostAliases'))).toEqual([]);
  });

  test('fails on every workload construct when hostAliases name no IP address, no hostname, an invalid or a repeated hostname', () => {
    const cases: Array<[Record<string, string[]>, RegExp]> = [
      [{ 'legacy.internal': ['legacy'] }, /invalid hostAliases\.legacy\.internal "legacy\.internal": the key must be an IPv4 or IPv6 address/],
      [{ '10.0.0.256': ['legacy'] }, /invalid hostAliases\.10\.0\.0\.256 "10\.0\.0\.256": the key must be an IPv4 or IPv6 address/],
      [{ '10.0.0.5': [] }, /invalid hostAliases\.10\.0\.0\.5 \[\]: must list at least one hostname/],
      [{ '10.0.0.5': ['Legacy_Host'] }, /invalid hostAliases\.10\.0\.0\.5 "Legacy_Host": must be a DNS-1123 subdomain/],
      [{ '10.0.0.5': ['legacy'], '10.0.0.6': ['legacy'] }, /invalid hostAliases\.10\.0\.0\.6 "legacy": is already an alias of 10\.0\.0\.5/],
    ];
    for (const [id, build] of Object.entries(BUILDERS)) {
      for (const [hostAliases, error] of cases) {
        expect(() => build(chartIn(), { hostAliases })).toThrow(new RegExp(`test/${id}: ${error.source}`));
      }
    }
  });
});
