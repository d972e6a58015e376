import { IConstruct } from 'constructs';
import { normalisePath, VolumeMountJson } from './volumes';
import { boundedName, shortHash } from '../core/checksum';
import { propError } from '../core/errors';
import { checkAbsolutePath } from '../core/validate';

/** Name of the pod volume holding the `files` ConfigMap. */
export const FILES_VOLUME = 'files';

/** A ConfigMap is stored in etcd, which refuses objects over 1 MiB: keep the content well below. */
const MAX_FILES_BYTES = 1000000;

/** The `files` option after validation: the ConfigMap data and one mount per file. */
export interface ResolvedFiles {
  /** ConfigMap key → content. */
  readonly data: Readonly<Record<string, string>>;
  /** One read-only `subPath` mount per file, in path order. */
  readonly mounts: readonly VolumeMountJson[];
}

/**
 * Validates `files` (absolute path → content) and derives a ConfigMap key per file from its path
 * (`/etc/app/config.yaml` → `etc_app_config.yaml`). Each file is mounted by `subPath`, so the
 * rest of its folder stays as the image has it.
 */
export function resolveFiles(scope: IConstruct, files: Record<string, string> | undefined): ResolvedFiles | undefined {
  if (files === undefined) return undefined;
  if (typeof files !== 'object' || files === null || Array.isArray(files)) {
    throw propError(scope, 'files', files, 'must be an object of absolute path → content, e.g. { "/etc/app/config.yaml": "level: info" }');
  }
  const data = new Map<string, string>();
  const mounts: VolumeMountJson[] = [];
  let bytes = 0;
  for (const path of Object.keys(files).sort()) {
    const prop = `files[${JSON.stringify(path)}]`;
    checkAbsolutePath(scope, prop, path);
    if (path.endsWith('/')) throw propError(scope, prop, path, 'must be the path of a file, not a folder (no trailing \'/\')');
    const content = files[path];
    if (typeof content !== 'string') throw propError(scope, prop, content, 'file contents must be strings');
    bytes += Buffer.byteLength(content, 'utf8');
    const base = boundedName(path.slice(1).replace(/\//g, '_').replace(/[^-._a-zA-Z0-9]/g, '-').replace(/^\./, '_'), 240);
    const key = data.has(base) ? `${base}-${shortHash(path)}` : base;
    data.set(key, content);
    mounts.push({ name: FILES_VOLUME, mountPath: normalisePath(path), subPath: key, readOnly: true });
  }
  if (bytes > MAX_FILES_BYTES) {
    throw propError(scope, 'files', `${bytes} bytes`, `must hold at most ${MAX_FILES_BYTES} bytes in all (a ConfigMap is limited to 1 MiB); mount large files from a volume instead`);
  }
  return { data: Object.fromEntries(data), mounts };
}
