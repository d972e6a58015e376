import { IConstruct } from 'constructs';
import { VolumeMount } from '../../container-options';
import { propError } from '../core/errors';
import { resolveQuantity } from '../core/quantity';
import { checkAbsolutePath, checkDnsLabel, checkDnsSubdomain, checkOptionalObject } from '../core/validate';
import { secretNameOf } from '../supply-chain/external-secrets';

/** A volume of the pod spec, as written to the manifest. */
export type VolumeJson = { readonly name: string } & Record<string, unknown>;

/** A container's volume mount, as written to the manifest. */
export interface VolumeMountJson {
  readonly name: string;
  readonly mountPath: string;
  readonly subPath?: string;
  readonly readOnly?: boolean;
}

/** A declared volume after validation: its pod-spec entry and how containers mount it. */
export interface ResolvedVolume {
  readonly volume: VolumeJson;
  readonly mount: VolumeMountJson;
}

const SOURCES = ['secret', 'configMap', 'claim', 'emptyDir'] as const;

/**
 * Validates the `volumes` record: DNS-1123 label names not taken by the library's own volumes
 * (`reserved`: name → what uses it), exactly one source each, absolute mount paths, relative
 * `subPath`s. Secrets, ConfigMaps and claims are mounted read-only unless `readOnly: false`;
 * an emptyDir is writable unless `readOnly: true`.
 */
export function resolveVolumes(scope: IConstruct, volumes: Record<string, VolumeMount> | undefined,
  reserved: ReadonlyMap<string, string>): ResolvedVolume[] {
  checkOptionalObject(scope, 'volumes', volumes, '{ certs: { mountPath: "/etc/certs", secret: "api-tls" } }');
  return Object.entries(volumes ?? {}).map(([name, options]) => {
    const prop = `volumes.${name}`;
    checkDnsLabel(scope, prop, name);
    if (reserved.has(name)) throw propError(scope, prop, name, `the volume name is taken by ${reserved.get(name)}; give the volume another name`);
    checkOptionalObject(scope, prop, options, '{ mountPath: "/etc/certs", secret: "api-tls" }');
    if (options === undefined) throw propError(scope, prop, options, 'must be { mountPath, and one of secret, configMap, claim or emptyDir }');
    const given = SOURCES.filter(source => options[source] !== undefined);
    if (given.length !== 1) {
      throw propError(scope, prop, options, `must give exactly one source (secret, configMap, claim or emptyDir), got ${given.length === 0 ? 'none' : given.join(' and ')}`);
    }
    const mountPath = normalisePath(checkAbsolutePath(scope, `${prop}.mountPath`, options.mountPath));
    if (mountPath === '/') throw propError(scope, `${prop}.mountPath`, options.mountPath, 'a volume cannot be mounted over the root directory');
    if (options.readOnly !== undefined && typeof options.readOnly !== 'boolean') throw propError(scope, `${prop}.readOnly`, options.readOnly, 'must be true or false');
    const readOnly = options.readOnly ?? given[0] !== 'emptyDir';
    const subPath = options.subPath === undefined ? undefined : checkSubPath(scope, `${prop}.subPath`, options.subPath);
    return {
      volume: { name, ...volumeSource(scope, prop, options, given[0]) },
      mount: { name, mountPath, subPath, readOnly: readOnly ? true : undefined },
    };
  });
}

function volumeSource(scope: IConstruct, prop: string, options: VolumeMount, source: typeof SOURCES[number]): Record<string, unknown> {
  switch (source) {
    case 'secret':
      return { secret: { secretName: secretNameOf(scope, `${prop}.secret`, options.secret!) } };
    case 'configMap':
      return { configMap: { name: checkDnsSubdomain(scope, `${prop}.configMap`, options.configMap!) } };
    case 'claim':
      return { persistentVolumeClaim: { claimName: checkDnsSubdomain(scope, `${prop}.claim`, options.claim!) } };
    default: {
      const emptyDir = options.emptyDir;
      checkOptionalObject(scope, `${prop}.emptyDir`, emptyDir, '{ sizeLimit: "1Gi" } or {}');
      if (emptyDir!.memory !== undefined && typeof emptyDir!.memory !== 'boolean') {
        throw propError(scope, `${prop}.emptyDir.memory`, emptyDir!.memory, 'must be true or false');
      }
      // written in the canonical form the API server stores ('1024Mi' → '1Gi'), so GitOps sees no drift
      const sizeLimit = emptyDir!.sizeLimit === undefined ? undefined : resolveQuantity(scope, `${prop}.emptyDir.sizeLimit`, emptyDir!.sizeLimit, 'storage').canonical;
      return { emptyDir: { medium: emptyDir!.memory ? 'Memory' : undefined, sizeLimit } };
    }
  }
}

function checkSubPath(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || value === '' || value.startsWith('/') || value.split('/').includes('..')) {
    throw propError(scope, prop, value, 'must be a relative path inside the volume, without \'..\' segments (e.g. "config.yaml")');
  }
  return value;
}

/** An absolute path without repeated or trailing '/' (the root stays '/'), so equal paths compare equal. */
export function normalisePath(path: string): string {
  return path.replace(/\/{2,}/g, '/').replace(/\/+$/, '') || '/';
}

/**
 * Fails when two mounts of one container share a path (`mounts`: path → the prop that mounts it,
 * in order).
 */
export function checkDistinctMountPaths(scope: IConstruct, mounts: ReadonlyArray<{ path: string; prop: string }>): void {
  const seen = new Map<string, string>();
  for (const { path, prop } of mounts) {
    const first = seen.get(path);
    if (first !== undefined) {
      throw propError(scope, prop, path, `is already mounted by ${first}; a container mounts one volume per path (mount a subfolder, or drop one of them)`);
    }
    seen.set(path, prop);
  }
}
