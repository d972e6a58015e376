import * as fs from 'fs';
import * as path from 'path';

/** cdk8s's file of construct paths (`recordConstructMetadata`), written at the output folder's root. */
export const CONSTRUCT_METADATA_FILE = 'construct-metadata.json';

/**
 * cdk8s's default `outputFileExtension`: files named so are a cdk8s synthesis's output whatever
 * extension the app uses now (a team switching to `.yml` leaves them otherwise, and ArgoCD's
 * directory source reads `.yaml` and `.yml` alike).
 */
const CDK8S_DEFAULT_EXTENSION = '.k8s.yaml';

/** A folder `synth` may write: a chart's folder (a DNS label, maybe indexed `0001-…`) or `argocd`. */
const CHART_FOLDER = /^[a-z0-9][a-z0-9-]*$/;

/**
 * The files of `outdir` that `synth` owns: every file named `*<ext>` or `*.k8s.yaml` (cdk8s's
 * default extension) at its root or in a chart folder (a direct subfolder named like a chart), and
 * cdk8s's construct metadata. Anything else —
 * `.gitkeep`, a README, reports, hidden or deeper folders, other extensions — is the user's.
 */
function ownedFiles(outdir: string, ext: string): string[] {
  const out: string[] = [];
  const manifest = (name: string) => name.endsWith(ext) || name.endsWith(CDK8S_DEFAULT_EXTENSION);
  const scan = (dir: string, depth: number) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth === 0 && CHART_FOLDER.test(entry.name)) scan(full, 1);
      } else if (manifest(entry.name) || (depth === 0 && entry.name === CONSTRUCT_METADATA_FILE)) {
        out.push(full);
      }
    }
  };
  if (fs.existsSync(outdir)) scan(outdir, 0);
  return out.sort();
}

/**
 * Fails before anything is written when `outdir` is a repository root or holds the current
 * folder: removing the files synth owns there could remove the project's own `*<ext>` files.
 */
export function checkOutdirIsOwnFolder(outdir: string): void {
  const dir = path.resolve(outdir);
  const cwd = process.cwd();
  if (cwd === dir || cwd.startsWith(dir + path.sep) || fs.existsSync(path.join(dir, '.git'))) {
    throw new Error(`synth: the output folder ${dir} is ${fs.existsSync(path.join(dir, '.git')) ? 'a git repository\'s root' : 'the current folder or one of its parents'}; `
      + 'synth removes the manifests it wrote there before and no longer writes, so give the App an output folder of its own (e.g. outdir: "dist")');
  }
}

/**
 * Removes the files `synth` owns in `outdir` (see {@link ownedFiles}) that it did not write this
 * time — as `cdk8s synth` empties the output folder before synthesising, but keeping the user's
 * files — then the chart folders left empty. Returns the files removed, sorted.
 */
export function removeStaleFiles(outdir: string, ext: string, written: ReadonlySet<string>, folders: ReadonlySet<string>): string[] {
  const keep = new Set([...written].map(f => path.resolve(f)));
  const stale = ownedFiles(outdir, ext).filter(f => !keep.has(path.resolve(f)));
  for (const file of stale) fs.unlinkSync(file);
  const keepFolders = new Set([...folders].map(f => path.resolve(f)));
  for (const dir of new Set(stale.map(f => path.dirname(f)))) {
    if (path.resolve(dir) !== path.resolve(outdir) && !keepFolders.has(path.resolve(dir)) && fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
  }
  return stale;
}
