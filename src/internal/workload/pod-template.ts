import { extraContainerJson, ResolvedContainer } from './containers';
import { EnvVarJson } from './env';
import { FILES_VOLUME } from './files';
import { CHECKSUM_CONFIG, CHECKSUM_FILES } from './pod-metadata';
import { ContainerResources } from './resources';
import { containerSecurityContext } from './security-context';
import { VolumeJson, VolumeMountJson } from './volumes';
import { ResolvedWorkload, writableVolumeNames } from './workload';
import { contentChecksum } from '../core/checksum';
import { lazy } from '../core/lazy';
import { CHECKSUM_EXTERNAL_SECRETS } from '../supply-chain/external-secrets';

/** What a pod template needs beyond the shared workload options. */
export interface PodTemplateInput {
  readonly workload: ResolvedWorkload;
  readonly image: string;
  readonly env: EnvVarJson[];
  readonly resources: ContainerResources;
  /** The library's labels of the pods (the workload's `podLabels` are added to them). */
  readonly labels: Record<string, string>;
  /** The labels that select these pods (a subset of `labels`), used to spread them. */
  readonly selector: Record<string, string>;
  /** Name of the ConfigMap the container reads its environment from, if any. */
  readonly configMapName?: string;
  /** More annotations of the pod template, beside `podAnnotations` and the checksums. */
  readonly annotations?: Record<string, string>;
  /**
   * Annotations decided at synthesis, once every construct exists (what the namespace's
   * SecureNamespace says about the mesh), written after the others.
   * @default - none
   */
  readonly lateAnnotations?: () => Record<string, string>;
  /** Volumes beside the workload's (e.g. a controller's own). */
  readonly extraVolumes?: readonly VolumeJson[];
  /** Mounts of the main container beside the workload's (e.g. a StatefulSet's claim template `data`). */
  readonly extraVolumeMounts?: readonly VolumeMountJson[];
  /** The pod's restart policy: Jobs need `Never` or `OnFailure`. @default - not written (Always) */
  readonly restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  /**
   * Run the sidecars as native sidecars: init containers with `restartPolicy: Always`, after the
   * workload's init containers, which the kubelet stops once the regular containers have exited
   * (a Job's pod completes). Needs Kubernetes 1.29 (SidecarContainers, beta and on by default).
   * @see https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/
   * @default false - the sidecars are regular containers
   */
  readonly nativeSidecars?: boolean;
}

/**
 * Builds a hardened pod template that meets the Pod Security Standards restricted profile:
 * non-root numeric user, no privilege escalation, every capability dropped, RuntimeDefault
 * seccomp, read-only root filesystem with `emptyDir` mounts for the writable paths, and no
 * service-account token unless asked. Init containers and sidecars get the main container's
 * securityContext. Any pod controller (Deployment, StatefulSet, Job…) can use it.
 */
export function buildPodTemplate(input: PodTemplateInput): Record<string, unknown> {
  const { workload } = input;
  const writable = writableVolumeNames(workload.writablePaths);
  const volumes: VolumeJson[] = [
    ...writable.map(name => ({ name, emptyDir: {} })),
    ...workload.volumes.map(v => v.volume),
    ...(workload.filesConfigMapName ? [{ name: FILES_VOLUME, configMap: { name: workload.filesConfigMapName } }] : []),
    ...(input.extraVolumes ?? []),
  ];
  const mounts: VolumeMountJson[] = [
    ...workload.writablePaths.map((mountPath, index) => ({ name: writable[index], mountPath })),
    ...workload.volumes.map(v => v.mount),
    ...(workload.files?.mounts ?? []),
    ...(input.extraVolumeMounts ?? []),
  ];
  const envFrom = [...(input.configMapName ? [{ configMapRef: { name: input.configMapName } }] : []), ...workload.envFrom];
  const container: Record<string, unknown> = {
    name: workload.containerName,
    image: input.image,
    imagePullPolicy: workload.imagePullPolicy,
    command: workload.command,
    args: workload.args,
    ports: workload.mainPorts.length > 0 ? workload.mainPorts.map(p => ({ name: p.name, containerPort: p.port, protocol: 'TCP' })) : undefined,
    env: input.env.length > 0 ? input.env : undefined,
    envFrom: envFrom.length > 0 ? envFrom : undefined,
    resources: input.resources,
    ...workload.probes,
    lifecycle: workload.lifecycle.lifecycle,
    securityContext: containerSecurityContext(workload.readOnlyRootFilesystem),
    volumeMounts: mounts.length > 0 ? mounts : undefined,
  };
  const json = (c: ResolvedContainer) => extraContainerJson(c, workload.readOnlyRootFilesystem);
  const sidecars = workload.sidecars.map(c => (input.nativeSidecars ? { name: c.name, restartPolicy: 'Always', ...json(c) } : json(c)));
  const initContainers = [...workload.initContainers.map(json), ...(input.nativeSidecars ? sidecars : [])];
  return {
    metadata: { labels: { ...workload.podLabels, ...input.labels }, annotations: podAnnotations(input) },
    spec: {
      serviceAccountName: workload.serviceAccountName,
      automountServiceAccountToken: workload.automountToken,
      enableServiceLinks: false,
      restartPolicy: input.restartPolicy,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: workload.runAsUser,
        runAsGroup: workload.runAsUser,
        fsGroup: workload.runAsUser,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      priorityClassName: workload.priorityClassName,
      imagePullSecrets: workload.imagePullSecrets,
      hostAliases: workload.hostAliases,
      nodeSelector: workload.nodeSelector,
      tolerations: workload.tolerations,
      affinity: workload.affinity,
      terminationGracePeriodSeconds: workload.lifecycle.terminationGracePeriodSeconds,
      initContainers: initContainers.length > 0 ? initContainers : undefined,
      containers: [container, ...(input.nativeSidecars ? [] : sidecars)],
      volumes: volumes.length > 0 ? volumes : undefined,
      topologySpreadConstraints: workload.topologySpread ? spreadConstraints(input.selector) : undefined,
    },
  };
}

/**
 * `podAnnotations`, the caller's annotations and the checksums that roll the pods when `config`,
 * `files` or the ExternalSecrets the containers read change (the last computed at synthesis, as
 * ExternalSecrets may be created after the workload).
 */
function podAnnotations(input: PodTemplateInput): Record<string, string> | undefined {
  const { workload } = input;
  const annotations: Record<string, string> = { ...workload.podAnnotations, ...input.annotations };
  if (workload.config) annotations[CHECKSUM_CONFIG] = contentChecksum(workload.config);
  if (workload.files) annotations[CHECKSUM_FILES] = contentChecksum(workload.files.data);
  const secrets = workload.externalSecretsChecksum;
  const late = input.lateAnnotations;
  if (secrets || late) {
    return lazy(() => {
      const checksum = secrets?.();
      const all = { ...annotations, ...(checksum === undefined ? {} : { [CHECKSUM_EXTERNAL_SECRETS]: checksum }), ...late?.() };
      return Object.keys(all).length > 0 ? all : undefined;
    });
  }
  return Object.keys(annotations).length > 0 ? annotations : undefined;
}

function spreadConstraints(selector: Record<string, string>): Array<Record<string, unknown>> {
  return ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map(topologyKey => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: selector },
  }));
}
