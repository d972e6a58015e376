/**
 * Workload options a construct's controller does not have, and why: the props validator says so
 * when plain JavaScript passes one (TypeScript does not offer them).
 */
export const UNSUPPORTED_OPTIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  StatefulAppProps: {
    progressDeadlineSeconds: 'a StatefulSet has no progress deadline (only Deployments and Rollouts report ProgressDeadlineExceeded); remove it',
  },
  ScheduledJobProps: {
    replicas: 'a ScheduledJob runs one pod per run (retried up to backoffLimit); remove replicas',
    disruptionBudget: 'a ScheduledJob runs to completion and has no PodDisruptionBudget; remove it (bound a run with activeDeadlineSeconds instead)',
    minReadySeconds: 'a CronJob\'s pods run to completion and are never "available"; remove it',
    progressDeadlineSeconds: 'a CronJob has no rollout to time out; bound each run with activeDeadlineSeconds instead',
    revisionHistoryLimit: 'a CronJob keeps no revisions; keep finished Jobs with successfulJobsHistoryLimit and failedJobsHistoryLimit instead',
  },
};
