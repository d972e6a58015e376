import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { propError } from '../internal/core/errors';

/*
 * Where the cdk8s app and its output are in the repository the workflow checks out. The workflow
 * runs `cdk8s synth` in the app's folder (the current directory, or `workingDirectory` of the
 * repository root) and commits the output folder; the ArgoCD Application names that folder from
 * the repository root. Neither may be guessed: a folder that cannot be named relative to the
 * repository is an error that says what to set.
 */

/** The nearest folder at or above `dir` holding `.git` (a folder, or a worktree's file). */
export function gitRoot(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

const posix = (rel: string) => rel.split(path.sep).join('/');

/**
 * The App's `outdir` (`new App({ outdir })`, or `cdk8s synth -o`, absolute or not) relative to
 * `cwd`, where the synth runs. A folder outside every git repository (a test's temporary folder,
 * `cdk8s synth --stdout`'s) holds nothing that is committed: `dist`, the cdk8s default. A folder
 * of a repository but outside `cwd` cannot be the workflow's OUTDIR: an error.
 */
export function appOutputFolder(scope: IConstruct, cwd: string = process.cwd()): string {
  const outdir: unknown = (App.of(scope) as Partial<App>).outdir;
  if (typeof outdir !== 'string') return 'dist';
  const absolute = path.resolve(cwd, outdir);
  const rel = path.relative(cwd, absolute);
  if (!rel.startsWith('..') && !path.isAbsolute(rel)) return rel === '' ? '.' : posix(rel);
  if (gitRoot(absolute) === undefined) return 'dist';
  throw propError(scope, 'synth.outdir (defaults to the App\'s outdir)', outdir,
    `the App's outdir (cdk8s synth -o, or new App({ outdir })) lies outside ${cwd}, where cdk8s synth runs, so the workflow cannot synthesise and commit it and the Application cannot name it; `
    + 'synthesise into a folder of the app (e.g. "dist", or -o dist), or set synth.outdir and argocd.path');
}

/**
 * Fails when `cwd` is a subfolder of its git repository and `workingDirectory` is not given: the
 * workflow would install and synthesise at the repository root, and the Application would name
 * the output folder relative to the app's folder instead of the repository's root.
 */
export function checkAppFolder(scope: IConstruct, workingDirectory: string | undefined, cwd: string = process.cwd()): void {
  if (workingDirectory !== undefined) return;
  const root = gitRoot(cwd);
  if (root === undefined || path.resolve(root) === path.resolve(cwd)) return;
  const rel = posix(path.relative(root, cwd));
  throw propError(scope, 'workingDirectory', undefined,
    `cdk8s synth runs in "${rel}" of the repository ${root}: set workingDirectory: ${JSON.stringify(rel)} so that the workflow installs, synthesises and commits there and the Application's path starts with "${rel}/"`);
}
