import { Autoscaled, ScheduledJob, ScheduledJobProps, SecureNamespace, SecureNamespaceProps } from '../src';
import { chartIn, findObject, Manifest, synthValid } from './harness';
import { jobPodOutcome } from './harness/job-completion';

const IMAGE = 'ghcr.io/acme/report:1.2.0';

function synthJob(props: Partial<ScheduledJobProps> = {}): Manifest[] {
  const chart = chartIn();
  new ScheduledJob(chart, 'report', { image: IMAGE, schedule: '30 2 * * *', ...props });
  return synthValid(chart);
}

function cronJob(objects: Manifest[]): any {
  return findObject(objects, 'CronJob', 'report');
}

function podSpec(objects: Manifest[]): any {
  return cronJob(objects).spec.jobTemplate.spec.template.spec;
}

describe('ScheduledJob defaults', () => {
  // GIVEN a ScheduledJob with an image and a schedule
  const objects = synthJob();
  const spec = cronJob(objects).spec;

  test('creates a CronJob and a ServiceAccount only', () => {
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`).sort()).toEqual(['CronJob/report', 'ServiceAccount/report']);
    expect(cronJob(objects).apiVersion).toBe('batch/v1');
  });

  test('reads the schedule in UTC and never runs two runs at once', () => {
    expect(spec.schedule).toBe('30 2 * * *');
    expect(spec.timeZone).toBe('UTC');
    expect(spec.concurrencyPolicy).toBe('Forbid');
    expect(spec.suspend).toBe(false);
  });

  test('keeps the Kubernetes retry and history defaults, written out', () => {
    expect(spec.successfulJobsHistoryLimit).toBe(3);
    expect(spec.failedJobsHistoryLimit).toBe(1);
    expect(spec.jobTemplate.spec).toEqual(expect.objectContaining({ backoffLimit: 6 }));
    // a run that hangs is stopped after an hour, so concurrencyPolicy Forbid (which skips a run
    // while one is active) never skips every later run; on main before this change: unset
    expect(spec.jobTemplate.spec.activeDeadlineSeconds).toBe(3600);
    expect(spec.jobTemplate.spec.ttlSecondsAfterFinished).toBeUndefined();
    expect(spec.startingDeadlineSeconds).toBeUndefined();
  });

  test('runs hardened pods that never restart in place, with no port, probe or spread', () => {
    const pod = podSpec(objects);
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('report');
    expect(pod.containers[0].ports).toBeUndefined();
    expect(pod.containers[0].readinessProbe).toBeUndefined();
    expect(pod.topologySpreadConstraints).toBeUndefined();
  });

  test('labels the job and its pods as a job component', () => {
    expect(cronJob(objects).spec.jobTemplate.spec.template.metadata.labels['app.kubernetes.io/component']).toBe('job');
  });

  test('snapshot', () => {
    expect(objects).toMatchSnapshot();
  });
});

describe('ScheduledJob props', () => {
  test('time zone, concurrency, deadlines, TTL and history limits', () => {
    const spec = cronJob(synthJob({
      timeZone: 'Europe/Berlin',
      concurrencyPolicy: 'Replace',
      startingDeadlineSeconds: 300,
      suspend: true,
      backoffLimit: 2,
      activeDeadlineSeconds: 3600,
      ttlSecondsAfterFinished: 86400,
      successfulJobsHistoryLimit: 5,
      failedJobsHistoryLimit: 2,
    })).spec;
    expect(spec).toEqual(expect.objectContaining({
      timeZone: 'Europe/Berlin', concurrencyPolicy: 'Replace', startingDeadlineSeconds: 300, suspend: true, successfulJobsHistoryLimit: 5, failedJobsHistoryLimit: 2,
    }));
    expect(spec.jobTemplate.spec).toEqual(expect.objectContaining({ backoffLimit: 2, activeDeadlineSeconds: 3600, ttlSecondsAfterFinished: 86400 }));
  });

  test.each([
    '@hourly', '@daily', '@midnight', '@weekly', '@monthly', '@yearly', '@annually',
    '*/15 * * * *', '0 9-17 * * mon-fri', '0 0 1,15 * *', '0 0 ? * SUN', '5 4 * jan-mar 0', '0 0 29 2 *', '0 0 30 2 1', '0,0 1-1,1 * * *', '5/15 * * * *',
  ])('accepts the schedule %s', (schedule) => {
    expect(cronJob(synthJob({ schedule })).spec.schedule).toBe(schedule);
  });

  test('a metrics port is declared when given', () => {
    expect(podSpec(synthJob({ port: 9102 })).containers[0].ports).toEqual([{ name: 'http', containerPort: 9102, protocol: 'TCP' }]);
  });
});

describe('ScheduledJob with the shared workload options', () => {
  test('an init container, a volume, files and a command work, and the pods still never restart', () => {
    const pod = podSpec(synthJob({
      command: ['/bin/report'],
      args: ['--since=24h'],
      volumes: { work: { mountPath: '/work', emptyDir: { sizeLimit: '1Gi' } } },
      files: { '/etc/report/query.sql': 'select 1;\n' },
      initContainers: [{ name: 'fetch', image: 'ghcr.io/acme/fetch:1.0.0', mounts: ['work'] }],
    }));
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.containers[0].command).toEqual(['/bin/report']);
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['fetch']);
    expect(pod.initContainers[0].securityContext).toEqual(pod.containers[0].securityContext);
    expect(pod.initContainers[0].volumeMounts).toEqual([expect.objectContaining({ name: 'work', mountPath: '/work' })]);
    expect(pod.volumes).toEqual(expect.arrayContaining([{ name: 'work', emptyDir: { sizeLimit: '1Gi' } }]));
  });
});

describe('ScheduledJob sidecars end with the run', () => {
  // Job completion is modelled from the Kubernetes and Istio docs in test/harness/job-completion.ts
  const SHIPPER = { name: 'shipper', image: 'ghcr.io/acme/shipper:1.0.0' };

  function jobIn(namespace: SecureNamespaceProps | undefined, props: Partial<ScheduledJobProps> = {}) {
    const chart = chartIn();
    if (namespace) new SecureNamespace(chart, 'ns', namespace);
    new ScheduledJob(chart, 'report', { image: IMAGE, schedule: '@daily', sidecars: [SHIPPER], ...props });
    return cronJob(synthValid(chart)).spec.jobTemplate.spec.template;
  }

  test('the output of main before this change (the sidecar a regular container) never completes', () => {
    const before = { spec: { containers: [{ name: 'report' }, { name: 'shipper' }] } };
    expect(jobPodOutcome(before, ['report'], false)).toEqual({ completes: false, stillRunning: ['shipper'] });
  });

  test('sidecars are native sidecars (init containers with restartPolicy Always, after the init containers), and the run completes', () => {
    const template = jobIn(undefined, { initContainers: [{ name: 'fetch', image: 'ghcr.io/acme/fetch:1.0.0' }] });
    expect(template.spec.containers.map((c: any) => c.name)).toEqual(['report']);
    expect(template.spec.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['fetch', undefined], ['shipper', 'Always']]);
    expect(template.spec.initContainers[1].securityContext).toEqual(template.spec.containers[0].securityContext);
    expect(jobPodOutcome(template, ['report'], false)).toEqual({ completes: true, stillRunning: [] });
  });

  test('in an injected namespace the Istio proxy is asked to be a native sidecar too, and the run completes', () => {
    const template = jobIn({ name: 'shop' });
    expect(template.metadata.annotations).toEqual({ 'sidecar.istio.io/nativeSidecar': 'true' });
    expect(jobPodOutcome(template, ['report'], true)).toEqual({ completes: true, stillRunning: [] });
    // the drill: without the annotation Istio injects a regular container, which never exits
    const { annotations: _, ...bare } = template.metadata;
    expect(jobPodOutcome({ ...template, metadata: bare }, ['report'], true)).toEqual({ completes: false, stillRunning: ['istio-proxy'] });
  });

  test('the annotation joins the pod\'s own and the checksums (one set of annotations, decided at synthesis)', () => {
    const annotations = jobIn({ name: 'shop' }, { podAnnotations: { team: 'data' }, config: { MODE: 'full' } }).metadata.annotations;
    expect(annotations).toEqual({ 'team': 'data', 'checksum/config': expect.any(String), 'sidecar.istio.io/nativeSidecar': 'true' });
  });

  test('the annotation is decided at synthesis, whichever of the namespace and the job comes first', () => {
    const chart = chartIn();
    new ScheduledJob(chart, 'report', { image: IMAGE, schedule: '@daily' });
    new SecureNamespace(chart, 'ns', { name: 'shop', istio: { injection: true } });
    expect(cronJob(synthValid(chart)).spec.jobTemplate.spec.template.metadata.annotations).toEqual({ 'sidecar.istio.io/nativeSidecar': 'true' });
  });

  test.each([
    ['outside the mesh', { name: 'shop', istio: false }],
    ['without injection', { name: 'shop', istio: { injection: false } }],
  ] as Array<[string, SecureNamespaceProps]>)('no Istio annotation in a namespace %s', (_, namespace) => {
    expect(jobIn(namespace, { podAnnotations: { team: 'data' } }).metadata.annotations).toEqual({ team: 'data' });
  });
});

describe('ScheduledJob bad input', () => {
  const fails = (props: Partial<ScheduledJobProps>, pattern: RegExp) => expect(() => synthJob(props)).toThrow(pattern);

  test('fails when the schedule is not a string (the props schema)', () => fails({ schedule: 5 as never }, /^test\/report: invalid schedule 5: must be a string$/));
  test('fails when successfulJobsHistoryLimit is not a number (the props schema)', () => fails({ successfulJobsHistoryLimit: true as never }, /^test\/report: invalid successfulJobsHistoryLimit true: must be a number$/));

  test('fails when the schedule has a seconds field (fires more than once a minute)', () => fails({ schedule: '*/10 * * * * *' },
    /test\/report: invalid schedule "\*\/10 \* \* \* \* \*": has six fields, but a CronJob fires at most once a minute and has no seconds field; drop the first field \("\* \* \* \* \*"\)/));
  test('fails when the schedule does not parse', () => fails({ schedule: 'every day' }, /test\/report: invalid schedule "every day": has 2 fields; it must be a five-field cron expression/));
  test('fails when a value is out of range', () => fails({ schedule: '61 * * * *' }, /invalid schedule "61 \* \* \* \*": the minute field "61" has 61, outside 0-59/));
  test('fails when the schedule can never fire', () => fails({ schedule: '0 0 30 2 *' }, /invalid schedule "0 0 30 2 \*": never fires \(invalid explicit day of month definition\)/));
  test('fails on Quartz extensions Kubernetes rejects', () => {
    fails({ schedule: '0 0 L * *' }, /the day of month field "L" has "L", which is not a number/);
    fails({ schedule: '0 0 * * 1#2' }, /the day of week field "1#2" has "1#2"/);
    fails({ schedule: 'H * * * *' }, /the minute field "H" has "H"/);
  });
  test('fails on a range whose start is after its end', () => fails({ schedule: '0 17-9 * * *' }, /the hour field "17-9" has the range "17-9", whose start is after its end/));
  test('fails on 7 for Sunday', () => fails({ schedule: '0 0 * * 7' }, /uses 7 for Sunday, which Kubernetes rejects; use 0 or "sun"/));
  test('fails on a step of 0', () => fails({ schedule: '*/0 * * * *' }, /the minute field "\*\/0" has a step of 0/));
  test('fails on a macro Kubernetes does not know', () => fails({ schedule: '@every 5m' }, /invalid schedule "@every 5m": is not a macro Kubernetes accepts/));
  test('fails on a time zone inside the schedule', () => fails({ schedule: 'TZ=UTC 0 * * * *' }, /a time zone in the schedule is rejected by Kubernetes: give the zone in the timeZone prop/));
  test('fails on an unknown time zone', () => fails({ timeZone: 'Mars/Olympus' }, /test\/report: invalid timeZone "Mars\/Olympus": must be a time zone name of the IANA tz database/));
  test('fails on a time zone in the wrong case, suggesting the right one', () => fails({ timeZone: 'europe/berlin' }, /invalid timeZone "europe\/berlin": .*did you mean "Europe\/Berlin"\?/));
  // ICU (Node's Intl) still knows them, tzdata (Go's time.LoadLocation in the controller) does not:
  // on main before this change: accepted, and the controller refuses the CronJob
  test.each(['US/Pacific-New', 'Canada/East-Saskatchewan'])('fails on %s, a name tzdata removed', (timeZone) => fails({ timeZone },
    new RegExp(`^test/report: invalid timeZone "${timeZone}": must be a time zone name of the IANA tz database \\(tzdata \\w+\\), spelled as there, such as "Europe/Berlin" or "UTC"; names the tz database removed are refused by the CronJob controller$`)));
  test.each(['US/Pacific', 'Europe/Kiev', 'Etc/GMT+5', 'America/Argentina/Buenos_Aires'])('accepts the tzdata name %s', (timeZone) => {
    expect(cronJob(synthJob({ timeZone })).spec.timeZone).toBe(timeZone);
  });
  test('fails on an offset instead of a zone', () => fails({ timeZone: '+01:00' }, /invalid timeZone "\+01:00"/));
  test('fails on an unknown concurrency policy', () => fails({ concurrencyPolicy: 'Skip' as never }, /invalid concurrencyPolicy "Skip": must be one of "Forbid", "Allow", "Replace"/));
  test('fails on a negative backoff limit', () => fails({ backoffLimit: -1 }, /invalid backoffLimit -1: must be an integer >= 0/));
  // the CronJob controller checks every 10 s (https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#starting-deadline):
  // a shorter starting deadline can skip runs that were on time; on main before this change: accepted
  test.each([0, 1, 9])('fails on a starting deadline of %i seconds (below the controller\'s 10 s check)', (startingDeadlineSeconds) => fails({ startingDeadlineSeconds },
    new RegExp(`^test/report: invalid startingDeadlineSeconds ${startingDeadlineSeconds}: must be at least 10: the CronJob controller checks its schedules every 10 seconds.*set it to 10 or more, or leave it out$`)));
  test('accepts a starting deadline of 10 seconds', () => expect(cronJob(synthJob({ startingDeadlineSeconds: 10 })).spec.startingDeadlineSeconds).toBe(10));
  test('fails on a zero active deadline', () => fails({ activeDeadlineSeconds: 0 }, /invalid activeDeadlineSeconds 0: must be an integer >= 1/));
  test('fails on a disruption budget, which the props type does not offer', () => {
    // on main before this change ScheduledJobProps offered disruptionBudget (from WorkloadOptions) and always rejected it
    // @ts-expect-error a ScheduledJob has no PodDisruptionBudget
    const props: ScheduledJobProps = { image: 'ghcr.io/acme/report:1.2.0', schedule: '@daily', disruptionBudget: false };
    fails(props, /invalid disruptionBudget false: a ScheduledJob runs to completion and has no PodDisruptionBudget/);
    fails({ disruptionBudget: { maxUnavailable: 1 } } as never, /invalid disruptionBudget .*a ScheduledJob runs to completion and has no PodDisruptionBudget/);
  });
  test('fails on replicas', () => fails({ replicas: 2 } as never, /invalid replicas 2: a ScheduledJob runs one pod per run/));
  test('fails on an HTTP probe without a port', () => fails({ probes: { liveness: '/healthz' } }, /invalid probes\.liveness "\/healthz": an HTTP probe needs a port, and the ScheduledJob declares no port/));
  test('fails when the name is too long for its Jobs', () => fails({ name: 'r'.repeat(53) }, /invalid name "r{53}": must be at most 52 characters/));

  test('fails when an autoscaler targets it', () => {
    const chart = chartIn();
    const job = new ScheduledJob(chart, 'report', { image: IMAGE, schedule: '@daily' });
    expect(() => new Autoscaled(chart, 'scaling', { target: job as never, maxReplicas: 3 }))
      .toThrow(/test\/scaling: invalid target "test\/report": a ScheduledJob runs to completion on its schedule and cannot be scaled horizontally/);
  });
});
