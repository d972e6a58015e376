import { IConstruct } from 'constructs';
import { EnvVarJson, resolveEnv } from './env';
import { checkPinnedImage } from './image';
import { PodPorts } from './ports';
import { ContainerResources, resolveResources } from './resources';
import { containerSecurityContext } from './security-context';
import { ResolvedVolume, VolumeMountJson } from './volumes';
import { ContainerOptions } from '../../container-options';
import { propError } from '../core/errors';
import { checkDnsLabel, checkStringList } from '../core/validate';

/** An init container or sidecar after validation, as written to the manifest (without securityContext). */
export interface ResolvedContainer {
  readonly name: string;
  readonly image: string;
  readonly command?: string[];
  readonly args?: string[];
  readonly env?: EnvVarJson[];
  readonly resources: ContainerResources;
  readonly ports?: Array<{ name: string; containerPort: number; protocol: 'TCP' }>;
  readonly volumeMounts?: VolumeMountJson[];
}

/** What the extra containers of a pod are checked against. */
export interface ExtraContainerContext {
  /** The main container's name (the workload's). */
  readonly mainName: string;
  readonly volumes: readonly ResolvedVolume[];
  /** The pod's ports so far; sidecar ports are added. */
  readonly ports: PodPorts;
  /** Names taken so far in the pod (main container first); added to. */
  readonly names: Map<string, string>;
}

/**
 * Validates `initContainers` or `sidecars` (`prop`) exactly like the main container: DNS-1123
 * names unique in the pod, pinned images, the same env and resource rules and defaults; mounts
 * name declared volumes; sidecar ports join the pod's ports (init containers serve nothing).
 */
export function resolveExtraContainers(scope: IConstruct, prop: 'initContainers' | 'sidecars', list: readonly ContainerOptions[] | undefined,
  context: ExtraContainerContext): ResolvedContainer[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw propError(scope, prop, list, 'must be a list of { name, image, … }, e.g. [{ name: "migrate", image: "ghcr.io/acme/migrate:1.0.0" }]');
  return list.map((options, i) => resolveContainer(scope, `${prop}[${i}]`, options, context, prop === 'sidecars'));
}

function resolveContainer(scope: IConstruct, prop: string, options: ContainerOptions, context: ExtraContainerContext,
  serves: boolean): ResolvedContainer {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw propError(scope, prop, options, 'must be { name, image, command?, args?, env?, secretEnv?, resources?, ports?, mounts? }');
  }
  const name = checkDnsLabel(scope, `${prop}.name`, options.name);
  const taken = context.names.get(name);
  if (taken !== undefined) throw propError(scope, `${prop}.name`, name, `is already the name of ${taken}; container names must be unique in the pod`);
  context.names.set(name, prop);
  checkPinnedImage(scope, `${prop}.image`, options.image);
  const command = checkStringList(scope, `${prop}.command`, options.command, '["/bin/migrate", "--up"]');
  if (command?.length === 0) throw propError(scope, `${prop}.command`, options.command, 'must not be empty; leave it out to run the image\'s entrypoint');
  const args = checkStringList(scope, `${prop}.args`, options.args, '["--verbose"]', true);
  const env = resolveEnv(scope, options.env, options.secretEnv, `${prop}.`);
  const resources = resolveResources(scope, `${prop}.resources`, options.resources);
  if (!serves && options.ports !== undefined) {
    throw propError(scope, `${prop}.ports`, options.ports, 'init containers run to completion before the pod serves, so they take no ports; declare the port on a sidecar or in ports');
  }
  const before = context.ports.all.length;
  context.ports.addList(`${prop}.ports`, options.ports, name);
  const ports = context.ports.all.slice(before).map(p => ({ name: p.name, containerPort: p.port, protocol: 'TCP' as const }));
  return {
    name,
    image: options.image,
    command,
    args,
    env: env.length > 0 ? env : undefined,
    resources,
    ports: ports.length > 0 ? ports : undefined,
    volumeMounts: resolveMounts(scope, `${prop}.mounts`, options.mounts, context.volumes),
  };
}

function resolveMounts(scope: IConstruct, prop: string, mounts: readonly string[] | undefined,
  volumes: readonly ResolvedVolume[]): VolumeMountJson[] | undefined {
  const names = checkStringList(scope, prop, mounts, '["certs"] (names of the workload\'s volumes)');
  if (names === undefined || names.length === 0) return undefined;
  return names.map((name, i) => {
    const volume = volumes.find(v => v.mount.name === name);
    if (!volume) {
      const declared = volumes.map(v => JSON.stringify(v.mount.name)).join(', ') || 'none';
      throw propError(scope, `${prop}[${i}]`, name, `names no volume of the workload (declared: ${declared}); declare it in volumes first`);
    }
    if (names.indexOf(name) !== i) throw propError(scope, `${prop}[${i}]`, name, 'is listed twice');
    return volume.mount;
  });
}

/** The container as written to the pod spec, with the hardened securityContext. */
export function extraContainerJson(container: ResolvedContainer, readOnlyRootFilesystem: boolean): Record<string, unknown> {
  return { ...container, securityContext: containerSecurityContext(readOnlyRootFilesystem) };
}
