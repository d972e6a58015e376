import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { buildPodTemplate, PodTemplateInput } from './pod-template';
import { registerPodTemplate } from './pod-templates';
import { PodTemplateJson } from './replicated-pods';
import { claimName, namespaceOf } from '../core/name-registry';
import { NamespacePolicies } from '../network/namespace-policies';

/**
 * Istio's pod annotation that injects its proxy as a native sidecar (an init container with
 * `restartPolicy: Always`), whatever the mesh-wide `ENABLE_NATIVE_SIDECARS` says (Istio 1.24+).
 * @see https://istio.io/latest/docs/reference/config/annotations/
 */
export const ISTIO_NATIVE_SIDECAR = 'sidecar.istio.io/nativeSidecar';

/**
 * The hardened pod template of a job: the shared template with `restartPolicy: Never` (a failed
 * run is retried by the Job with a new pod, so each attempt's logs are kept, rather than
 * restarted in place) and its sidecars as native sidecars, so that the pod completes once the
 * main container exits: a Job completes when its pod's regular containers have, and the kubelet
 * then stops native sidecars, while a regular sidecar container would keep the pod running
 * forever. The Istio proxy is asked to be injected the same way, unless the namespace's
 * `SecureNamespace` says its pods get no sidecars (decided at synthesis, whichever construct
 * comes first).
 * @see https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/#jobs-with-sidecar-containers
 */
export function buildJobTemplate(scope: IConstruct, input: Omit<PodTemplateInput, 'restartPolicy' | 'nativeSidecars' | 'lateAnnotations'>): PodTemplateJson {
  const policies = NamespacePolicies.of(scope, namespaceOf(scope));
  return buildPodTemplate({
    ...input,
    restartPolicy: 'Never',
    nativeSidecars: true,
    lateAnnotations: (): Record<string, string> => (policies.meshSettings?.sidecars === false ? {} : { [ISTIO_NATIVE_SIDECAR]: 'true' }),
  });
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

/** When and how a CronJob's runs start and end, and how many finished Jobs it keeps. */
export type CronJobPolicy = Omit<CronJobInput, 'name' | 'labels' | 'template'>;

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
