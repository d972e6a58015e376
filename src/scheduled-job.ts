import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { checkCronSchedule } from './internal/core/cron-schedule';
import { propError } from './internal/core/errors';
import { recommendedLabels, selectorLabels } from './internal/core/labels';
import { claimName, namespaceOf } from './internal/core/name-registry';
import { hasOwn } from './internal/core/own';
import { checkTimeZone } from './internal/core/time-zone';
import { checkInteger } from './internal/core/validate';
import { monitorWorkload } from './internal/observability/workload-metrics';
import { validateProps } from './internal/validation/validate-props';
import { buildJobTemplate, createCronJob } from './internal/workload/cron-job';
import { checkPinnedImage, imageVersionLabel } from './internal/workload/image';
import { resolveOptionalPortWorkload } from './internal/workload/optional-port';
import { createWorkloadSupport } from './internal/workload/workload-support';
import { INetworkPeer } from './network-peer';
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

/**
 * A hardened scheduled job: a batch/v1 CronJob whose pods meet the Pod Security Standards
 * restricted profile and never restart in place (`restartPolicy: Never`; the Job retries with a
 * new pod), with a validated schedule and time zone, no overlapping runs by default, and its own
 * ServiceAccount without a token. `NetworkPolicyBundle.allow()` can name it as a sender.
 */
export class ScheduledJob extends Construct implements INetworkPeer {
  /** Whether `x` is a ScheduledJob (works across copies of this package). */
  public static isScheduledJob(x: unknown): x is ScheduledJob {
    return typeof x === 'object' && x !== null && SCHEDULED_JOB_BRAND in x;
  }

  /** The name of the CronJob and the other objects. */
  public readonly name: string;
  /** The namespace the objects are created in. */
  public readonly namespace: string;
  /** The container port, when the job declares one. */
  public readonly port?: number;
  /** The container ports the pods listen on (`port`, `ports` and the sidecars'; none by default). */
  public readonly containerPorts: readonly number[];
  /** The named container ports: name → number. */
  public readonly portNames: Readonly<Record<string, number>>;
  /** The pinned container image. */
  public readonly image: string;
  /** The schedule. */
  public readonly schedule: string;
  /** The time zone of the schedule. */
  public readonly timeZone: string;
  /** The labels that select the job's pods. */
  public readonly selector: Record<string, string>;
  /** The name of the job's ServiceAccount (its identity for network and mesh policies). */
  public readonly serviceAccountName: string;
  /** The container port serving Prometheus metrics, when `metrics` is given. */
  public readonly metricsPort?: number;
  /** The PodMonitor `<name>` scraping the runs' pods while they run, when `metrics` is given. */
  public readonly podMonitor?: ApiObject;
  /** The CronJob. */
  public readonly cronJob: ApiObject;
  /** The job's own ServiceAccount. */
  public readonly serviceAccount: ApiObject;
  /** The ConfigMap `<name>-config`, when `config` is given. */
  public readonly configMap?: ApiObject;
  /** The ConfigMap `<name>-files`, when `files` is given. */
  public readonly filesConfigMap?: ApiObject;

  constructor(scope: Construct, id: string, props: ScheduledJobProps) {
    super(scope, id);
    Object.defineProperty(this, SCHEDULED_JOB_BRAND, { value: true });
    // before the schema (which would only call them unknown options): why a job has neither
    if (typeof props === 'object' && props !== null && hasOwn(props, 'replicas')) {
      throw propError(this, 'replicas', (props as { replicas?: unknown }).replicas, 'a ScheduledJob runs one pod per run (retried up to backoffLimit); remove replicas');
    }
    if (typeof props === 'object' && props !== null && hasOwn(props, 'disruptionBudget')) {
      throw propError(this, 'disruptionBudget', (props as { disruptionBudget?: unknown }).disruptionBudget,
        'a ScheduledJob runs to completion and has no PodDisruptionBudget; remove it (bound a run with activeDeadlineSeconds instead)');
    }
    validateProps(this, 'ScheduledJobProps', props);
    const { workload, hasPort } = resolveOptionalPortWorkload(this, { ...props, topologySpread: props.topologySpread ?? false }, 'ScheduledJob');
    if (workload.name.length > MAX_NAME_LENGTH) {
      throw propError(this, 'name', workload.name, `must be at most ${MAX_NAME_LENGTH} characters: each run's Job is named "<name>-<11 digits>", which must fit in 63`);
    }
    claimName(this, 'name', 'CronJob', workload.name);
    const image = checkPinnedImage(this, 'image', props.image);
    this.schedule = checkCronSchedule(this, 'schedule', props.schedule);
    this.timeZone = checkTimeZone(this, 'timeZone', props.timeZone ?? 'UTC');
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
    const identity = { name: workload.name, instance: workload.name, component: 'job', partOf: workload.partOf, version: imageVersionLabel(image) };

    this.name = workload.name;
    this.namespace = namespaceOf(this);
    this.port = hasPort ? workload.port : undefined;
    this.containerPorts = workload.ports.map(p => p.port);
    this.portNames = Object.fromEntries(workload.ports.map(p => [p.name, p.port]));
    this.image = props.image;
    const labels = recommendedLabels(identity);
    this.selector = selectorLabels(identity);
    this.serviceAccountName = workload.serviceAccountName;

    const { env, resources, serviceAccount, configMap, configMapName, filesConfigMap } = createWorkloadSupport(this, workload, props, labels);
    this.serviceAccount = serviceAccount;
    this.configMap = configMap;
    this.filesConfigMap = filesConfigMap;

    const template = buildJobTemplate(this, {
      workload,
      image: props.image,
      env,
      resources,
      labels,
      selector: this.selector,
      configMapName,
    });
    this.cronJob = createCronJob(this, 'CronJob', {
      name: workload.name,
      labels,
      template,
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
    });
    this.metricsPort = workload.metrics?.port;
    if (workload.metrics) {
      this.podMonitor = monitorWorkload(this, {
        name: workload.name, labels, selector: this.selector, metrics: workload.metrics, appPort: hasPort ? workload.port : 0, hasService: false,
      });
    }
  }

  private startingDeadline(value: number | undefined): number | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < MIN_STARTING_DEADLINE) {
      throw propError(this, 'startingDeadlineSeconds', value, `must be at least ${MIN_STARTING_DEADLINE}: the CronJob controller checks its schedules every 10 seconds, so a shorter deadline can skip runs that were on time; set it to ${MIN_STARTING_DEADLINE} or more, or leave it out`);
    }
    return checkInteger(this, 'startingDeadlineSeconds', value, MIN_STARTING_DEADLINE);
  }
}
