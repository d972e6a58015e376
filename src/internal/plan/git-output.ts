import { execFileSync, spawnSync } from 'child_process';
import * as path from 'path';
import { ManifestObject } from './object-key';
import { parseManifests } from './read-manifests';

const YAML_FILE = /\.ya?ml$/;

function git(cwd: string, args: readonly string[], input?: string): Buffer {
  return execFileSync('git', args, { cwd, input, maxBuffer: 1024 * 1024 * 1024, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Fails unless `cwd` is inside a git work tree and `base` names a commit there. */
function checkBase(cwd: string, base: string): void {
  if (spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd, encoding: 'utf8' }).stdout?.trim() !== 'true') {
    throw new Error(`${cwd} is not inside a git repository: plan compares with the output committed in git (or pass --committed <dir>)`);
  }
  if (base.startsWith('-') || spawnSync('git', ['rev-parse', '--verify', '--quiet', `${base}^{commit}`], { cwd }).status !== 0) {
    throw new Error(`--base ${JSON.stringify(base)} is not a commit of this repository; fetch it first `
      + '(in GitHub Actions: actions/checkout with fetch-depth: 0, which fetches every branch as origin/<branch>)');
  }
}

/**
 * Fails when git ignores the output folder, or any file the synthesis writes into it: such
 * files are never committed, so ArgoCD never syncs them.
 */
export function checkNotIgnored(cwd: string, outdir: string, files: readonly string[]): void {
  const candidates = [`${outdir.replace(/\/+$/, '')}/`, ...files.map(f => path.posix.join(outdir, f))];
  const result = spawnSync('git', ['check-ignore', '--no-index', '--stdin'], { cwd, input: candidates.join('\n'), encoding: 'utf8' });
  const ignored = result.status === 0 ? result.stdout.split('\n').filter(Boolean) : [];
  if (ignored.length > 0) {
    throw new Error(`git ignores ${ignored.slice(0, 3).join(', ')}${ignored.length > 3 ? ` and ${ignored.length - 3} more` : ''} (see .gitignore; the cdk8s init template ignores dist/): `
      + 'ArgoCD syncs committed files only, so remove the output folder from .gitignore and commit it');
  }
}

/**
 * The Kubernetes objects of every YAML file under `outdir` as committed at `base`, read from git
 * (`git ls-tree`, then the blobs), never from the working tree. Fails when `base` is unknown or
 * nothing is committed under `outdir` there.
 */
export function committedAt(cwd: string, base: string, outdir: string): ManifestObject[] {
  checkBase(cwd, base);
  const entries = git(cwd, ['ls-tree', '-r', '-z', '--full-name', base, '--', outdir]).toString('utf8').split('\0').filter(Boolean)
    .map(line => {
      const [meta, file] = line.split('\t');
      const [, type, sha] = meta.split(' ');
      return { type, sha, file };
    })
    .filter(e => e.type === 'blob');
  if (entries.length === 0) {
    throw new Error(`nothing is committed under ${JSON.stringify(outdir)} at ${base}: commit the synthesised output there first `
      + '(ArgoCD syncs committed files only), or check --outdir');
  }
  const manifests = entries.filter(e => YAML_FILE.test(e.file));
  const blobs = readBlobs(cwd, manifests.map(e => e.sha));
  return manifests.flatMap((e, i) => parseManifests(blobs[i], `${base}:${e.file}`, e.file));
}

/**
 * `outdir` (relative to `cwd`) as a path from the root of the git repository holding `cwd`, where
 * ArgoCD Applications' `source.path` starts; `outdir` itself outside a repository.
 */
export function repositoryPath(cwd: string, outdir: string): string {
  const prefix = spawnSync('git', ['rev-parse', '--show-prefix'], { cwd, encoding: 'utf8' });
  const fromRoot = path.posix.join(prefix.status === 0 ? prefix.stdout.trim() : '', outdir.split(path.sep).join('/'));
  return path.posix.normalize(fromRoot).replace(/\/+$/, '');
}

/** The contents of the given blobs, in order, read by one `git cat-file --batch`. */
function readBlobs(cwd: string, shas: readonly string[]): string[] {
  if (shas.length === 0) return [];
  const out = git(cwd, ['cat-file', '--batch'], `${shas.join('\n')}\n`);
  const texts: string[] = [];
  let at = 0;
  for (const sha of shas) {
    const eol = out.indexOf(0x0a, at);
    const header = out.subarray(at, eol).toString('utf8').split(' ');
    if (header[0] !== sha || header[1] !== 'blob') throw new Error(`git cat-file: unexpected answer ${header.join(' ')} for ${sha}`);
    const size = Number(header[2]);
    texts.push(out.subarray(eol + 1, eol + 1 + size).toString('utf8'));
    at = eol + 1 + size + 1;
  }
  return texts;
}
