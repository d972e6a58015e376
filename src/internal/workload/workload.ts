import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ResolvedProbes, resolveProbes } from './probes';
import { AppProtocol, WorkloadOptions } from '../../workload-options';
import { propError } from '../core/errors';
import { checkAbsolutePath, checkConfigKey, checkEnvName, checkInteger, checkPort, checkResourceName } from '../core/validate';

const APP_PROTOCOLS: readonly AppProtocol[] = ['http', 'http2', 'grpc', 'tcp'];

/** The shared workload options after validation, with every default applied. */
export interface ResolvedWorkload {
  readonly name: string;
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
}

/**
 * Validates the options every hardened workload shares and resolves their defaults once.
 */
export function resolveWorkloadOptions(scope: IConstruct, props: WorkloadOptions): ResolvedWorkload {
  const name = checkResourceName(scope, 'name', props.name ?? scope.node.id);
  const port = checkPort(scope, 'port', props.port ?? 8080);
  const appProtocol = props.appProtocol ?? 'http';
  if (!APP_PROTOCOLS.includes(appProtocol)) {
    throw propError(scope, 'appProtocol', appProtocol, `must be one of ${APP_PROTOCOLS.map(p => JSON.stringify(p)).join(', ')}`);
  }
  const runAsUser = checkInteger(scope, 'runAsUser', props.runAsUser ?? 10001, 1, 2147483647);
  return {
    name,
    port,
    servicePort: checkPort(scope, 'servicePort', props.servicePort ?? port),
    appProtocol,
    portName: appProtocol,
    probes: resolveProbes(scope, 'probes', props.probes, port),
    serviceAccountName: checkResourceName(scope, 'serviceAccount.name', props.serviceAccount?.name ?? name),
    automountToken: props.serviceAccount?.automountToken ?? false,
    writablePaths: resolveWritablePaths(scope, props.writablePaths ?? ['/tmp']),
    readOnlyRootFilesystem: props.readOnlyRootFilesystem ?? true,
    runAsUser,
    topologySpread: props.topologySpread ?? true,
    partOf: props.partOf ?? Chart.of(scope).namespace,
    config: resolveConfig(scope, props.config),
  };
}

function resolveWritablePaths(scope: IConstruct, paths: readonly string[]): string[] {
  if (!Array.isArray(paths)) throw propError(scope, 'writablePaths', paths, 'must be a list of absolute paths');
  const normalised = paths.map(path => checkAbsolutePath(scope, 'writablePaths', path).replace(/\/+$/, '') || '/');
  for (const path of normalised) {
    if (path === '/') throw propError(scope, 'writablePaths', path, 'the root directory cannot be made writable; list the directories the app writes to, or set readOnlyRootFilesystem: false');
  }
  const duplicate = normalised.find((path, index) => normalised.indexOf(path) !== index);
  if (duplicate !== undefined) throw propError(scope, 'writablePaths', paths, `lists ${JSON.stringify(duplicate)} twice`);
  return normalised;
}

function resolveConfig(scope: IConstruct, config: Record<string, string> | undefined): Record<string, string> | undefined {
  if (config === undefined) return undefined;
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
