import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { buildPodTemplate, PodTemplateInput } from './pod-template';
import { registerPodTemplate } from './pod-templates';
import { PodTemplateJson } from './workload-pods';
import { claimName } from '../core/name-registry';

/**
 * The hardened pod template of a job: the shared template with `restartPolicy: Never` (a failed
 * run is retried by the Job with a new pod, so each attempt's logs are kept, rather than
 * restarted in place).
 */
export function buildJobTemplate(input: Omit<PodTemplateInput, 'restartPolicy'>): PodTemplateJson {
  return buildPodTemplate({ ...input, restartPolicy: 'Never' });
}

/** What a CronJob needs. */
export interface CronJobInput {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly template: PodTemplateJson;
  readonly schedule: string;
  readonly timeZone: string;
  readonly concurrencyPolicy: string;
  readonly suspend: boolean;
  readonly startingDeadlineSeconds?: number;
  readonly successfulJobsHistoryLimit: number;
  readonly failedJobsHistoryLimit: number;
  readonly backoffLimit: number;
  readonly activeDeadlineSeconds?: number;
  readonly ttlSecondsAfterFinished?: number;
}

/** Creates a batch/v1 CronJob running the template on the schedule. */
export function createCronJob(scope: Construct, id: string, input: CronJobInput): ApiObject {
  claimName(scope, 'name', 'CronJob', input.name);
  const cronJob = new ApiObject(scope, id, {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: input.name, labels: input.labels },
    spec: {
      schedule: input.schedule,
      timeZone: input.timeZone,
      concurrencyPolicy: input.concurrencyPolicy,
      startingDeadlineSeconds: input.startingDeadlineSeconds,
      suspend: input.suspend,
      successfulJobsHistoryLimit: input.successfulJobsHistoryLimit,
      failedJobsHistoryLimit: input.failedJobsHistoryLimit,
      jobTemplate: {
        metadata: { labels: input.labels },
        spec: {
          backoffLimit: input.backoffLimit,
          activeDeadlineSeconds: input.activeDeadlineSeconds,
          ttlSecondsAfterFinished: input.ttlSecondsAfterFinished,
          template: input.template,
        },
      },
    },
  });
  registerPodTemplate(cronJob, input.template);
  return cronJob;
}
