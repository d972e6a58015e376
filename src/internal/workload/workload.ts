import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { resolveExtraContainers, ResolvedContainer } from './containers';
import { resolveControllerOptions, ResolvedControllerOptions } from './controller-options';
import { EnvFromJson, resolveEnvFrom } from './env-from';
import { FILES_VOLUME, ResolvedFiles, resolveFiles } from './files';
import { HostAliasJson, resolveHostAliases } from './host-aliases';
import { resolveCommand, resolveLifecycle, ResolvedLifecycle } from './lifecycle';
import { resolvePodAnnotations, resolvePodLabels } from './pod-metadata';
import { APP_PROTOCOLS, PodPorts, ResolvedPort } from './ports';
import { ResolvedProbes, resolveProbes } from './probes';
import { resolveAffinity, resolveImagePullSecrets, resolveLabelMap, resolvePriorityClassName, resolveTolerations } from './scheduling';
import { checkDistinctMountPaths, normalisePath, ResolvedVolume, resolveVolumes } from './volumes';
import { AppProtocol } from '../../container-basics';
import { DeploymentOptions, ImagePullPolicy, WorkloadOptions } from '../../workload-options';
import { propError } from '../core/errors';
import { checkAbsolutePath, checkConfigKey, checkDnsLabel, checkEnvName, checkInteger, checkLabelValue, checkPort, checkResourceName, INT32_MAX } from '../core/validate';
import { ResolvedMetrics, resolveMetrics } from '../observability/metrics-options';
import { collectSecretReferences, externalSecretsChecksum, secretKeyProblems } from '../supply-chain/external-secrets';

/** The shared workload options after validation, with every default applied. */
export interface ResolvedWorkload {
  readonly name: string;
  /** The main container's name (`containerName`, by default the workload's). */
  readonly containerName: string;
  readonly imagePullPolicy?: ImagePullPolicy;
  /** The controller's rollout settings (those the workload's props type offers). */
  readonly controller: ResolvedControllerOptions;
  readonly port: number;
  readonly servicePort: number;
  readonly appProtocol: AppProtocol;
  /** Name of the container port and the Service port (the protocol, as Istio expects). */
  readonly portName: string;
  readonly probes: ResolvedProbes;
  readonly serviceAccountName: string;
  readonly automountToken: boolean;
  readonly writablePaths: readonly string[];
  readonly readOnlyRootFilesystem: boolean;
  readonly runAsUser: number;
  readonly topologySpread: boolean;
  readonly partOf?: string;
  readonly config?: Readonly<Record<string, string>>;
  /** Every container port of the pod: the main port first, then `ports`, then the sidecars'. */
  readonly ports: readonly ResolvedPort[];
  /** The main container's ports (the main port and `ports`). */
  readonly mainPorts: readonly ResolvedPort[];
  readonly command?: string[];
  readonly args?: string[];
  /** `envFrom` entries of the main container (after `config`'s ConfigMap). */
  readonly envFrom: readonly EnvFromJson[];
  readonly volumes: readonly ResolvedVolume[];
  readonly files?: ResolvedFiles;
  /** Name of the ConfigMap holding `files`, when given. */
  readonly filesConfigMapName?: string;
  readonly initContainers: readonly ResolvedContainer[];
  readonly sidecars: readonly ResolvedContainer[];
  readonly nodeSelector?: Record<string, string>;
  readonly tolerations?: ReadonlyArray<Record<string, unknown>>;
  readonly affinity?: Record<string, unknown>;
  readonly priorityClassName?: string;
  readonly hostAliases?: readonly HostAliasJson[];
  readonly imagePullSecrets?: ReadonlyArray<{ name: string }>;
  readonly podAnnotations?: Record<string, string>;
  readonly podLabels?: Record<string, string>;
  readonly lifecycle: ResolvedLifecycle;
  /** The metrics the pods serve, when `metrics` is given (their port is one of `ports`). */
  readonly metrics?: ResolvedMetrics;
  /**
   * The checksum of the ExternalSecrets whose Secrets the containers read, computed when the app
   * is synthesised (undefined when they read none).
   * @default - the containers read no Secret
   */
  readonly externalSecretsChecksum?: () => string | undefined;
}

const IMAGE_PULL_POLICIES: readonly ImagePullPolicy[] = ['Always', 'IfNotPresent', 'Never'];

/** What a pod controller adds to the pod itself, so that the shared options are checked against it. */
export interface WorkloadPodExtras {
  /** Volume names the controller writes itself (name → what uses it, for errors), e.g. a StatefulSet's claim template `data`. */
  readonly reservedVolumes?: ReadonlyMap<string, string>;
  /** Paths the controller mounts into the main container itself (path → the prop that mounts it). */
  readonly mountPaths?: ReadonlyArray<{ readonly path: string; readonly prop: string }>;
  /**
   * Whether the main container declares `port` (a `Worker` or `ScheduledJob` without a port
   * declares none; `port` then only names the default of probes, which such workloads check).
   * @default true
   */
  readonly mainPort?: boolean;
  /**
   * The `appProtocol` of the main port and of ports whose name names no protocol, unless given.
   * @default 'http'
   */
  readonly defaultAppProtocol?: AppProtocol;
}

/**
 * Validates the options every hardened workload shares and resolves their defaults once.
 * `extras` are the volumes and mounts the caller's controller adds to the pod (see
 * `PodTemplateInput.extraVolumes`), checked against the user's for clashes, and whether the
 * main container declares its port.
 */
export function resolveWorkloadOptions(scope: IConstruct, props: WorkloadOptions & DeploymentOptions,
  extras: WorkloadPodExtras = {}): ResolvedWorkload {
  const name = checkResourceName(scope, 'name', props.name ?? scope.node.id);
  const containerName = checkDnsLabel(scope, 'containerName', props.containerName ?? name);
  if (props.imagePullPolicy !== undefined && !IMAGE_PULL_POLICIES.includes(props.imagePullPolicy)) {
    throw propError(scope, 'imagePullPolicy', props.imagePullPolicy, `must be one of ${IMAGE_PULL_POLICIES.map(p => JSON.stringify(p)).join(', ')}`);
  }
  const port = checkPort(scope, 'port', props.port ?? 8080);
  const appProtocol = props.appProtocol ?? extras.defaultAppProtocol ?? 'http';
  if (!APP_PROTOCOLS.includes(appProtocol)) {
    throw propError(scope, 'appProtocol', appProtocol, `must be one of ${APP_PROTOCOLS.map(p => JSON.stringify(p)).join(', ')}`);
  }
  const runAsUser = checkInteger(scope, 'runAsUser', props.runAsUser ?? 10001, 1, INT32_MAX);
  const servicePort = checkPort(scope, 'servicePort', props.servicePort ?? port);
  const readOnlyRootFilesystem = props.readOnlyRootFilesystem ?? true;
  if (typeof readOnlyRootFilesystem !== 'boolean') throw propError(scope, 'readOnlyRootFilesystem', readOnlyRootFilesystem, 'must be true or false');

  const ports = new PodPorts(scope, extras.defaultAppProtocol);
  if (extras.mainPort ?? true) ports.addMain({ name: appProtocol, port, appProtocol, expose: true, container: containerName }, servicePort);
  ports.addList('ports', props.ports, containerName);

  const { writablePaths, files, volumes, mountable } = resolveStorage(scope, props, extras);
  const mainContainer = props.containerName === undefined ? 'the main container (named like the workload)' : 'the main container (containerName)';
  const containerNames = new Map([[containerName, mainContainer]]);
  const extra = { mainName: containerName, volumes: mountable, ports, names: containerNames };
  const initContainers = resolveExtraContainers(scope, 'initContainers', props.initContainers, extra);
  const sidecars = resolveExtraContainers(scope, 'sidecars', props.sidecars, extra);
  const { command, args } = resolveCommand(scope, props.command, props.args);
  // metrics name any port of the pod (a sidecar exporter's too), or add `metrics` to the main container
  const metrics = resolveMetrics(scope, props.metrics, ports, containerName, servicePort);
  const mainPorts = ports.all.filter(p => p.container === containerName);

  return {
    name,
    containerName,
    imagePullPolicy: props.imagePullPolicy,
    controller: resolveControllerOptions(scope, props),
    port,
    servicePort,
    appProtocol,
    portName: appProtocol,
    probes: resolveProbes(scope, 'probes', props.probes, port, mainPorts),
    serviceAccountName: checkResourceName(scope, 'serviceAccount.name', props.serviceAccount?.name ?? name),
    automountToken: props.serviceAccount?.automountToken ?? false,
    writablePaths,
    readOnlyRootFilesystem,
    runAsUser,
    topologySpread: props.topologySpread ?? true,
    partOf: props.partOf === undefined ? Chart.of(scope).namespace : checkLabelValue(scope, 'partOf', props.partOf),
    config: resolveConfig(scope, props.config),
    ports: ports.all,
    mainPorts,
    command,
    args,
    envFrom: resolveEnvFrom(scope, props.envFrom),
    volumes,
    files,
    filesConfigMapName: files ? `${name}-files` : undefined,
    initContainers,
    sidecars,
    nodeSelector: resolveLabelMap(scope, 'nodeSelector', props.nodeSelector),
    tolerations: resolveTolerations(scope, props.tolerations),
    affinity: resolveAffinity(scope, props.affinity),
    priorityClassName: resolvePriorityClassName(scope, props.priorityClassName),
    hostAliases: resolveHostAliases(scope, props.hostAliases),
    imagePullSecrets: resolveImagePullSecrets(scope, props.imagePullSecrets),
    podAnnotations: resolvePodAnnotations(scope, props.podAnnotations),
    podLabels: resolvePodLabels(scope, props.podLabels),
    lifecycle: resolveLifecycle(scope, props.preStop, props.terminationGracePeriodSeconds),
    metrics,
    externalSecretsChecksum: watchSecrets(scope, props),
  };
}

/**
 * The Secrets the containers read: reading a key that the ExternalSecret writing the Secret does
 * not provide fails synthesis, and the checksum of those ExternalSecrets rolls the pods.
 */
function watchSecrets(scope: IConstruct, props: WorkloadOptions): (() => string | undefined) | undefined {
  const refs = collectSecretReferences(props);
  if (refs.length === 0) return undefined;
  scope.node.addValidation({ validate: () => secretKeyProblems(scope, refs) });
  return () => externalSecretsChecksum(scope, refs);
}

/**
 * The writable paths, `files` and `volumes` of the main container, with one mount per path and
 * volume names the library's own volumes do not take; `mountable` lists what extra containers
 * may mount: the declared volumes, and the emptyDir of each writable path (`tmp` for /tmp).
 */
function resolveStorage(scope: IConstruct, props: WorkloadOptions, extras: WorkloadPodExtras) {
  const writablePaths = resolveWritablePaths(scope, props.writablePaths ?? ['/tmp']);
  const writableNames = writableVolumeNames(writablePaths);
  const files = resolveFiles(scope, props.files);
  const reserved = new Map<string, string>(writableNames.map((volume, i) => [volume, `the emptyDir of writablePaths ${JSON.stringify(writablePaths[i])}`]));
  if (files) reserved.set(FILES_VOLUME, 'the volume of files');
  for (const [volume, user] of extras.reservedVolumes ?? []) reserved.set(volume, user);
  const volumes = resolveVolumes(scope, props.volumes, reserved);
  checkDistinctMountPaths(scope, [
    ...(extras.mountPaths ?? []),
    ...writablePaths.map(path => ({ path, prop: 'writablePaths' })),
    ...volumes.map(v => ({ path: v.mount.mountPath, prop: `volumes.${v.mount.name}.mountPath` })),
    ...(files?.mounts ?? []).map(m => ({ path: m.mountPath, prop: `files[${JSON.stringify(m.mountPath)}]` })),
  ]);
  const writable: ResolvedVolume[] = writableNames.map((volume, i) => ({
    volume: { name: volume, emptyDir: {} },
    mount: { name: volume, mountPath: writablePaths[i] },
  }));
  return { writablePaths, files, volumes, mountable: [...writable, ...volumes] };
}

function resolveWritablePaths(scope: IConstruct, paths: readonly string[]): string[] {
  if (!Array.isArray(paths)) throw propError(scope, 'writablePaths', paths, 'must be a list of absolute paths');
  const normalised = paths.map(path => normalisePath(checkAbsolutePath(scope, 'writablePaths', path)));
  for (const path of normalised) {
    if (path === '/') throw propError(scope, 'writablePaths', path, 'the root directory cannot be made writable; list the directories the app writes to, or set readOnlyRootFilesystem: false');
  }
  const duplicate = normalised.find((path, index) => normalised.indexOf(path) !== index);
  if (duplicate !== undefined) throw propError(scope, 'writablePaths', paths, `lists ${JSON.stringify(duplicate)} twice`);
  return normalised;
}

function resolveConfig(scope: IConstruct, config: Record<string, string> | undefined): Record<string, string> | undefined {
  if (config === undefined) return undefined;
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw propError(scope, 'config', config, 'must be an object such as { LOG_LEVEL: "info" }');
  for (const [key, value] of Object.entries(config)) {
    checkConfigKey(scope, `config.${key}`, key);
    checkEnvName(scope, `config.${key}`, key);
    if (typeof value !== 'string') throw propError(scope, `config.${key}`, value, 'config values must be strings');
  }
  return config;
}

/**
 * The names of the `emptyDir` volumes backing the writable paths: each path's segments joined
 * by '-' (`/var/cache` → `var-cache`), suffixed with its position when two would collide.
 */
export function writableVolumeNames(paths: readonly string[]): string[] {
  const bases = paths.map(path => path.replace(/^\/+/, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 55).replace(/-+$/, '') || 'root');
  return bases.map((base, index) => (bases.indexOf(base) !== bases.lastIndexOf(base) ? `${base}-${index}` : base));
}
