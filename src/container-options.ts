import { AppProtocol, ResourceRequirements, SecretKeyRef } from './container-basics';
import type { ExternalSecret } from './external-secret';

/**
 * A named container port beyond the workload's main `port` (metrics, admin, gRPC…). Probes,
 * `NetworkPolicyBundle.allow()` and `metrics` may name it.
 * @see https://kubernetes.io/docs/concepts/services-networking/service/#multi-port-services
 */
export interface ContainerPort {
  /**
   * Name of the port on the container and on the Service: an IANA service name (at most 15
   * lowercase letters, digits and '-', with at least one letter, no '--', not starting or
   * ending with '-'), unique in the pod.
   * @example 'metrics'
   */
  readonly name: string;
  /** The container port number (1–65535), unique in the pod. */
  readonly port: number;
  /**
   * The protocol spoken on the port: the Service port's `appProtocol` (Istio routes by it);
   * `'tcp'` writes none (Istio then reads the protocol from the port's name).
   * @see https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/
   * @default - the protocol the name starts with, as Istio reads port names (`grpc`, `http2`,
   * `http`; `'tcp'` for `https`, `tls`, `tcp`, `mongo`, `mysql`, `redis`), else the workload's
   * default: `'tcp'` for a `StatefulApp` without `route`, `'http'` for the others
   */
  readonly appProtocol?: AppProtocol;
  /**
   * Add the port to the workload's Service (as `<name>`, on the same number). Turn off for ports
   * only the pod itself or a scraper reaching pods directly uses.
   * @default true
   */
  readonly expose?: boolean;
}

/**
 * Size and medium of an `emptyDir` volume.
 * @see https://kubernetes.io/docs/concepts/storage/volumes/#emptydir
 */
export interface EmptyDirOptions {
  /**
   * Most space the volume may use, a Kubernetes quantity (`'1Gi'`); the pod is evicted beyond it.
   * @default - no limit (the node's ephemeral storage)
   */
  readonly sizeLimit?: string;
  /**
   * Back the volume with memory (tmpfs) instead of the node's disk; it counts against the
   * container's memory limit.
   * @default false
   */
  readonly memory?: boolean;
}

/**
 * A volume mounted into the main container (and into the init containers and sidecars that list
 * it in `mounts`). Give exactly one source: `secret`, `configMap`, `claim` or `emptyDir`.
 * @see https://kubernetes.io/docs/concepts/storage/volumes/
 */
export interface VolumeMount {
  /** Absolute path the volume is mounted at; unique in the container (including `writablePaths` and `files`). */
  readonly mountPath: string;
  /**
   * Mount read-only. On by default for Secrets, ConfigMaps and claims: the app reads its
   * configuration and cannot alter it. An `emptyDir` is scratch space, writable by default.
   * @default true, or false for an emptyDir
   */
  readonly readOnly?: boolean;
  /**
   * Mount one file or folder of the volume instead of its root (a relative path). A Secret or
   * ConfigMap mounted by `subPath` is not updated when it changes (the pods must roll).
   * @default - the whole volume
   */
  readonly subPath?: string;
  /**
   * A Secret in the workload's namespace, mounted as one file per key: its name, or the
   * {@link ExternalSecret} that writes it.
   * @default - not a Secret volume
   */
  readonly secret?: string | ExternalSecret;
  /**
   * Name of an existing ConfigMap in the workload's namespace, mounted as one file per key.
   * @default - not a ConfigMap volume
   */
  readonly configMap?: string;
  /**
   * Name of an existing PersistentVolumeClaim in the workload's namespace.
   * @default - not a claim
   */
  readonly claim?: string;
  /**
   * An empty folder that lives as long as the pod.
   * @default - not an emptyDir
   */
  readonly emptyDir?: EmptyDirOptions;
}

/**
 * Environment variables read from every key of a Secret or a ConfigMap. Give exactly one of
 * `secret` and `configMap`. Variables set in `env` or `secretEnv` win over these.
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-pod-configmap/#configure-all-key-value-pairs-in-a-configmap-as-container-environment-variables
 */
export interface EnvFromSource {
  /**
   * A Secret in the workload's namespace: its name, or the {@link ExternalSecret} that writes it.
   * @default - not a Secret
   */
  readonly secret?: string | ExternalSecret;
  /**
   * Name of a ConfigMap in the workload's namespace.
   * @default - not a ConfigMap
   */
  readonly configMap?: string;
  /**
   * Prefix added to every variable name (e.g. `'DB_'`).
   * @default - no prefix
   */
  readonly prefix?: string;
}

/**
 * An init container or a sidecar. It gets exactly the hardening of the main container (Pod
 * Security Standards restricted, read-only root filesystem, cpu and memory requests and a memory
 * limit, pinned image) and the same validation.
 * @see https://kubernetes.io/docs/concepts/workloads/pods/init-containers/
 */
export interface ContainerOptions {
  /** Container name (a DNS-1123 label), unique in the pod and different from the main container's (the workload's name). */
  readonly name: string;
  /** The container image, pinned by a release tag (with a version number, not a channel such as `latest`, `stable` or `lts`) or a digest. */
  readonly image: string;
  /**
   * The entrypoint (replaces the image's ENTRYPOINT).
   * @default - the image's entrypoint
   */
  readonly command?: string[];
  /**
   * Arguments of the entrypoint (replace the image's CMD).
   * @default - the image's CMD
   */
  readonly args?: string[];
  /**
   * Plain environment variables.
   * @default - none
   */
  readonly env?: Record<string, string>;
  /**
   * Environment variables read from Secrets: variable name → `{ secret, key }`.
   * @default - none
   */
  readonly secretEnv?: Record<string, SecretKeyRef>;
  /**
   * CPU and memory requests and limits, with the main container's defaults.
   * @default - cpu request 100m without limit; memory request and limit 256Mi
   */
  readonly resources?: ResourceRequirements;
  /**
   * Ports a sidecar listens on (exposed on the Service unless `expose: false`); init containers
   * serve nothing and take none.
   * @default - none
   */
  readonly ports?: ContainerPort[];
  /**
   * Names of the workload's `volumes` to mount, each at its `mountPath`, or of the emptyDir of
   * one of its `writablePaths` (`tmp` for `/tmp`, `var-cache` for `/var/cache`), shared with the
   * main container.
   * @default - none
   */
  readonly mounts?: string[];
}

/**
 * Sleep before the container receives SIGTERM, so that load balancers and kube-proxy stop sending
 * new requests first. Runs `sleep <sleepSeconds>` in the container: the image needs a `sleep`
 * binary (busybox, coreutils); distroless and scratch images have none (Kubernetes 1.28 has no
 * built-in sleep hook; it came in 1.29 as alpha). Nothing is written, so it works with a read-only
 * root filesystem.
 * @see https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/
 */
export interface PreStopSleep {
  /** Seconds to sleep (1 or more): 5–10 lets endpoint removal reach every load balancer. */
  readonly sleepSeconds: number;
}

/** Run a command in the container before it receives SIGTERM (e.g. a graceful drain). */
export interface PreStopCommand {
  /** The command and its arguments, run without a shell. */
  readonly command: string[];
}

/** What runs before the main container is sent SIGTERM. */
export type PreStopOptions = PreStopSleep | PreStopCommand;
