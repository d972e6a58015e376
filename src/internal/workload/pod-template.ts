import { EnvVarJson } from './env';
import { ContainerResources } from './resources';
import { ResolvedWorkload, writableVolumeNames } from './workload';

/** What a pod template needs beyond the shared workload options. */
export interface PodTemplateInput {
  readonly workload: ResolvedWorkload;
  readonly image: string;
  readonly env: EnvVarJson[];
  readonly resources: ContainerResources;
  /** All labels of the pods. */
  readonly labels: Record<string, string>;
  /** The labels that select these pods (a subset of `labels`), used to spread them. */
  readonly selector: Record<string, string>;
  /** Name of the ConfigMap the container reads its environment from, if any. */
  readonly configMapName?: string;
  /** Annotations of the pod template (config checksum). */
  readonly annotations?: Record<string, string>;
}

/**
 * Builds a hardened pod template that meets the Pod Security Standards restricted profile:
 * non-root numeric user, no privilege escalation, every capability dropped, RuntimeDefault
 * seccomp, read-only root filesystem with `emptyDir` mounts for the writable paths, and no
 * service-account token unless asked.
 */
export function buildPodTemplate(input: PodTemplateInput): Record<string, unknown> {
  const { workload } = input;
  const volumes = writableVolumeNames(workload.writablePaths).map(name => ({ name, emptyDir: {} }));
  const container: Record<string, unknown> = {
    name: workload.name,
    image: input.image,
    ports: [{ name: workload.portName, containerPort: workload.port, protocol: 'TCP' }],
    env: input.env.length > 0 ? input.env : undefined,
    envFrom: input.configMapName ? [{ configMapRef: { name: input.configMapName } }] : undefined,
    resources: input.resources,
    ...workload.probes,
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: workload.readOnlyRootFilesystem,
      runAsNonRoot: true,
    },
    volumeMounts: volumes.length > 0
      ? workload.writablePaths.map((mountPath, index) => ({ name: volumes[index].name, mountPath }))
      : undefined,
  };
  return {
    metadata: { labels: input.labels, annotations: input.annotations },
    spec: {
      serviceAccountName: workload.serviceAccountName,
      automountServiceAccountToken: workload.automountToken,
      enableServiceLinks: false,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: workload.runAsUser,
        runAsGroup: workload.runAsUser,
        fsGroup: workload.runAsUser,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      containers: [container],
      volumes: volumes.length > 0 ? volumes : undefined,
      topologySpreadConstraints: workload.topologySpread ? spreadConstraints(input.selector) : undefined,
    },
  };
}

function spreadConstraints(selector: Record<string, string>): Array<Record<string, unknown>> {
  return ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map(topologyKey => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: selector },
  }));
}
