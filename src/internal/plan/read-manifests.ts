import * as fs from 'fs';
import * as path from 'path';
import type * as Yaml from 'yaml';
import { isManifestObject, ManifestObject } from './object-key';
import { recordSource } from './source-files';

/**
 * The Kubernetes objects of one YAML text (a multi-document stream); `source` names it in errors,
 * `file` (repository-relative) is recorded as where each object was read from.
 */
export function parseManifests(text: string, source: string, file?: string): ManifestObject[] {
  const out: ManifestObject[] = [];
  // loaded when a plan reads manifests, not with the library
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parseAllDocuments } = require('yaml') as typeof Yaml;
  for (const doc of parseAllDocuments(text, { version: '1.1' })) {
    if (doc.errors.length > 0) throw new Error(`${source}: not valid YAML: ${doc.errors[0].message}`);
    const value: unknown = doc.toJS();
    if (!isManifestObject(value)) continue;
    if (file !== undefined) recordSource(value, file);
    out.push(value);
  }
  return out;
}

/** Every `*.yaml`/`*.yml` file under `dir`, recursively, relative to it, sorted. */
export function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (/\.ya?ml$/.test(entry.name)) out.push(child);
    }
  };
  walk('');
  return out.sort();
}

/**
 * The Kubernetes objects of every YAML file under `dir`; fails clearly when `dir` is not a folder.
 * With `repoDir`, the folder's path in the repository (`dist`), each object records its file there.
 */
export function readManifests(dir: string, repoDir?: string): ManifestObject[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new Error(`plan: the committed output folder ${JSON.stringify(dir)} does not exist or is not a folder`);
  }
  return yamlFiles(dir).flatMap(f => parseManifests(fs.readFileSync(path.join(dir, f), 'utf8'), path.join(dir, f),
    repoDir === undefined ? undefined : path.posix.join(repoDir, f)));
}
