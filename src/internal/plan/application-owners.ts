import * as path from 'path';
import { groupOf, ManifestObject } from './object-key';
import { sourceOf } from './source-files';

/** The directory source of an ArgoCD Application, as far as the plan reads it. */
interface DirectorySource {
  readonly path: string;
  readonly recurse: boolean;
  readonly include?: string;
  readonly exclude?: string;
}

/** The files ArgoCD reads from a directory source. */
const MANIFEST_FILE = /\.(ya?ml|json)$/;

/**
 * Which ArgoCD Applications sync each object, from the Applications among `objects` and the
 * file each object was read from: an Application's directory source reads the manifest files of
 * `source.path` (its subfolders with `directory.recurse`), narrowed by the `directory.include` and
 * `directory.exclude` globs, matched against the file's path below `source.path`.
 * Undefined for an object read from no file, or from a file no Application reads.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/directory/
 */
export function applicationOwners(objects: readonly ManifestObject[]): (obj: ManifestObject) => string | undefined {
  const applications = objects.filter(o => o.kind === 'Application' && groupOf(o.apiVersion) === 'argoproj.io')
    .flatMap(app => directorySources(app).map(source => ({ name: String(app.metadata?.name), source })));
  return obj => {
    const file = sourceOf(obj);
    if (file === undefined || !MANIFEST_FILE.test(file)) return undefined;
    const owners = [...new Set(applications.filter(a => reads(a.source, file)).map(a => a.name))].sort();
    return owners.length === 0 ? undefined : owners.join(', ');
  };
}

function directorySources(app: ManifestObject): DirectorySource[] {
  const spec = app.spec as { source?: unknown; sources?: unknown } | undefined;
  const sources = [spec?.source, ...(Array.isArray(spec?.sources) ? spec.sources : [])];
  return sources.flatMap(source => {
    const s = source as { path?: unknown; directory?: { recurse?: unknown; include?: unknown; exclude?: unknown } } | undefined;
    if (typeof s?.path !== 'string') return [];
    const glob = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
    return [{
      path: path.posix.normalize(s.path).replace(/^\.\/?|\/+$/g, ''),
      recurse: s.directory?.recurse === true,
      include: glob(s.directory?.include),
      exclude: glob(s.directory?.exclude),
    }];
  });
}

function reads(source: DirectorySource, file: string): boolean {
  const below = source.path === '' ? file : path.posix.relative(source.path, file);
  if (below.startsWith('../') || below === '' || path.posix.isAbsolute(below)) return false;
  if (!source.recurse && below.includes('/')) return false;
  const included = source.include === undefined || globMatches(source.include, below);
  return included && (source.exclude === undefined || !globMatches(source.exclude, below));
}

/** ArgoCD's directory globs: `*` within a path segment, `?`, `{a,b}` alternatives. */
function globMatches(glob: string, file: string): boolean {
  const pattern = glob.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')
    .replace(/\{([^}]*)\}/g, (_, alternatives: string) => `(?:${alternatives.split(',').join('|')})`);
  return new RegExp(`^${pattern}$`).test(file);
}
