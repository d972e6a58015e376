import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { HardenedWorkload } from './hardened-workload';
import { brandCheck } from './internal/core/brand';
import { checkCronSchedule } from './internal/core/cron-schedule';
import { propError } from './internal/core/errors';
import { checkTimeZone } from './internal/core/time-zone';
import { checkInteger } from './internal/core/validate';
import { buildJobTemplate, createCronJob, CronJobPolicy } from './internal/workload/cron-job';
import { resolveOptionalPortWorkload } from './internal/workload/optional-port';
import { foundWorkload, WorkloadKind } from './internal/workload/workload-foundation';
import { Probes, WorkloadOptions } from './workload-options';

const SCHEDULED_JOB_BRAND = Symbol.for('cloudnative-constructs.ScheduledJob');

/**
 * The longest ScheduledJob name: the controller names each Job `<name>-<11-digit time>`, and
 * the API server rejects a CronJob name above 52 characters.
 */
const MAX_NAME_LENGTH = 52;

/**
 * The shortest `startingDeadlineSeconds`: the CronJob controller checks its schedules every 10
 * seconds, so a shorter deadline can pass before a run that was on time is even seen.
 */
const MIN_STARTING_DEADLINE = 10;

/** The default bound of a run, so that a hung run never blocks the later ones for long. */
const DEFAULT_ACTIVE_DEADLINE = 3600;

/** What happens when a run is due while the previous one is still running. */
export type ConcurrencyPolicy = 'Forbid' | 'Allow' | 'Replace';

const CONCURRENCY_POLICIES: readonly ConcurrencyPolicy[] = ['Forbid', 'Allow', 'Replace'];

/**
 * Properties of a {@link ScheduledJob}: the workload options but `disruptionBudget` (a job runs
 * to completion and has no PodDisruptionBudget).
 */
export interface ScheduledJobProps extends Omit<WorkloadOptions, 'disruptionBudget'> {
  /**
   * The container image, pinned by a release tag (with a version number, not a channel such as `latest`, `stable` or `lts`) or a digest.
   * @example 'ghcr.io/acme/report:1.2.0'
   */
  readonly image: string;
  /**
   * When to run, as a five-field cron expression (`'30 2 * * *'`: 02:30 every day) or a macro
   * (`@hourly`, `@daily`, `@weekly`, `@monthly`, `@yearly`). A CronJob fires at most once a
   * minute: a sixth (seconds) field is an error.
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#schedule-syntax
   */
  readonly schedule: string;
  /**
   * The IANA time zone the schedule is read in (`'Europe/Berlin'`).
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones
   * @default 'UTC' (written out, so the schedule does not depend on the controller's clock)
   */
  readonly timeZone?: string;
  /**
   * What to do when a run is due while the previous one is still running: skip the new run
   * (`Forbid`), run both (`Allow`) or stop the old one (`Replace`).
   * @default 'Forbid'
   */
  readonly concurrencyPolicy?: ConcurrencyPolicy;
  /**
   * Seconds after the scheduled time within which a missed run may still start; later it is
   * skipped. At least 10: the CronJob controller checks its schedules every 10 seconds, so a
   * shorter deadline can skip runs that were on time.
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#starting-deadline
   * @default - no deadline
   */
  readonly startingDeadlineSeconds?: number;
  /**
   * Stop scheduling new runs (running ones continue).
   * @default false
   */
  readonly suspend?: boolean;
  /**
   * Retries of a failed run before the Job is marked failed.
   * @default 6
   */
  readonly backoffLimit?: number;
  /**
   * Seconds a run may take, retries included, before it is stopped and marked failed. Always
   * bounded, so that a run that hangs cannot block every later run (`concurrencyPolicy:
   * 'Forbid'` skips runs while one is active) or pile up beside them (`'Allow'`).
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/job/#job-termination-and-cleanup
   * @default 3600 (one hour; raise it for longer runs)
   */
  readonly activeDeadlineSeconds?: number;
  /**
   * Seconds after a run finishes before its Job and pods are deleted.
   * @default - kept until the history limits remove them
   */
  readonly ttlSecondsAfterFinished?: number;
  /**
   * Finished successful Jobs kept for inspection.
   * @default 3
   */
  readonly successfulJobsHistoryLimit?: number;
  /**
   * Failed Jobs kept for inspection.
   * @default 1
   */
  readonly failedJobsHistoryLimit?: number;
  /**
   * A container port the job listens on (metrics). Jobs are normally only senders.
   * @default - no port: the container declares none
   */
  readonly port?: number;
  /**
   * Probes of the job's container. None by default: a run-to-completion container has nothing
   * to be ready for.
   * @default - no probes
   */
  readonly probes?: Probes;
  /**
   * Spread the pods of concurrent runs across zones and nodes.
   * @default false
   */
  readonly topologySpread?: boolean;
}

/** What sets a ScheduledJob apart in the steps every workload takes first. */
const SCHEDULED_JOB: WorkloadKind<ScheduledJobProps> = {
  propsType: 'ScheduledJobProps',
  component: 'job',
  version: 'objects',
  controllerKind: 'CronJob',
  maxName: { length: MAX_NAME_LENGTH, why: () => ': each run\'s Job is named "<name>-<11 digits>", which must fit in 63' },
  // concurrent runs are rare and short: no spreading unless asked
  resolve: (scope, props) => resolveOptionalPortWorkload(scope, { ...props, topologySpread: props.topologySpread ?? false }, 'ScheduledJob'),
};

/**
 * A hardened scheduled job: a batch/v1 CronJob whose pods meet the Pod Security Standards
 * restricted profile and never restart in place (`restartPolicy: Never`; the Job retries with a
 * new pod), with a validated schedule and time zone, no overlapping runs by default, and its own
 * ServiceAccount without a token. `NetworkPolicyBundle.allow()` can name it as a sender.
 */
export class ScheduledJob extends HardenedWorkload {
  /** Whether `x` is a ScheduledJob (works across copies of this package). */
  public static readonly isScheduledJob = brandCheck<ScheduledJob>(SCHEDULED_JOB_BRAND);

  /** The pinned container image. */
  public readonly image: string;
  /** The schedule. */
  public readonly schedule: string;
  /** The time zone of the schedule. */
  public readonly timeZone: string;
  /** The CronJob. */
  public readonly cronJob: ApiObject;

  constructor(scope: Construct, id: string, props: ScheduledJobProps) {
    super(scope, id, SCHEDULED_JOB_BRAND, self => foundWorkload(self, props, SCHEDULED_JOB));
    this.image = props.image;
    this.schedule = checkCronSchedule(this, 'schedule', props.schedule);
    this.timeZone = checkTimeZone(this, 'timeZone', props.timeZone ?? 'UTC');
    const { workload, env, resources, labels, selector, configMapName } = this._foundation;
    const template = buildJobTemplate(this, { workload, image: props.image, env, resources, labels, selector, configMapName });
    this.cronJob = createCronJob(this, 'CronJob', { name: workload.name, labels, template, ...this.runPolicy(props) });
    this._monitor({ hasService: false });
    this._allowApiServer();
  }

  /** When and how the runs start, how long they may take and how many finished Jobs are kept. */
  private runPolicy(props: ScheduledJobProps): CronJobPolicy {
    const concurrencyPolicy = props.concurrencyPolicy ?? 'Forbid';
    if (!CONCURRENCY_POLICIES.includes(concurrencyPolicy)) {
      throw propError(this, 'concurrencyPolicy', concurrencyPolicy, `must be one of ${CONCURRENCY_POLICIES.map(p => JSON.stringify(p)).join(', ')}`);
    }
    const suspend = props.suspend ?? false;
    if (typeof suspend !== 'boolean') throw propError(this, 'suspend', suspend, 'must be true or false');
    const optional = (prop: keyof ScheduledJobProps, min: number) => {
      const value = props[prop] as number | undefined;
      return value === undefined ? undefined : checkInteger(this, prop, value, min);
    };
    return {
      schedule: this.schedule,
      timeZone: this.timeZone,
      concurrencyPolicy,
      suspend,
      startingDeadlineSeconds: this.startingDeadline(props.startingDeadlineSeconds),
      successfulJobsHistoryLimit: optional('successfulJobsHistoryLimit', 0) ?? 3,
      failedJobsHistoryLimit: optional('failedJobsHistoryLimit', 0) ?? 1,
      backoffLimit: optional('backoffLimit', 0) ?? 6,
      activeDeadlineSeconds: optional('activeDeadlineSeconds', 1) ?? DEFAULT_ACTIVE_DEADLINE,
      ttlSecondsAfterFinished: optional('ttlSecondsAfterFinished', 0),
    };
  }

  private startingDeadline(value: number | undefined): number | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < MIN_STARTING_DEADLINE) {
      throw propError(this, 'startingDeadlineSeconds', value, `must be at least ${MIN_STARTING_DEADLINE}: the CronJob controller checks its schedules every 10 seconds, so a shorter deadline can skip runs that were on time; set it to ${MIN_STARTING_DEADLINE} or more, or leave it out`);
    }
    return checkInteger(this, 'startingDeadlineSeconds', value, MIN_STARTING_DEADLINE);
  }
}
