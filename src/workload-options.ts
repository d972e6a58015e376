import { AppProtocol, ResourceRequirements, SecretKeyRef } from './container-basics';
import { ContainerOptions, ContainerPort, EnvFromSource, PreStopOptions, VolumeMount } from './container-options';
import { MetricsOptions } from './metrics-options';
import { Affinity, Toleration } from './scheduling-options';


/**
 * A gRPC health check: the standard gRPC Health Checking Protocol (`grpc.health.v1.Health/Check`)
 * on the probe's port, without TLS.
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#define-a-grpc-liveness-probe
 */
export interface GrpcProbeOptions {
  /**
   * The service name sent in the health check request (the server answers for that service).
   * @default - the server's overall health (the empty service name)
   */
  readonly service?: string;
}

/**
 * A health check. With `path` it is an HTTP GET, with `command` an exec probe, with `grpc` a gRPC
 * health check, with none of them a TCP connection to the port.
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
 */
export interface ProbeOptions {
  /**
   * HTTP path to GET; it must start with `/`.
   * @default - no HTTP check (TCP, or exec when `command` is given)
   */
  readonly path?: string;
  /**
   * Port to probe: a number, or the name of a port of the main container (`'http'`-like name of
   * the main port, or one declared in `ports`).
   * @default - the app's port
   */
  readonly port?: number | string;
  /**
   * Command to run in the container; exit code 0 is healthy.
   * @default - no exec check
   */
  readonly command?: string[];
  /**
   * Check health with the gRPC Health Checking Protocol on `port` (Kubernetes' `grpc` probe, GA
   * since 1.27): `true` for the server's overall health, or `{ service }` for one service.
   * Not with `path` or `command`.
   * @see https://github.com/grpc/grpc/blob/master/doc/health-checking.md
   * @default - no gRPC check
   */
  readonly grpc?: true | GrpcProbeOptions;
  /**
   * Headers sent with the HTTP GET of `path` (name → value), e.g. `{ Host: 'shop.example.com' }`.
   * Only with `path`.
   * @default - none
   */
  readonly httpHeaders?: Record<string, string>;
  /**
   * Seconds after the container starts before the first probe.
   * @default 0 (readiness, startup), 10 (liveness)
   */
  readonly initialDelaySeconds?: number;
  /**
   * Seconds between probes.
   * @default 10
   */
  readonly periodSeconds?: number;
  /**
   * Consecutive failures before the probe is considered failed.
   * @default 3 (readiness), 6 (liveness), 30 (startup: five minutes to start)
   */
  readonly failureThreshold?: number;
  /**
   * Seconds before a probe attempt times out.
   * @default 1
   */
  readonly timeoutSeconds?: number;
}

/** A probe: a path string (HTTP GET on the app's port), full options, or `false` for none. */
export type ProbeSetting = string | ProbeOptions | false;

/**
 * The container's health checks.
 */
export interface Probes {
  /**
   * When the pod receives traffic. The default works for any TCP or HTTP service; give a
   * health path for a precise check.
   * @default - a TCP connection to the app's port every 10 s
   */
  readonly readiness?: ProbeSetting;
  /**
   * When the container is restarted. The default restarts a container whose port stops
   * accepting connections for a minute.
   * @default - a TCP connection to the app's port every 10 s, failing after 6 attempts
   */
  readonly liveness?: ProbeSetting;
  /**
   * Holds off the other probes while a slow container starts.
   * @default - none
   */
  readonly startup?: ProbeSetting;
}


/** The workload's own ServiceAccount. */
export interface ServiceAccountOptions {
  /**
   * Name of the ServiceAccount the library creates for the workload.
   * @default - the workload's name
   */
  readonly name?: string;
  /**
   * Mount the API token into the pods. Off by default: most apps never call the Kubernetes
   * API, and a mounted token is a credential an attacker can use.
   * @default false
   */
  readonly automountToken?: boolean;
  /**
   * Let the pods reach the Kubernetes API server (needs `automountToken: true`): an egress
   * NetworkPolicy `<name>-to-api-server`, written once the namespace denies egress by default.
   * The API server is not a pod, so NetworkPolicies reach it by address: give the CIDR of its
   * endpoints (`kubectl get endpoints kubernetes -n default`) and their port.
   * @default - no egress to the API server
   */
  readonly apiServer?: ApiServerEndpoint;
}

/** Where the Kubernetes API server's endpoints are (what NetworkPolicies see, after the Service). */
export interface ApiServerEndpoint {
  /** CIDR block covering the API server endpoints, e.g. `10.0.0.10/32` or the control plane's subnet. */
  readonly cidr: string;
  /**
   * Port of the endpoints: 443 on most managed clusters, 6443 on kubeadm clusters.
   * @default 443
   */
  readonly port?: number;
}

/**
 * The PodDisruptionBudget. Give at most one of the two; numbers or percentages (`'50%'`).
 * @see https://kubernetes.io/docs/concepts/workloads/pods/disruptions/
 */
export interface DisruptionBudgetOptions {
  /**
   * Pods that must stay available during voluntary disruptions (drains, upgrades).
   * @default - not set; `maxUnavailable` is used
   */
  readonly minAvailable?: number | string;
  /**
   * Pods that may be unavailable at once during voluntary disruptions.
   * @default 1
   */
  readonly maxUnavailable?: number | string;
}


/**
 * When Kubernetes pulls the container image.
 * @see https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy
 */
export type ImagePullPolicy = 'Always' | 'IfNotPresent' | 'Never';

/**
 * Rollout settings of a pod controller that every kind of them has (a Deployment, a StatefulSet,
 * an Argo Rollouts Rollout; a CronJob has neither).
 */
export interface PodControllerOptions {
  /**
   * Seconds a new pod must be ready, without a container crashing, before it counts as available
   * (and the rollout moves on).
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#min-ready-seconds
   * @default - Kubernetes' 0
   */
  readonly minReadySeconds?: number;
  /**
   * Old revisions kept for rollbacks (ReplicaSets of a Deployment or Rollout, ControllerRevisions
   * of a StatefulSet).
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#revision-history-limit
   * @default 5
   */
  readonly revisionHistoryLimit?: number;
}

/** Rollout settings of a Deployment (and an Argo Rollouts Rollout), beyond every controller's. */
export interface DeploymentOptions extends PodControllerOptions {
  /**
   * Seconds a rollout may make no progress before the controller reports it failed
   * (`ProgressDeadlineExceeded`); must exceed `minReadySeconds`.
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#progress-deadline-seconds
   * @default - Kubernetes' 600
   */
  readonly progressDeadlineSeconds?: number;
}

/**
 * Options shared by every hardened HTTP workload of this library (`WebApp`, `CanaryRelease`).
 */
export interface WorkloadOptions {
  /**
   * Name of the objects (Deployment, Service, ServiceAccount…); a DNS-1035 label.
   * Other workloads reach the app at `http://<name>:<servicePort>`.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The name of the main container (what `kubectl logs` and `kubectl exec -c` name).
   * @default - the workload's name
   */
  readonly containerName?: string;
  /**
   * When the kubelet pulls the main container's image. With pinned images the default pulls
   * once per node; `Always` re-checks the registry at every start (a digest never changes).
   * @default - Kubernetes' default: IfNotPresent for a tag, as for a digest
   */
  readonly imagePullPolicy?: ImagePullPolicy;
  /**
   * The container port the app listens on.
   * @default 8080
   */
  readonly port?: number;
  /**
   * The port the Service exposes (it forwards to `port`).
   * @default - the same as `port`
   */
  readonly servicePort?: number;
  /**
   * The protocol the app speaks on its port. It names the ports and sets `appProtocol`, which
   * Istio uses to pick HTTP or TCP routing.
   * @default 'http' ('tcp' for a `StatefulApp` without `route`: a database speaks its own protocol)
   */
  readonly appProtocol?: AppProtocol;
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
   * Configuration written to a ConfigMap `<name>-config` and given to the container as
   * environment variables. A checksum of it on the pod template rolls the pods when it changes.
   * @default - no ConfigMap
   */
  readonly config?: Record<string, string>;
  /**
   * CPU and memory requests and limits. A request and a memory limit are always set.
   * @default - cpu request 100m without limit; memory request and limit 256Mi
   */
  readonly resources?: ResourceRequirements;
  /**
   * Readiness, liveness and startup probes.
   * @default - TCP readiness and liveness on the app's port, no startup probe
   */
  readonly probes?: Probes;
  /**
   * The PodDisruptionBudget, or `false` for none. A budget exists only when the app can have two
   * or more pods: with one replica it would block every node drain.
   * @default - `maxUnavailable: 1` when the app can have two or more pods
   */
  readonly disruptionBudget?: false | DisruptionBudgetOptions;
  /**
   * The workload's own ServiceAccount.
   * @default - a ServiceAccount named like the app, with no token mounted
   */
  readonly serviceAccount?: ServiceAccountOptions;
  /**
   * Absolute paths the container may write to, each an `emptyDir` volume. Everything else is
   * read-only (see `readOnlyRootFilesystem`). Giving a list replaces the default.
   * @default ['/tmp']
   */
  readonly writablePaths?: string[];
  /**
   * Mount the container's root filesystem read-only. On by default: an attacker who gets code
   * execution cannot alter the binaries or drop tools. Turn off only for images that write
   * outside `writablePaths` and cannot be fixed.
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * The numeric user (and group) the container runs as. A number lets the kubelet prove the
   * `runAsNonRoot` rule even for images whose USER is a name; 0 (root) is not allowed.
   * @default 10001
   */
  readonly runAsUser?: number;
  /**
   * Spread the pods across zones and nodes (`ScheduleAnyway`, so it never blocks scheduling),
   * so that one zone or node failure does not take every replica down.
   * @default true
   */
  readonly topologySpread?: boolean;
  /**
   * The higher-level application this workload belongs to (`app.kubernetes.io/part-of`).
   * @default - the chart's namespace when it has one
   */
  readonly partOf?: string;
  /**
   * The main container's entrypoint (replaces the image's ENTRYPOINT).
   * @default - the image's entrypoint
   */
  readonly command?: string[];
  /**
   * Arguments of the entrypoint (replace the image's CMD).
   * @default - the image's CMD
   */
  readonly args?: string[];
  /**
   * Named container ports beyond `port` (metrics, admin, gRPC…), exposed on the Service unless
   * `expose: false`. Probes and `NetworkPolicyBundle.allow()` may name them.
   * @default - only `port`
   */
  readonly ports?: ContainerPort[];
  /**
   * Environment variables read from every key of Secrets or ConfigMaps (after `config`'s).
   * @default - none
   */
  readonly envFrom?: EnvFromSource[];
  /**
   * Volumes by name (a DNS-1123 label), each mounted into the main container at its `mountPath`
   * and into the init containers and sidecars that list it in `mounts`.
   * @default - none (besides `writablePaths` and `files`)
   */
  readonly volumes?: Record<string, VolumeMount>;
  /**
   * Files by absolute path → content, written to a ConfigMap `<name>-files` and mounted read-only
   * file by file (the rest of each folder stays as the image has it). A checksum of the content
   * on the pod template rolls the pods when a file changes.
   * @default - no files
   */
  readonly files?: Record<string, string>;
  /**
   * Containers run to completion, in order, before the main container starts (migrations,
   * fetching data). Hardened like the main container.
   * @default - none
   */
  readonly initContainers?: ContainerOptions[];
  /**
   * Containers running beside the main container for the pod's lifetime (proxies, log shippers).
   * Hardened like the main container.
   * @default - none
   */
  readonly sidecars?: ContainerOptions[];
  /**
   * Node labels a node must carry to run the pods.
   * @see https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodeselector
   * @default - any node
   */
  readonly nodeSelector?: Record<string, string>;
  /**
   * Taints the pods tolerate.
   * @see https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/
   * @default - none
   */
  readonly tolerations?: Toleration[];
  /**
   * Node and pod (anti-)affinity, in the Kubernetes shape.
   * @see https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#affinity-and-anti-affinity
   * @default - none (see `topologySpread`)
   */
  readonly affinity?: Affinity;
  /**
   * Entries added to the pods' `/etc/hosts`: an IP address → the hostnames it answers to (a
   * service outside the cluster known by name only, without a DNS record). Every container of
   * the pod reads them.
   * @see https://kubernetes.io/docs/tasks/network/customize-hosts-file-for-pods/
   * @example { '10.0.0.5': ['legacy.internal', 'legacy'] }
   * @default - no entries beside the pod's own
   */
  readonly hostAliases?: Record<string, string[]>;
  /**
   * The PriorityClass of the pods.
   * @see https://kubernetes.io/docs/concepts/scheduling-eviction/pod-priority-preemption/
   * @default - the cluster's default priority
   */
  readonly priorityClassName?: string;
  /**
   * Names of `kubernetes.io/dockerconfigjson` Secrets used to pull private images.
   * @see https://kubernetes.io/docs/tasks/configure-pod-container/pull-image-private-registry/
   * @default - none (the ServiceAccount's, or the node's credentials)
   */
  readonly imagePullSecrets?: string[];
  /**
   * Annotations of the pods (not of the Deployment), e.g. for Vault. Not those the platform owns:
   * the library's `checksum/*`, Istio's `sidecar.istio.io/inject`, `istio.io/rev` and inbound
   * capture (`traffic.sidecar.istio.io/excludeInboundPorts`, `includeInboundPorts`).
   * @default - only the library's checksum annotations
   */
  readonly podAnnotations?: Record<string, string>;
  /**
   * Extra labels of the pods. Not those the platform owns: the recommended `app.kubernetes.io/*`
   * labels and the library's `cloudnative-constructs.io/*` (which select the pods), Istio's
   * `sidecar.istio.io/inject`, `istio.io/rev`, `service.istio.io/canonical-name` and
   * `service.istio.io/canonical-revision`, and the labels Argo Rollouts and Kubernetes' controllers
   * write (`rollouts-pod-template-hash`, `pod-template-hash`, `controller-revision-hash`…).
   * @default - only the library's labels
   */
  readonly podLabels?: Record<string, string>;
  /**
   * Seconds the pods get between SIGTERM (after `preStop`) and SIGKILL; must exceed a
   * `preStop` sleep.
   * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination
   * @default - Kubernetes' 30 s
   */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * What runs before the main container receives SIGTERM. Behind a load balancer or Ingress, use
   * `{ sleepSeconds: 5 }` (5–10 s) so endpoint removal reaches every proxy before the app stops
   * accepting connections; the sleep needs a `sleep` binary in the image.
   * @default - none: SIGTERM is sent at once
   */
  readonly preStop?: PreStopOptions;
  /**
   * Prometheus metrics the app serves: the named port, and a `ServiceMonitor` (a `PodMonitor`
   * for a workload without a Service) that has the Prometheus Operator scrape it.
   * `NetworkPolicyBundle.allowMonitoring` then opens exactly that port from the monitoring
   * namespace; in a STRICT mTLS namespace that port alone accepts plain text.
   * @default - no metrics port and no monitor
   */
  readonly metrics?: MetricsOptions;
}
