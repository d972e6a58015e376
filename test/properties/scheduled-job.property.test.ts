import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { ScheduledJob, ScheduledJobProps } from '../../src';
import { findObject, synthValid } from '../harness';
import * as arb from './arbitraries';
import { libraryErrorOf } from './expect-library-error';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** One cron field over [min, max]: `*`, a value, a range, a step or a list, with names where Kubernetes takes them. */
function field(min: number, max: number, names: readonly string[] = []): fc.Arbitrary<string> {
  const value = fc.integer({ min, max }).chain(n => (names.length > 0 ? fc.constantFrom(String(n), names[n - min]) : fc.constant(String(n))));
  const range = fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`);
  const step = fc.tuple(fc.constantFrom('*', `${min}-${max}`), fc.integer({ min: 1, max: max - min + 1 })).map(([base, s]) => `${base}/${s}`);
  const single = fc.oneof(value, range, step);
  return fc.oneof(fc.constant('*'), single, fc.array(fc.oneof(value, range), { minLength: 2, maxLength: 3 }).map(parts => parts.join(',')));
}

/** A schedule Kubernetes accepts that fires at least once a year (days of month up to 28). */
const schedule = fc.oneof(
  fc.tuple(field(0, 59), field(0, 23), field(1, 28), field(1, 12, MONTHS), field(0, 6, DAYS)).map(fields => fields.join(' ')),
  fc.constantFrom('@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'),
);

const validProps: fc.Arbitrary<ScheduledJobProps> = fc.record({
  image: arb.pinnedImage,
  schedule,
  name: fc.option(arb.resourceName.filter(n => n.length <= 52), { nil: undefined }),
  timeZone: fc.option(fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Etc/GMT+5', 'US/Pacific'), { nil: undefined }),
  concurrencyPolicy: fc.option(fc.constantFrom('Forbid' as const, 'Allow' as const, 'Replace' as const), { nil: undefined }),
  backoffLimit: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
  activeDeadlineSeconds: fc.option(fc.integer({ min: 1, max: 86400 }), { nil: undefined }),
  ttlSecondsAfterFinished: fc.option(fc.integer({ min: 0, max: 86400 }), { nil: undefined }),
  successfulJobsHistoryLimit: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
  failedJobsHistoryLimit: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
  env: fc.option(arb.envMap, { nil: undefined }),
  resources: fc.option(fc.record({ cpu: arb.cpuSpec, memory: arb.memorySpec }, { requiredKeys: [] }), { nil: undefined }),
}, { requiredKeys: ['image', 'schedule'] });

function build(props: ScheduledJobProps): Chart {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  new ScheduledJob(chart, 'job', props);
  return chart;
}

describe('ScheduledJob properties', () => {
  test('every schedule Kubernetes accepts synthesises a valid, hardened, deterministic CronJob', () => {
    fc.assert(fc.property(validProps, (props) => {
      const objects = synthValid(build(props));
      const cron = findObject(objects, 'CronJob', props.name ?? 'job');
      expect(cron.spec.schedule).toBe(props.schedule);
      expect(cron.spec.timeZone).toBe(props.timeZone ?? 'UTC');
      expect(cron.spec.concurrencyPolicy).toBe(props.concurrencyPolicy ?? 'Forbid');
      expect(cron.spec.jobTemplate.spec.template.spec.restartPolicy).toBe('Never');
      expect(objects.map(o => o.kind).sort()).toEqual(['CronJob', 'ServiceAccount']);
      expect(JSON.stringify(Testing.synth(build(props)))).toBe(JSON.stringify(objects));
    }), { numRuns: arb.RUNS });
  });

  const badSchedule = fc.oneof(
    // a seconds field: more than once a minute
    fc.tuple(field(0, 59), field(0, 59), field(0, 23)).map(([s, m, h]) => `${s} ${m} ${h} * * *`),
    // out of range values
    fc.integer({ min: 60, max: 99 }).map(m => `${m} * * * *`),
    fc.integer({ min: 24, max: 99 }).map(h => `0 ${h} * * *`),
    fc.integer({ min: 32, max: 99 }).map(d => `0 0 ${d} * *`),
    fc.integer({ min: 13, max: 99 }).map(mo => `0 0 1 ${mo} *`),
    fc.integer({ min: 7, max: 99 }).map(d => `0 0 * * ${d}`),
    // days that never come
    fc.constantFrom('0 0 30 2 *', '0 0 31 4 *', '0 0 31 jun *'),
    // not cron at all, or extensions Kubernetes lacks
    fc.constantFrom('', ' ', 'daily', '* * * *', '@every 1h', '@reboot', '0 0 L * *', '0 0 * * 5L', '0 0 1W * *', 'H H * * *', '*/0 * * * *', '1-2-3 * * * *', 'TZ=UTC * * * * *'),
  );

  test('a schedule Kubernetes rejects, or one firing more than once a minute, always fails naming schedule', () => {
    fc.assert(fc.property(badSchedule, (bad) => {
      const error = libraryErrorOf(() => build({ image: 'ghcr.io/acme/job:1.0.0', schedule: bad }));
      expect(error.path).toBe('test/job');
      expect(error.prop).toBe('schedule');
    }), { numRuns: arb.RUNS });
  });

  const invalidField = fc.oneof(
    fc.record({ timeZone: fc.constantFrom('utc', 'Local', '+02:00', 'Europe/Nowhere', 'europe/berlin', '') }),
    fc.record({ concurrencyPolicy: fc.constantFrom('forbid', 'Skip', '') }),
    fc.record({ backoffLimit: fc.oneof(fc.integer({ max: -1 }), fc.double({ min: 0.1, max: 0.9 })) }),
    fc.record({ activeDeadlineSeconds: fc.integer({ max: 0 }) }),
    fc.record({ ttlSecondsAfterFinished: fc.integer({ max: -1 }) }),
    fc.record({ successfulJobsHistoryLimit: fc.integer({ max: -1 }) }),
    fc.record({ image: fc.constantFrom('job', 'job:latest') }),
  );

  test('other invalid props always fail with the library error naming the path and the prop', () => {
    fc.assert(fc.property(invalidField, (bad) => {
      const error = libraryErrorOf(() => build({ image: 'ghcr.io/acme/job:1.0.0', schedule: '@daily', ...bad } as ScheduledJobProps));
      expect(error.message.startsWith('test/job: invalid ')).toBe(true);
      expect(error.prop).toBe(Object.keys(bad)[0]);
    }), { numRuns: arb.RUNS });
  });
});
